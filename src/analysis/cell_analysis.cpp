#include "cell_analysis.hpp"

#include "reckon/util/stable_hash.hpp"

#include <cmath>

namespace reckon::analysis::detail {

std::uint64_t CellTask::stream() const {
  return util::stable_hash({experiment->id, cell->slice.segment_type, cell->slice.segment,
                            cell->slice.date, metric.name});
}

AmountSums amount_sums(Amount amount, const model::ArmCounts& arm) {
  switch (amount) {
  case Amount::revenue:
    return {arm.revenue, arm.revenue_sq};
  case Amount::profit:
    return {arm.profit, arm.profit_sq};
  case Amount::none:
    break;
  }
  return {};
}

std::optional<double> observed_value(const MetricDefinition& metric, const model::ArmCounts& arm) {
  const auto ratio = [](std::optional<double> numerator,
                        std::uint64_t denominator) -> std::optional<double> {
    if (!numerator || denominator == 0) {
      return std::nullopt;
    }
    return *numerator / static_cast<double>(denominator);
  };
  switch (metric.kind) {
  case MetricKind::rate_over_visitors:
    return ratio(static_cast<double>(arm.conversions), arm.visitors);
  case MetricKind::value_per_order:
    return ratio(amount_sums(metric.amount, arm).sum, arm.conversions);
  case MetricKind::value_per_visitor:
    return ratio(amount_sums(metric.amount, arm).sum, arm.visitors);
  }
  return std::nullopt;
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

  const auto route = options.routes.find(task.metric.name);
  if (route != options.routes.end() && route->second == ModelRoute::normal_delta) {
    analyze_normal_delta(task, options, results);
  } else {
    analyze_bayesian(task, options, results);
  }
  return results;
}

} // namespace reckon::analysis::detail
