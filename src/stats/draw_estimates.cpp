#include "draw_estimates.hpp"

#include "sample_quantile.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>

namespace reckon::stats::detail {
namespace {

// The posterior SD of a hit fraction k/n under a uniform prior, Beta(k + 1, n - k + 1): close
// to the binomial standard error, but never zero when k is 0 or n.
double hit_fraction_error(std::uint64_t hits, std::uint64_t draws) {
  const double k = static_cast<double>(hits);
  const double n = static_cast<double>(draws);
  return std::sqrt((k + 1.0) * (n - k + 1.0) / ((n + 2.0) * (n + 2.0) * (n + 3.0)));
}

} // namespace

Probability probability(std::uint64_t hits, std::uint64_t draws) {
  return Probability{static_cast<double>(hits) / static_cast<double>(draws),
                     hit_fraction_error(hits, draws)};
}

void quantiles_with_errors(std::span<double> values, std::span<const double> probs,
                           std::span<Quantile> out) {
  assert(probs.size() <= k_max_quantiles && probs.size() == out.size());
  const double n = static_cast<double>(values.size());
  std::array<double, 3 * k_max_quantiles> window_probs{};
  std::array<std::size_t, 3 * k_max_quantiles> order{};
  std::array<double, k_max_quantiles> delta{};
  const std::size_t count = 3 * probs.size();
  for (std::size_t j = 0; j < probs.size(); ++j) {
    const double q = probs[j];
    delta[j] = std::sqrt(q * (1.0 - q) / n);
    window_probs[3 * j] = std::max(q - delta[j], 0.0);
    window_probs[3 * j + 1] = q;
    window_probs[3 * j + 2] = std::min(q + delta[j], 1.0);
  }
  for (std::size_t i = 0; i < count; ++i) {
    order[i] = i;
  }
  // Windows of nearby quantiles can overlap when N is small: select in ascending order.
  std::sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count),
            [&](std::size_t x, std::size_t y) { return window_probs[x] < window_probs[y]; });
  std::array<double, 3 * k_max_quantiles> sorted_probs{};
  std::array<double, 3 * k_max_quantiles> sorted_found{};
  for (std::size_t i = 0; i < count; ++i) {
    sorted_probs[i] = window_probs[order[i]];
  }
  detail::select_quantiles(values, std::span(sorted_probs).first(count),
                           std::span(sorted_found).first(count));
  std::array<double, 3 * k_max_quantiles> found{};
  for (std::size_t i = 0; i < count; ++i) {
    found[order[i]] = sorted_found[i];
  }
  for (std::size_t j = 0; j < probs.size(); ++j) {
    const double width = window_probs[3 * j + 2] - window_probs[3 * j];
    const double spread = found[3 * j + 2] - found[3 * j];
    out[j] = Quantile{found[3 * j + 1], width > 0.0 ? spread * delta[j] / width : 0.0};
  }
}

} // namespace reckon::stats::detail
