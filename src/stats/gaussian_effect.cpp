#include "reckon/stats/gaussian_effect.hpp"

#include "math_policy.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/erf.hpp>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numbers>

namespace reckon::stats {
namespace {

bool is_finite(const MeanEstimate& estimate) {
  return std::isfinite(estimate.mean) && std::isfinite(estimate.variance);
}

double normal_pdf(double z) {
  return std::exp(-0.5 * z * z) * (0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2);
}

// Phi(z), accurate in relative terms in the lower tail (erfc does not cancel there).
double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

// For x >= 5: 1 - x R(x), R(x) = Phi(-x) / phi(x) Mills' ratio. With the continued fraction
// R(x) = 1 / (x + c(x)), c(x) = 1 / (x + 2 / (x + 3 / (x + ...))), it equals c R, a product of
// positive terms. Evaluated backwards from a fixed depth: at x >= 5, 60 levels converge to
// rounding.
double one_minus_x_mills(double x) {
  double tail = x;
  for (int k = 60; k >= 2; --k) {
    tail = x + static_cast<double>(k) / tail;
  }
  const double c = 1.0 / tail;
  return c / (x + c);
}

// z Phi(z) + phi(z) = E[max(Z + z, 0)] for Z ~ N(0, 1).
double standard_positive_part(double z) {
  constexpr double k_series_from = -5.0;
  if (z >= k_series_from) {
    // At most a factor z^2 + 1 = 26 of cancellation, a loss of under two digits.
    return z * normal_cdf(z) + normal_pdf(z);
  }
  return normal_pdf(z) * one_minus_x_mills(-z);
}

} // namespace

double normal_two_sided_z(double level) {
  assert(level > 0.0 && level < 1.0);
  return std::numbers::sqrt2 * boost::math::erfc_inv(1.0 - level, detail::MathPolicy());
}

double student_t_two_sided(double level, double degrees_of_freedom) {
  assert(level > 0.0 && level < 1.0 && degrees_of_freedom > 0.0);
  const boost::math::students_t_distribution<double, detail::MathPolicy> t(degrees_of_freedom);
  return boost::math::quantile(boost::math::complement(t, (1.0 - level) / 2.0));
}

double expected_positive_part(double mean, double sd) {
  assert(sd > 0.0 && std::isfinite(sd) && std::isfinite(mean));
  return sd * standard_positive_part(mean / sd);
}

double prob_positive(double mean, double sd) {
  assert(sd > 0.0 && std::isfinite(sd) && std::isfinite(mean));
  return normal_cdf(mean / sd);
}

std::optional<MeanEstimate> proportion_estimate(std::uint64_t successes, std::uint64_t trials) {
  if (trials == 0 || successes > trials) {
    return std::nullopt;
  }
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  return MeanEstimate{p, p * (1.0 - p) / n};
}

std::optional<MeanEstimate> sample_mean_estimate(std::uint64_t count, double sum, double sum_sq) {
  if (count < 2 || !std::isfinite(sum) || !std::isfinite(sum_sq)) {
    return std::nullopt;
  }
  const double n = static_cast<double>(count);
  const double unit_variance = std::max((sum_sq - sum * sum / n) / (n - 1.0), 0.0);
  const MeanEstimate estimate{sum / n, unit_variance / n};
  return is_finite(estimate) ? std::optional(estimate) : std::nullopt;
}

std::optional<MeanEstimate> ratio_estimate(const RatioSums& sums) {
  if (sums.count < 2 || sums.denominator_sum == 0.0) {
    return std::nullopt;
  }
  const double n = static_cast<double>(sums.count);
  const double mean_m = sums.numerator_sum / n;
  const double mean_d = sums.denominator_sum / n;
  const double var_m =
      (sums.numerator_sum_sq - sums.numerator_sum * sums.numerator_sum / n) / (n - 1.0);
  const double var_d =
      (sums.denominator_sum_sq - sums.denominator_sum * sums.denominator_sum / n) / (n - 1.0);
  const double covariance =
      (sums.cross_sum - sums.numerator_sum * sums.denominator_sum / n) / (n - 1.0);
  const double d2 = mean_d * mean_d;
  const double unit_variance =
      var_m / d2 + var_d * mean_m * mean_m / (d2 * d2) - 2.0 * covariance * mean_m / (d2 * mean_d);
  const MeanEstimate estimate{mean_m / mean_d, std::max(unit_variance, 0.0) / n};
  return is_finite(estimate) ? std::optional(estimate) : std::nullopt;
}

std::optional<MeanEstimate> per_visitor_value_estimate(std::uint64_t visitors, std::uint64_t orders,
                                                       double revenue, double order_value_sd) {
  if (visitors < 2 || orders > visitors || !(order_value_sd >= 0.0) ||
      !std::isfinite(order_value_sd) || !std::isfinite(revenue)) {
    return std::nullopt;
  }
  const double n = static_cast<double>(visitors);
  const double p = static_cast<double>(orders) / n;
  // With no orders the order value m is undefined, but p = 0 removes it from the variance.
  const double m = orders == 0 ? 0.0 : revenue / static_cast<double>(orders);
  const double population_variance = p * order_value_sd * order_value_sd + p * (1.0 - p) * m * m;
  return MeanEstimate{revenue / n, population_variance / (n - 1.0)};
}

std::optional<Lift> lift_estimate(MeanEstimate control, MeanEstimate variant, LiftScale scale) {
  if (!is_finite(control) || !is_finite(variant) || control.variance <= 0.0 ||
      variant.variance <= 0.0) {
    return std::nullopt;
  }
  Lift lift;
  if (scale == LiftScale::absolute) {
    lift = Lift{variant.mean - control.mean, std::sqrt(control.variance + variant.variance)};
  } else {
    if (control.mean == 0.0) {
      return std::nullopt;
    }
    const double base = std::abs(control.mean);
    const double base2 = control.mean * control.mean;
    const double variance =
        control.variance * variant.mean * variant.mean / (base2 * base2) + variant.variance / base2;
    lift = Lift{(variant.mean - control.mean) / base, std::sqrt(variance)};
  }
  if (!std::isfinite(lift.mean) || !std::isfinite(lift.sd) || lift.sd <= 0.0) {
    return std::nullopt;
  }
  return lift;
}

std::optional<GaussianEffect> gaussian_effect(MeanEstimate control, MeanEstimate variant,
                                              const EffectOptions& options) {
  assert(options.level > 0.0 && options.level < 1.0);
  const std::optional<Lift> data = lift_estimate(control, variant, options.scale);
  if (!data) {
    return std::nullopt;
  }
  Lift posterior = *data;
  if (options.prior) {
    double prior_mean = options.prior->mean;
    double prior_variance = options.prior->variance;
    if (!(prior_variance > 0.0) || !std::isfinite(prior_variance) || !std::isfinite(prior_mean)) {
      return std::nullopt;
    }
    if (options.scale == LiftScale::absolute) {
      prior_mean *= std::abs(control.mean);
      prior_variance *= control.mean * control.mean;
    }
    const double data_precision = 1.0 / (data->sd * data->sd);
    const double prior_precision = 1.0 / prior_variance;
    const double precision = data_precision + prior_precision;
    posterior = Lift{(data->mean * data_precision + prior_mean * prior_precision) / precision,
                     std::sqrt(1.0 / precision)};
    if (!std::isfinite(posterior.mean) || !(posterior.sd > 0.0)) {
      return std::nullopt;
    }
  }

  GaussianEffect effect;
  effect.lift = posterior;
  const double z = normal_two_sided_z(options.level);
  effect.credible = Interval{posterior.mean - z * posterior.sd, posterior.mean + z * posterior.sd};
  // P(lift > 0) and P(lift < 0) each from its own tail, so that neither loses digits to 1 - p.
  const double gain = expected_positive_part(posterior.mean, posterior.sd);
  const double drop = expected_positive_part(-posterior.mean, posterior.sd);
  if (options.direction == Direction::higher_is_better) {
    effect.chance_to_win = prob_positive(posterior.mean, posterior.sd);
    effect.risk_keep_control = gain;
    effect.risk_ship_variant = drop;
  } else {
    effect.chance_to_win = prob_positive(-posterior.mean, posterior.sd);
    effect.risk_keep_control = drop;
    effect.risk_ship_variant = gain;
  }
  return effect;
}

} // namespace reckon::stats
