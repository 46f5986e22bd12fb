#include "cell_analysis.hpp"

#include "reckon/util/stable_hash.hpp"

#include <cmath>
#include <string_view>

namespace reckon::analysis::detail {

std::uint64_t CellTask::stream() const {
  return util::stable_hash({experiment->id, cell->slice.segment_type, cell->slice.segment,
                            cell->slice.date, metric.name});
}

const model::ReportedMetric* find_reported(const model::ArmCounts& arm, std::string_view name) {
  for (const model::ReportedMetric& reported : arm.reported) {
    if (reported.name == name) {
      return &reported;
    }
  }
  return nullptr;
}

namespace {

std::optional<double> total(const model::ArmCounts& arm, std::string_view name) {
  const auto found = arm.totals.find(name);
  if (found == arm.totals.end()) {
    return std::nullopt;
  }
  return found->second;
}

std::optional<std::uint64_t> whole_count(std::optional<double> value) {
  if (!value || !(*value >= 0.0) || *value > 9.0e15) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(std::llround(*value));
}

} // namespace

Successes successes(const MetricDefinition& metric, const model::ArmCounts& arm) {
  if (metric.count_field == "n_orders") {
    return {arm.conversions, {}};
  }
  if (const auto count = whole_count(total(arm, metric.count_field))) {
    return {count, {}};
  }
  const model::ReportedMetric* reported = find_reported(arm, metric.name);
  if (reported != nullptr && reported->value) {
    const auto count = whole_count(*reported->value * static_cast<double>(arm.visitors));
    return {count, "successes: round(" + std::string(metric.name) +
                       " x visitors), the source gave no " + std::string(metric.count_field)};
  }
  return {std::nullopt, {}};
}

std::optional<std::uint64_t> denominator_count(const MetricDefinition& metric,
                                               const model::ArmCounts& arm) {
  if (metric.denominator.empty() || metric.denominator == "n_orders") {
    return arm.conversions;
  }
  return whole_count(total(arm, metric.denominator));
}

AmountSums amount_sums(Amount amount, const model::ArmCounts& arm) {
  switch (amount) {
  case Amount::revenue:
    return {arm.revenue, arm.revenue_sq};
  case Amount::profit:
    return {arm.profit, arm.profit_sq};
  case Amount::none:
  case Amount::other:
    break;
  }
  return {};
}

std::optional<double> observed_value(const MetricDefinition& metric, const model::ArmCounts& arm) {
  const auto ratio = [](std::optional<double> numerator,
                        std::optional<std::uint64_t> denominator) -> std::optional<double> {
    if (!numerator || !denominator || *denominator == 0) {
      return std::nullopt;
    }
    return *numerator / static_cast<double>(*denominator);
  };
  const auto amount = [&]() -> std::optional<double> {
    return metric.amount == Amount::other ? total(arm, metric.count_field)
                                          : amount_sums(metric.amount, arm).sum;
  };
  std::optional<double> value;
  switch (metric.kind) {
  case MetricKind::rate_over_visitors: {
    const std::optional<std::uint64_t> count = successes(metric, arm).count;
    value = ratio(count ? std::optional<double>(static_cast<double>(*count)) : std::nullopt,
                  arm.visitors);
    break;
  }
  case MetricKind::value_per_order:
    value = ratio(amount(), denominator_count(metric, arm));
    break;
  case MetricKind::value_per_visitor:
    value = ratio(amount(), arm.visitors);
    break;
  case MetricKind::count:
  case MetricKind::ratio:
    break;
  }
  if (!value && metric.amount == Amount::other) {
    // Totals the API does not return (shipping revenue): the reported value is all there is.
    if (const model::ReportedMetric* reported = find_reported(arm, metric.name)) {
      return reported->value;
    }
  }
  return value;
}

namespace {

std::string why_no_value(const MetricDefinition& metric, const model::ArmCounts& arm) {
  if (metric.amount == Amount::profit && !arm.profit) {
    return "value: profit is unknown";
  }
  return metric.kind == MetricKind::value_per_order ? "value: no orders to divide by"
                                                    : "value: no visitors to divide by";
}

} // namespace

void note_all(std::vector<CellResult>& results, const std::string& note) {
  for (CellResult& result : results) {
    result.assumptions.push_back(note);
  }
}

std::vector<CellResult> analyze_cell(const CellTask& task, const AnalysisOptions& options) {
  const std::size_t control = task.control();
  const std::optional<double> control_value = observed_value(task.metric, task.cell->arms[control]);

  std::vector<CellResult> results;
  results.reserve(task.cell->arms.size());
  for (std::size_t i = 0; i < task.cell->arms.size(); ++i) {
    const model::ArmCounts& arm = task.cell->arms[i];
    CellResult result;
    result.slice = task.cell->slice;
    result.metric = task.metric.name;
    result.variation_id = arm.variation_id;
    result.is_control = i == control;
    result.n_visitors = arm.visitors;
    result.n_orders = arm.conversions;
    result.value = observed_value(task.metric, arm);
    if (const model::ReportedMetric* reported = find_reported(arm, task.metric.name)) {
      result.reported = *reported;
    }
    if (!result.value) {
      result.assumptions.push_back(why_no_value(task.metric, arm));
    }
    if (!result.is_control) {
      // The vendors' point uplift: the ratio of observed values, against |control| so that
      // the sign stays meaningful for values that can be negative.
      UpliftEstimate uplift;
      if (result.value && control_value && *control_value != 0.0) {
        uplift.value = (*result.value - *control_value) / std::abs(*control_value);
      } else {
        result.assumptions.push_back("uplift.value: no observed value to compare");
      }
      result.uplift = uplift;
    }
    results.push_back(std::move(result));
  }

  for (const std::string& note : task.experiment->source_notes) {
    note_all(results, note);
  }
  const model::Slice& slice = task.cell->slice;
  if (task.experiment->rebuilt_window && slice.segment_type != "day" && slice.date.empty()) {
    note_all(results, task.experiment->rebuilt_window->derivation);
  }
  const auto route = options.routes.find(task.metric.name);
  if (route != options.routes.end() && route->second == ModelRoute::normal_delta) {
    analyze_normal_delta(task, options, results);
  } else {
    analyze_bayesian(task, options, results);
  }
  return results;
}

} // namespace reckon::analysis::detail
