#include "sample_quantile.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace reckon::stats::detail {

void select_quantiles(std::span<double> values, std::span<const double> probs,
                      std::span<double> out) {
  assert(!values.empty());
  assert(probs.size() == out.size());
  assert(std::is_sorted(probs.begin(), probs.end()));
  const std::size_t n = values.size();
  const auto at = [&values](std::size_t i) {
    return values.begin() + static_cast<std::ptrdiff_t>(i);
  };
  // Invariant: ranks from the last query's k up to first - 1 sit in their sorted places, and
  // nothing at or after `first` is smaller. Probabilities ascend, so later queries need only
  // those ranks or ranks at or after `first`, and each selection partitions only [first, n).
  std::size_t first = 0;
  const auto select = [&](std::size_t rank) {
    if (rank >= first) {
      std::nth_element(at(first), at(rank), values.end());
      first = rank + 1;
    }
    return values[rank];
  };
  for (std::size_t i = 0; i < probs.size(); ++i) {
    assert(probs[i] >= 0.0 && probs[i] <= 1.0);
    const double h = static_cast<double>(n - 1) * probs[i];
    const auto k = static_cast<std::size_t>(std::floor(h));
    const double fraction = h - static_cast<double>(k);
    if (fraction == 0.0 || k + 1 == n) {
      out[i] = select(k);
      continue;
    }
    // Rank k + 1 is needed too. Select one of the pair and find the other by a linear scan
    // of whichever side of it is shorter: a tail quantile then costs one selection, not two.
    double low = 0.0;
    double high = 0.0;
    if (k + 1 < first || k + 1 - first <= n - k - 1) {
      const std::size_t scan_from = first;
      high = select(k + 1);
      if (k >= scan_from) {
        // Move rank k into its place, so that a repeated probability finds it there.
        std::iter_swap(std::max_element(at(scan_from), at(k + 1)), at(k));
      }
      low = values[k];
    } else {
      low = select(k);
      high = *std::min_element(at(k + 1), values.end());
    }
    out[i] = low + fraction * (high - low);
  }
}

} // namespace reckon::stats::detail
