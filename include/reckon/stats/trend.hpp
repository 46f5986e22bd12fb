#pragma once

#include <cstddef>
#include <optional>
#include <span>

namespace reckon::stats {

// A straight line through points with known variances (weights 1 / variance), and how far the
// points scatter around their weighted mean: the regression of a daily effect on the day, and
// the fixed-effect heterogeneity test across days (Cochran's Q).
struct WeightedTrend {
  std::size_t points = 0;
  double slope = 0.0;
  // sqrt(1 / sum w (x - x_w)^2): the variances are taken as known, so the slope is Normal.
  double slope_se = 0.0;
  double p_value = 1.0; // two-sided, slope = 0, from the Normal
  double weighted_mean = 0.0;
  // Q = sum w (y - weighted_mean)^2 on points - 1 degrees of freedom, and its chi-square
  // upper tail: small when the points differ by more than their variances allow.
  double q = 0.0;
  double q_p_value = 1.0;
};

// Requires equal lengths and finite positive weights. Nullopt with fewer than three points or
// when every x is the same.
std::optional<WeightedTrend> weighted_trend(std::span<const double> x, std::span<const double> y,
                                            std::span<const double> weights);

// The standard Normal's p-quantile, p in (0, 1): turns an interval at a credible level into a
// standard error.
double normal_quantile(double p);

// Spearman's rank correlation (ties take their average rank: Pearson's r of the ranks) with
// the two-sided p-value of r = 0 from Student's t on n - 2 degrees of freedom,
// t = r sqrt((n - 2) / (1 - r^2)), the usual approximation for n of ten or more.
struct RankCorrelation {
  std::size_t n = 0;
  double rho = 0.0;
  double p_value = 1.0;
};

// Requires equal lengths. Nullopt with fewer than four points or when either side is constant.
std::optional<RankCorrelation> spearman_correlation(std::span<const double> x,
                                                    std::span<const double> y);

} // namespace reckon::stats
