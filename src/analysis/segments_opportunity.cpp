#include "segments_assembly.hpp"

#include "reckon/analysis/metrics.hpp"

#include <algorithm>
#include <map>

namespace reckon::analysis::detail {
namespace {

constexpr std::string_view k_revenue_per_visitor = "net_revenue_per_visitor";

// The control's overall value per visitor in money: the metric's own when it is one (profit
// per visitor reads as profit), else revenue per visitor (§2.1 multiplies the control's RPV).
std::optional<double> control_value_per_visitor(const ExperimentSegments& segments,
                                                const CellIndex& index, const std::string& metric) {
  const std::optional<MetricDefinition> definition = find_metric(metric);
  const std::string money = definition && definition->kind == MetricKind::value_per_visitor
                                ? metric
                                : std::string(k_revenue_per_visitor);
  const CellResult* control = index.find(model::Slice::overall(), money, control_id(segments));
  return control == nullptr ? std::nullopt : control->value;
}

// Adds each winning row's opportunity, or the reason there is none; returns that reason.
std::string add_row_opportunities(ExperimentSegments& segments, const CellIndex& index,
                                  const std::string& metric) {
  const std::optional<double> per_visitor = control_value_per_visitor(segments, index, metric);
  std::string missing;
  if (!segments.runtime_days || *segments.runtime_days <= 0) {
    missing = "no runtime: the input has no day rows to count days from";
  } else if (!per_visitor) {
    missing = "no control value per visitor: analyse net_revenue_per_visitor too (--metric)";
  }
  for (SegmentRow& row : segments.rows) {
    if (row.metric != metric || row.raw.verdict != SegmentVerdict::winner) {
      continue;
    }
    if (!missing.empty()) {
      row.opportunity_reason = missing;
      continue;
    }
    row.opportunity =
        revenue_opportunity(static_cast<double>(row.control_visitors + row.variant_visitors),
                            *segments.runtime_days, *per_visitor, row.raw.evidence);
  }
  return missing;
}

// Winning segments of one dimension are disjoint, so their opportunities add up; those of
// different dimensions overlap (Mobile and New share visitors), so a rollout by segment takes
// one dimension: the one whose winners are worth most.
std::optional<Opportunity> best_dimension(const ExperimentSegments& segments,
                                          const std::string& metric,
                                          const std::string& variation_id) {
  std::map<std::string, Opportunity> by_dimension;
  for (const SegmentRow& row : segments.rows) {
    if (row.metric == metric && row.variation_id == variation_id && row.opportunity) {
      Opportunity& sum = by_dimension[row.dimension];
      sum.per_year += row.opportunity->per_year;
      sum.low += row.opportunity->low;
      sum.high += row.opportunity->high;
    }
  }
  std::optional<Opportunity> best;
  for (const auto& [dimension, sum] : by_dimension) {
    if (!best || sum.per_year > best->per_year) {
      best = sum;
    }
  }
  return best;
}

} // namespace

void add_rollouts(ExperimentSegments& segments, const CellIndex& index) {
  if (segments.metrics.empty()) {
    return;
  }
  const std::string& metric = segments.metrics.front();
  const std::string missing = add_row_opportunities(segments, index, metric);
  for (const model::Variation& variation : segments.variations) {
    if (variation.is_control) {
      continue;
    }
    VariationRollout rollout;
    rollout.variation_id = variation.id;
    double expected_by_chance = 0.0;
    for (const SegmentRow& row : segments.rows) {
      if (row.metric == metric && row.variation_id == variation.id) {
        expected_by_chance += row.false_win_chance.value_or(0.0);
        ++rollout.tally.segments;
        rollout.tally.winners += row.raw.verdict == SegmentVerdict::winner ? 1 : 0;
        rollout.tally.losers += row.raw.verdict == SegmentVerdict::loser ? 1 : 0;
        rollout.tally.low_data += row.raw.verdict == SegmentVerdict::low_data ? 1 : 0;
      }
    }
    // The variation's own chance count: P(called winner | no effect) summed over its rows,
    // which is also the expected number of losers since the rule is symmetric.
    rollout.tally.winners_within_chance =
        static_cast<double>(rollout.tally.winners) <= expected_by_chance;
    rollout.tally.losers_within_chance =
        static_cast<double>(rollout.tally.losers) <= expected_by_chance;
    rollout.decision = rollout_call(rollout.tally);
    rollout.opportunity = best_dimension(segments, metric, variation.id);
    if (!rollout.opportunity) {
      rollout.opportunity_reason = rollout.tally.winners == 0 ? "no winning segment" : missing;
    }
    segments.rollouts.push_back(std::move(rollout));
  }
}

} // namespace reckon::analysis::detail
