#include "check_rules.hpp"

#include "cell_analysis.hpp"
#include "vendor_rounding.hpp"

#include "reckon/util/number_format.hpp"

#include <cmath>

namespace reckon::analysis::detail {
namespace {

using util::format_round_trip;

// The metric's value from counts alone, never from the reported value itself.
std::optional<double> value_from_counts(const MetricDefinition& metric,
                                        const model::ArmCounts& arm) {
  if (metric.kind == MetricKind::rate_over_visitors && metric.count_field != "n_orders" &&
      arm.totals.find(metric.count_field) == arm.totals.end()) {
    return std::nullopt;
  }
  if (metric.amount == Amount::other) {
    if (arm.totals.find(metric.count_field) == arm.totals.end()) {
      return std::nullopt;
    }
    if (!metric.denominator.empty() && metric.denominator != "n_orders" &&
        arm.totals.find(metric.denominator) == arm.totals.end()) {
      return std::nullopt;
    }
  }
  return observed_value(metric, arm);
}

CheckFailure failure(const model::CountsCell& cell, std::string metric, std::string variation,
                     std::string detail) {
  return {cell.slice, std::move(metric), std::move(variation), std::move(detail)};
}

std::optional<std::size_t> control_of(const model::Experiment& experiment) {
  for (std::size_t i = 0; i < experiment.variations.size(); ++i) {
    if (experiment.variations[i].is_control) {
      return i;
    }
  }
  return std::nullopt;
}

// One metric of a two-arm test as the variant reported it, with the control's report of it.
struct TwoArmMetric {
  const model::CountsCell& cell;
  const std::string& variant_id;
  const model::ReportedMetric& variant;
  const model::ReportedMetric* control; // null when the control did not report it
};

// Calls `visit` for every metric the variant reported in every cell of a two-arm test; does
// nothing for other tests.
template <class Visit>
void for_each_two_arm_metric(const model::Experiment& experiment, Visit visit) {
  const std::optional<std::size_t> control = control_of(experiment);
  if (!control || experiment.variations.size() != 2) {
    return;
  }
  const std::size_t variant = 1 - *control;
  for (const model::CountsCell& cell : experiment.cells) {
    for (const model::ReportedMetric& reported : cell.arms[variant].reported) {
      visit(TwoArmMetric{cell, cell.arms[variant].variation_id, reported,
                         find_reported(cell.arms[*control], reported.name)});
    }
  }
}

} // namespace

CheckOutcome check_value_matches_counts(const model::Experiment& experiment) {
  CheckOutcome outcome{"value_matches_counts", "reported values equal counts / visitors", 0, {}};
  for (const model::CountsCell& cell : experiment.cells) {
    for (const model::ArmCounts& arm : cell.arms) {
      for (const model::ReportedMetric& reported : arm.reported) {
        const std::optional<MetricDefinition> metric = find_metric(reported.name);
        if (!metric || !reported.value ||
            (metric->kind != MetricKind::rate_over_visitors &&
             metric->kind != MetricKind::value_per_order &&
             metric->kind != MetricKind::value_per_visitor)) {
          continue;
        }
        const std::optional<double> expected = value_from_counts(*metric, arm);
        if (!expected) {
          continue;
        }
        ++outcome.examined;
        const double allowance = rounding_allowance(*expected) + 1e-12;
        if (std::abs(*reported.value - *expected) > allowance) {
          outcome.failures.push_back(
              failure(cell, reported.name, arm.variation_id,
                      "value reported " + format_round_trip(*reported.value) + ", counts give " +
                          format_round_trip(*expected) + " (allowance " +
                          format_round_trip(allowance) + ")"));
        }
      }
    }
  }
  return outcome;
}

CheckOutcome check_uplift_is_ratio(const model::Experiment& experiment) {
  CheckOutcome outcome{"uplift_is_ratio", "reported uplift equals variant / control - 1", 0, {}};
  const std::optional<std::size_t> control = control_of(experiment);
  if (!control) {
    return outcome;
  }
  for (const model::CountsCell& cell : experiment.cells) {
    for (std::size_t i = 0; i < cell.arms.size(); ++i) {
      if (i == *control) {
        continue;
      }
      for (const model::ReportedMetric& reported : cell.arms[i].reported) {
        const model::ReportedMetric* baseline = find_reported(cell.arms[*control], reported.name);
        if (!reported.uplift || !reported.uplift->value || !reported.value || baseline == nullptr ||
            !baseline->value || *baseline->value == 0.0 || *reported.value == 0.0) {
          continue;
        }
        ++outcome.examined;
        const double expected = *reported.value / *baseline->value - 1.0;
        const double allowance = uplift_rounding_allowance(*reported.value, *baseline->value);
        if (std::abs(*reported.uplift->value - expected) > allowance) {
          outcome.failures.push_back(
              failure(cell, reported.name, cell.arms[i].variation_id,
                      "uplift reported " + format_round_trip(*reported.uplift->value) +
                          ", values give " + format_round_trip(expected) + " (allowance " +
                          format_round_trip(allowance) + ")"));
        }
      }
    }
  }
  return outcome;
}

CheckOutcome check_control_complements_variant(const model::Experiment& experiment) {
  CheckOutcome outcome{
      "control_complements_variant", "in two arms, control p2bb = 1 - variant p2bb", 0, {}};
  for_each_two_arm_metric(experiment, [&](const TwoArmMetric& metric) {
    if (!metric.variant.p2bb || metric.control == nullptr || !metric.control->p2bb) {
      return;
    }
    ++outcome.examined;
    const double sum = *metric.variant.p2bb + *metric.control->p2bb;
    if (std::abs(sum - 1.0) > 2.0 * k_probability_rounding) {
      outcome.failures.push_back(
          failure(metric.cell, metric.variant.name, {},
                  "control p2bb " + format_round_trip(*metric.control->p2bb) + " + variant p2bb " +
                      format_round_trip(*metric.variant.p2bb) + " = " + format_round_trip(sum)));
    }
  });
  return outcome;
}

CheckOutcome check_p2bc_equals_p2bb(const model::Experiment& experiment) {
  CheckOutcome outcome{
      "p2bc_equals_p2bb", "in two arms, the variant's p2bc equals its p2bb", 0, {}};
  for_each_two_arm_metric(experiment, [&](const TwoArmMetric& metric) {
    const model::ReportedMetric& reported = metric.variant;
    if (!reported.p2bb || !reported.p2bc) {
      return;
    }
    ++outcome.examined;
    // Both are the same fraction of draws, written to 4 decimals (p2bb then as a float32).
    if (std::abs(*reported.p2bc - *reported.p2bb) > 2.0 * k_probability_rounding) {
      outcome.failures.push_back(failure(metric.cell, reported.name, metric.variant_id,
                                         "p2bc " + format_round_trip(*reported.p2bc) +
                                             " but p2bb " + format_round_trip(*reported.p2bb)));
    }
  });
  return outcome;
}

CheckOutcome check_p2bb_sums_to_one(const model::Experiment& experiment) {
  CheckOutcome outcome{"p2bb_sums_to_one", "p2bb over all arms sums to 1", 0, {}};
  if (experiment.variations.size() < 3) {
    return outcome; // two arms: the complement check says the same, more precisely
  }
  for (const model::CountsCell& cell : experiment.cells) {
    for (const model::ReportedMetric& first : cell.arms.front().reported) {
      double sum = 0.0;
      bool complete = true;
      for (const model::ArmCounts& arm : cell.arms) {
        const model::ReportedMetric* reported = find_reported(arm, first.name);
        complete = complete && reported != nullptr && reported->p2bb;
        sum += complete ? *reported->p2bb : 0.0;
      }
      if (!complete) {
        continue;
      }
      ++outcome.examined;
      const double allowance = static_cast<double>(cell.arms.size()) * k_probability_rounding;
      if (std::abs(sum - 1.0) > allowance) {
        outcome.failures.push_back(failure(cell, first.name, {},
                                           "p2bb sums to " + format_round_trip(sum) + " over " +
                                               std::to_string(cell.arms.size()) + " arms"));
      }
    }
  }
  return outcome;
}

CheckOutcome check_segments_within_overall(const model::Experiment& experiment) {
  CheckOutcome outcome{"segments_within_overall",
                       "a segment's or day's visitors and orders do not exceed the overall ones",
                       0,
                       {}};
  const model::CountsCell* overall = nullptr;
  for (const model::CountsCell& cell : experiment.cells) {
    if (cell.slice.is_overall()) {
      overall = &cell;
    }
  }
  if (overall == nullptr) {
    return outcome;
  }
  for (const model::CountsCell& cell : experiment.cells) {
    if (&cell == overall) {
      continue;
    }
    for (std::size_t i = 0; i < cell.arms.size(); ++i) {
      ++outcome.examined;
      const model::ArmCounts& arm = cell.arms[i];
      const model::ArmCounts& whole = overall->arms[i];
      if (arm.visitors > whole.visitors || arm.conversions > whole.conversions) {
        outcome.failures.push_back(failure(
            cell, {}, arm.variation_id,
            std::to_string(arm.visitors) + " visitors and " + std::to_string(arm.conversions) +
                " orders, overall " + std::to_string(whole.visitors) + " and " +
                std::to_string(whole.conversions)));
      }
    }
  }
  return outcome;
}

} // namespace reckon::analysis::detail
