#pragma once

#include "reckon/stats/monte_carlo.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace reckon::stats::detail {

// The estimates every Monte Carlo reduction of the engine reports, with their errors, shared
// so that compare_arms and the comparisons built on it state their errors alike.

// hits / draws with the posterior SD of a hit fraction under a uniform prior,
// Beta(hits + 1, draws - hits + 1): close to the binomial standard error, but never zero when
// hits is 0 or draws.
Probability probability(std::uint64_t hits, std::uint64_t draws);

struct Quantile {
  double value = 0.0;
  double standard_error = 0.0;
};

inline constexpr std::size_t k_max_quantiles = 3;

// The sample quantiles at `probs` (ascending, at most k_max_quantiles) and their Monte Carlo
// standard errors from the order statistics one binomial SD either side:
// delta = sqrt(q (1 - q) / N), SE = (x(q + delta) - x(q - delta)) delta / (width of the window)
// = half the window's spread, or the slope over the part of the window inside [0, 1] near an
// end. Reorders `values`.
void quantiles_with_errors(std::span<double> values, std::span<const double> probs,
                           std::span<Quantile> out);

} // namespace reckon::stats::detail
