#pragma once

#include "reckon/stats/beta.hpp"
#include "reckon/stats/monte_carlo.hpp"

#include <cstdint>
#include <optional>

namespace reckon::stats {

// Posteriors of per-order values (average order value, profit per order, units per order),
// built from what a source reports. Each returns nullopt, never NaN or infinity, when its
// inputs cannot define the posterior; the caller records why.

// The log-normal posterior of a positive mean behind a reported equal-tailed interval at
// `level`, read as symmetric on the log scale around `value` (Intelligems' AOV intervals are:
// ln(value / low) and ln(high / value) agree within their Monte Carlo noise). The median is
// `value`: log_location = ln(value), and log_scale = (ln high - ln low) / (2 z), z the normal
// quantile of (1 + level) / 2, averages the two half-widths. Nullopt unless
// 0 < low <= value <= high, low < high, all finite, and level in (0, 1).
std::optional<LogNormalParams> mean_posterior_from_interval(double value, Interval reported,
                                                            double level);

// The posterior of a segment whose interval is missing (too little data for the source to
// report one): the parent population's log-scale spread, widened by
// sqrt(parent_orders / own_orders) as the standard error of a mean of that many orders grows,
// centred on the segment's own value. The caller marks the cell as borrowing. Nullopt unless
// both order counts are positive, own_value is positive and finite, and the parent's spread
// is positive and finite.
std::optional<LogNormalParams> borrow_spread(LogNormalParams parent, std::uint64_t parent_orders,
                                             double own_value, std::uint64_t own_orders);

// The log-normal with the given mean and standard deviation (moment matching):
// log_scale^2 = ln(1 + (sd / mean)^2), log_location = ln(mean) - log_scale^2 / 2. Nullopt
// unless mean > 0 and sd > 0, both finite.
std::optional<LogNormalParams> lognormal_from_mean_and_sd(double mean, double sd);

// The posterior of the mean of `count` positive values from their exact moments (order-level
// data, or a counts CSV row's orders, revenue and revenue_sq): the sample mean sum / count
// with standard error s / sqrt(count), s^2 the n - 1 sample variance, as a moment-matched
// log-normal. Its mean, not its median, is the sample mean. Nullopt when count < 2, the mean
// is not positive, or the variance is not positive (all values equal, or inconsistent sums).
std::optional<LogNormalParams> mean_posterior_from_moments(std::uint64_t count, double sum,
                                                           double sum_sq);

// The same for a mean that may be negative (profit per order): N(sum / count, s^2 / count).
// Nullopt when count < 2 or the variance is not positive.
std::optional<NormalParams> normal_mean_from_moments(std::uint64_t count, double sum,
                                                     double sum_sq);

// A Normal posterior behind a reported interval, for means that may be negative: mean =
// `value`, sd = (high - low) / (2 z). Nullopt unless low < high, both finite, value finite, and
// level in (0, 1).
std::optional<NormalParams> normal_mean_from_interval(double value, Interval reported,
                                                      double level);

// The order-value standard deviation that a CLT (Normal) interval for revenue per visitor
// implies (stats-anchors §6.1, vector R4): the exact inverse of per_visitor_value_estimate
// (gaussian_effect.hpp), i.e. of gbstats' n - 1 sample-mean variance of per-visitor revenue
// with one order per buyer. With SE = (high - low) / (2 z) and p = orders / visitors,
// m = revenue / orders: s^2 = ((n - 1) SE^2 - p (1 - p) m^2) / p, s the population SD of the
// order values (divisor orders). Nullopt when the interval implies s^2 <= 0 (the source used
// another model), or inputs are degenerate (fewer than 2 visitors, no orders,
// orders > visitors, low >= high).
std::optional<double> order_value_sd_from_rpv_interval(std::uint64_t visitors, std::uint64_t orders,
                                                       double revenue, Interval reported,
                                                       double level);

} // namespace reckon::stats
