#include "reckon/analysis/segments.hpp"

#include "reckon/stats/gaussian_effect.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

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

TauPosterior tau_posterior(std::span<const LogUplift> segments, const LogUplift& overall) {
  // Grid points at the midpoints of equal steps in tau over [0, k_largest_tau].
  constexpr std::size_t k_points = 400;
  constexpr double k_largest_tau = 1.0;
  TauPosterior posterior;
  std::vector<double> log_likelihood;
  double largest = -std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < k_points; ++j) {
    const double tau = (static_cast<double>(j) + 0.5) * k_largest_tau / k_points;
    double log_l = 0.0;
    for (const LogUplift& segment : segments) {
      const double variance = segment.standard_error * segment.standard_error + tau * tau;
      const double deviation = segment.estimate - overall.estimate;
      log_l -= 0.5 * (std::log(variance) + deviation * deviation / variance);
    }
    posterior.tau2.push_back(tau * tau);
    log_likelihood.push_back(log_l);
    largest = std::max(largest, log_l);
  }
  double total = 0.0;
  for (const double log_l : log_likelihood) {
    posterior.weight.push_back(std::exp(log_l - largest));
    total += posterior.weight.back();
  }
  for (double& weight : posterior.weight) {
    weight /= total;
  }
  return posterior;
}

ShrunkUplift shrink_hierarchically(const LogUplift& segment, const LogUplift& overall,
                                   const TauPosterior& posterior) {
  double mean = 0.0;
  double second_moment = 0.0;
  double shrinkage = 0.0;
  for (std::size_t j = 0; j < posterior.tau2.size(); ++j) {
    const ShrunkUplift at = shrink_toward(segment, overall, posterior.tau2[j]);
    const double w = posterior.weight[j];
    mean += w * at.estimate;
    second_moment += w * (at.standard_error * at.standard_error + at.estimate * at.estimate);
    shrinkage += w * at.shrinkage;
  }
  return {mean, std::sqrt(std::max(0.0, second_moment - mean * mean)), shrinkage};
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
