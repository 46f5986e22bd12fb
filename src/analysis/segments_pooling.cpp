#include "reckon/analysis/segments.hpp"

#include "reckon/stats/gaussian_effect.hpp"

#include <cmath>

namespace reckon::analysis {

std::optional<LogUplift> log_uplift_from_interval(double uplift, double low, double high,
                                                  double level) {
  if (!(uplift > -1.0 && low > -1.0 && high > low) || !std::isfinite(high)) {
    return std::nullopt;
  }
  const double z = stats::normal_two_sided_z(level);
  const double standard_error = (std::log1p(high) - std::log1p(low)) / (2.0 * z);
  if (!(standard_error > 0.0) || !std::isfinite(standard_error)) {
    return std::nullopt;
  }
  return LogUplift{std::log1p(uplift), standard_error};
}

Heterogeneity heterogeneity(std::span<const LogUplift> segments) {
  Heterogeneity result;
  result.segments = segments.size();
  if (segments.size() < 2) {
    return result;
  }
  double sum_w = 0.0;
  double sum_w2 = 0.0;
  double sum_wy = 0.0;
  for (const LogUplift& segment : segments) {
    const double w = 1.0 / (segment.standard_error * segment.standard_error);
    sum_w += w;
    sum_w2 += w * w;
    sum_wy += w * segment.estimate;
  }
  const double mean = sum_wy / sum_w;
  for (const LogUplift& segment : segments) {
    const double deviation = segment.estimate - mean;
    result.q += deviation * deviation / (segment.standard_error * segment.standard_error);
  }
  const double excess = result.q - static_cast<double>(segments.size() - 1);
  if (excess > 0.0) {
    result.tau2 = excess / (sum_w - sum_w2 / sum_w);
    result.i2 = excess / result.q;
  }
  return result;
}

ShrunkUplift shrink_toward(const LogUplift& segment, const LogUplift& overall, double tau2) {
  const double variance = segment.standard_error * segment.standard_error;
  const double shrinkage = variance / (variance + tau2);
  const double overall_variance = overall.standard_error * overall.standard_error;
  return {shrinkage * overall.estimate + (1.0 - shrinkage) * segment.estimate,
          std::sqrt((1.0 - shrinkage) * variance + shrinkage * shrinkage * overall_variance),
          shrinkage};
}

Evidence evidence_from_log(const LogUplift& posterior, double level, stats::Direction direction) {
  const double z = stats::normal_two_sided_z(level);
  const double mean =
      direction == stats::Direction::higher_is_better ? posterior.estimate : -posterior.estimate;
  Evidence evidence;
  evidence.p2bc = stats::prob_positive(mean, posterior.standard_error);
  evidence.uplift = std::expm1(posterior.estimate);
  evidence.uplift_low = std::expm1(posterior.estimate - z * posterior.standard_error);
  evidence.uplift_high = std::expm1(posterior.estimate + z * posterior.standard_error);
  return evidence;
}

} // namespace reckon::analysis
