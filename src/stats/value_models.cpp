#include "reckon/stats/value_models.hpp"

#include "reckon/stats/gaussian_effect.hpp"

#include <cmath>

namespace reckon::stats {
namespace {

bool valid_level(double level) {
  return level > 0.0 && level < 1.0;
}

bool finite_interval(Interval interval) {
  return std::isfinite(interval.low) && std::isfinite(interval.high) &&
         interval.low < interval.high;
}

// The n - 1 sample variance from sums, or nullopt when it is not a positive finite number.
std::optional<double> sample_variance(std::uint64_t count, double sum, double sum_sq) {
  if (count < 2 || !std::isfinite(sum) || !std::isfinite(sum_sq)) {
    return std::nullopt;
  }
  const double n = static_cast<double>(count);
  const double variance = (sum_sq - sum * sum / n) / (n - 1.0);
  if (!(variance > 0.0) || !std::isfinite(variance)) {
    return std::nullopt;
  }
  return variance;
}

} // namespace

std::optional<LogNormalParams> mean_posterior_from_interval(double value, Interval reported,
                                                            double level) {
  if (!valid_level(level) || !finite_interval(reported) || !std::isfinite(value) ||
      !(reported.low > 0.0) || value < reported.low || value > reported.high) {
    return std::nullopt;
  }
  const double scale =
      (std::log(reported.high) - std::log(reported.low)) / (2.0 * normal_two_sided_z(level));
  if (!(scale > 0.0) || !std::isfinite(scale)) {
    return std::nullopt;
  }
  return LogNormalParams{std::log(value), scale};
}

std::optional<LogNormalParams> borrow_spread(LogNormalParams parent, std::uint64_t parent_orders,
                                             double own_value, std::uint64_t own_orders) {
  if (parent_orders == 0 || own_orders == 0 || !(own_value > 0.0) || !std::isfinite(own_value) ||
      !(parent.log_scale > 0.0) || !std::isfinite(parent.log_scale)) {
    return std::nullopt;
  }
  const double widening =
      std::sqrt(static_cast<double>(parent_orders) / static_cast<double>(own_orders));
  const double scale = parent.log_scale * widening;
  if (!std::isfinite(scale)) {
    return std::nullopt;
  }
  return LogNormalParams{std::log(own_value), scale};
}

std::optional<LogNormalParams> lognormal_from_mean_and_sd(double mean, double sd) {
  if (!(mean > 0.0) || !(sd > 0.0) || !std::isfinite(mean) || !std::isfinite(sd)) {
    return std::nullopt;
  }
  const double cv = sd / mean;
  const double variance = std::log1p(cv * cv);
  if (!(variance > 0.0) || !std::isfinite(variance)) {
    return std::nullopt;
  }
  return LogNormalParams{std::log(mean) - variance / 2.0, std::sqrt(variance)};
}

std::optional<NormalParams> normal_mean_from_moments(std::uint64_t count, double sum,
                                                     double sum_sq) {
  const std::optional<double> variance = sample_variance(count, sum, sum_sq);
  if (!variance) {
    return std::nullopt;
  }
  const double n = static_cast<double>(count);
  return NormalParams{sum / n, std::sqrt(*variance / n)};
}

std::optional<LogNormalParams> mean_posterior_from_moments(std::uint64_t count, double sum,
                                                           double sum_sq) {
  const std::optional<NormalParams> mean = normal_mean_from_moments(count, sum, sum_sq);
  if (!mean) {
    return std::nullopt;
  }
  return lognormal_from_mean_and_sd(mean->mean, mean->sd);
}

std::optional<NormalParams> normal_mean_from_interval(double value, Interval reported,
                                                      double level) {
  if (!valid_level(level) || !finite_interval(reported) || !std::isfinite(value)) {
    return std::nullopt;
  }
  const double sd = (reported.high - reported.low) / (2.0 * normal_two_sided_z(level));
  if (!(sd > 0.0) || !std::isfinite(sd)) {
    return std::nullopt;
  }
  return NormalParams{value, sd};
}

std::optional<double> order_value_sd_from_rpv_interval(std::uint64_t visitors, std::uint64_t orders,
                                                       double revenue, Interval reported,
                                                       double level) {
  if (!valid_level(level) || !finite_interval(reported) || visitors < 2 || orders == 0 ||
      orders > visitors || !std::isfinite(revenue)) {
    return std::nullopt;
  }
  const double n = static_cast<double>(visitors);
  const double p = static_cast<double>(orders) / n;
  const double m = revenue / static_cast<double>(orders);
  const double se = (reported.high - reported.low) / (2.0 * normal_two_sided_z(level));
  const double variance = ((n - 1.0) * se * se - p * (1.0 - p) * m * m) / p;
  if (!(variance > 0.0) || !std::isfinite(variance)) {
    return std::nullopt;
  }
  return std::sqrt(variance);
}

} // namespace reckon::stats
