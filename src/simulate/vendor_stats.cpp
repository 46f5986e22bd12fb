#include "reckon/simulate/vendor_stats.hpp"

#include "reckon/stats/monte_carlo.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace reckon::simulate {

double round_to(double value, int decimals) {
  if (!std::isfinite(value)) {
    return value;
  }
  if (decimals >= 0) {
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
  }
  const double scale = std::pow(10.0, -decimals);
  return std::round(value / scale) * scale;
}

double vendor_round(double value) {
  if (value == 0.0 || !std::isfinite(value)) {
    return value;
  }
  const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(value)))) + 1;
  return round_to(value, std::min(7, 8 - magnitude)) + 0.0; // + 0.0 turns -0 into 0
}

double vendor_p2bb(double probability) {
  return static_cast<double>(static_cast<float>(round_to(probability, 4)));
}

namespace {

std::optional<double> point_value(VendorMetricKind kind, const VendorArmInput& arm) {
  switch (kind) {
  case VendorMetricKind::rate:
    if (arm.visitors == 0) {
      return std::nullopt;
    }
    return static_cast<double>(arm.events) / static_cast<double>(arm.visitors);
  case VendorMetricKind::per_order_value:
    if (arm.orders == 0) {
      return std::nullopt;
    }
    return arm.value_sum / static_cast<double>(arm.orders);
  case VendorMetricKind::per_visitor_value:
    if (arm.visitors == 0) {
      return std::nullopt;
    }
    return arm.value_sum / static_cast<double>(arm.visitors);
  }
  return std::nullopt;
}

// The log-normal posterior of the mean order value: centred (median) on the observed mean, with
// the log-scale spread of a mean of `orders` values with the observed coefficient of variation.
std::optional<stats::LogNormalParams> order_value_posterior(const VendorArmInput& arm) {
  if (arm.orders < 2 || arm.value_sum <= 0.0) {
    return std::nullopt;
  }
  const double n = static_cast<double>(arm.orders);
  const double mean = arm.value_sum / n;
  const double variance = std::max(0.0, (arm.value_sq - arm.value_sum * mean) / (n - 1.0));
  const double log_scale = std::sqrt(std::log1p(variance / (n * mean * mean)));
  if (!(log_scale > 0.0)) {
    return std::nullopt;
  }
  return stats::LogNormalParams{std::log(mean), log_scale};
}

std::optional<stats::ArmPosterior> posterior(VendorMetricKind kind, const VendorArmInput& arm) {
  const stats::BetaParams rate{static_cast<double>(arm.events) + 1.0,
                               static_cast<double>(arm.visitors - arm.events) + 1.0};
  switch (kind) {
  case VendorMetricKind::rate:
    return stats::ArmPosterior{rate};
  case VendorMetricKind::per_order_value:
    if (const auto value = order_value_posterior(arm)) {
      return stats::ArmPosterior{*value};
    }
    return std::nullopt;
  case VendorMetricKind::per_visitor_value:
    if (const auto value = order_value_posterior(arm)) {
      const stats::BetaParams conversion{static_cast<double>(arm.orders) + 1.0,
                                         static_cast<double>(arm.visitors - arm.orders) + 1.0};
      return stats::ArmPosterior{stats::RateTimesValue{conversion, *value}};
    }
    return std::nullopt;
  }
  return std::nullopt;
}

bool low_data(VendorMetricKind kind, std::span<const VendorArmInput> arms) {
  return std::any_of(arms.begin(), arms.end(), [kind](const VendorArmInput& arm) {
    const std::uint64_t events = kind == VendorMetricKind::rate ? arm.events : arm.orders;
    return arm.visitors < k_vendor_min_visitors || events < k_vendor_min_events;
  });
}

} // namespace

std::vector<VendorStatistic> vendor_statistics(VendorMetricKind kind,
                                               std::span<const VendorArmInput> arms,
                                               std::size_t control, bool lower_is_better,
                                               std::uint64_t seed, std::uint64_t stream) {
  assert(arms.size() >= 2 && control < arms.size());
  std::vector<VendorStatistic> result(arms.size());
  std::vector<std::optional<double>> points;
  for (const VendorArmInput& arm : arms) {
    assert(arm.events <= arm.visitors && arm.orders <= arm.visitors);
    points.push_back(point_value(kind, arm));
  }
  for (std::size_t i = 0; i < arms.size(); ++i) {
    VendorStatistic& cell = result[i];
    cell.is_control = i == control;
    if (points[i]) {
      cell.value = vendor_round(*points[i]);
    }
    if (!cell.is_control && points[i] && points[control] && *points[control] != 0.0) {
      cell.uplift.value = vendor_round(*points[i] / *points[control] - 1.0);
    }
  }

  std::vector<stats::ArmPosterior> posteriors;
  if (!low_data(kind, arms)) {
    for (const VendorArmInput& arm : arms) {
      if (auto one = posterior(kind, arm)) {
        posteriors.push_back(*one);
      }
    }
  }
  if (posteriors.size() != arms.size()) {
    return result; // low data: p2bb, p2bc and every interval stay null
  }
  const stats::SamplingPlan plan{k_vendor_draws, seed, 0.95};
  const std::vector<stats::ArmSummary> summaries = stats::compare_arms(
      posteriors, control, plan, stream,
      lower_is_better ? stats::Direction::lower_is_better : stats::Direction::higher_is_better);
  for (std::size_t i = 0; i < arms.size(); ++i) {
    VendorStatistic& cell = result[i];
    const stats::ArmSummary& summary = summaries[i];
    cell.ci_low = vendor_round(summary.credible.low);
    cell.ci_high = vendor_round(summary.credible.high);
    cell.plus_minus = vendor_round((summary.credible.high - summary.credible.low) / 2.0);
    cell.p2bb = vendor_p2bb(summary.prob_best.value);
    if (cell.is_control) {
      continue;
    }
    if (summary.prob_beat_control) {
      cell.p2bc = round_to(summary.prob_beat_control->value, 4);
    }
    if (summary.uplift) {
      cell.uplift.ci_low = vendor_round(summary.uplift->low);
      cell.uplift.ci_high = vendor_round(summary.uplift->high);
      cell.uplift.plus_minus = round_to((summary.uplift->high - summary.uplift->low) / 2.0, 4);
    }
  }
  return result;
}

} // namespace reckon::simulate
