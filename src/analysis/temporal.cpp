#include "reckon/analysis/temporal.hpp"

#include "reckon/analysis/analyze.hpp"

#include "temporal_parts.hpp"

#include <algorithm>

namespace reckon::analysis {
namespace {

using temporal_detail::CellIndex;
using temporal_detail::TimelineInput;

constexpr std::string_view k_conversion = "conversion_rate";
constexpr std::string_view k_revenue_per_visitor = "net_revenue_per_visitor";
void add_metric(std::vector<std::string>& metrics, std::string_view name) {
  if (std::find(metrics.begin(), metrics.end(), name) == metrics.end()) {
    metrics.emplace_back(name);
  }
}

// A day the source gave no cell for (a metric a day window did not report).
CellResult missing_cell(const model::Slice& slice, const std::string& metric,
                        const std::string& variation) {
  CellResult cell;
  cell.slice = slice;
  cell.metric = metric;
  cell.variation_id = variation;
  cell.assumptions.push_back("no cell: the source gave no " + metric + " for this slice");
  return cell;
}

CellResult cell_or_missing(const CellIndex& index, const model::Slice& slice,
                           const std::string& metric, const std::string& variation) {
  const CellResult* found = index.find(slice, metric, variation);
  return found != nullptr ? *found : missing_cell(slice, metric, variation);
}

VariationTimeline timeline_of(const TimelineInput& input, const CellIndex& index,
                              const std::string& variation, const std::string& metric,
                              const AnalysisOptions& options) {
  VariationTimeline timeline;
  timeline.variation_id = variation;
  timeline.metric = metric;
  for (const TemporalDay& day : input.days) {
    timeline.days.push_back(cell_or_missing(index, {"day", day.date, {}}, metric, variation));
    timeline.cumulative.push_back(
        cell_or_missing(index, {temporal_detail::k_cumulative, day.date, {}}, metric, variation));
  }
  for (int weekday = 0; weekday < 7; ++weekday) {
    const model::Slice slice{
        temporal_detail::k_day_of_week, temporal_detail::weekday_name(weekday), {}};
    if (const CellResult* found = index.find(slice, metric, variation)) {
      timeline.day_of_week.push_back(*found);
    }
  }
  timeline.day_type = temporal_detail::contrast_day_types(input, index, metric, variation, options);
  return timeline;
}

// The chosen metric's own findings: the days the variant underperformed, the trend and the
// traffic-source correlations.
void add_findings(VariationTimeline& timeline, const TimelineInput& input,
                  const AnalysisOptions& options) {
  for (const CellResult& day : timeline.days) {
    if (day.prob_beat_control && *day.prob_beat_control <= 1.0 - options.verdict.threshold) {
      timeline.underperforming_days.push_back(day.slice.segment);
    }
  }
  timeline.trend = temporal_detail::uplift_trend(timeline.days, options.sampling.level);
  timeline.sources = temporal_detail::source_correlations(input, timeline.days);
}

// The arm with the highest P(best) in each day's cumulative slice, and the last day it changed.
void find_leaders(ExperimentTimeline& out, const CellIndex& index) {
  for (const TemporalDay& day : out.days) {
    const model::Slice slice{temporal_detail::k_cumulative, day.date, {}};
    std::optional<double> best;
    std::string leader;
    for (const model::Variation& variation : out.variations) {
      const CellResult* cell = index.find(slice, out.metric, variation.id);
      if (cell != nullptr && cell->prob_best && (!best || *cell->prob_best > *best)) {
        best = cell->prob_best;
        leader = variation.id;
      }
    }
    if (best) {
      out.leaders.push_back({day.date, leader});
    }
  }
  for (std::size_t i = 1; i < out.leaders.size(); ++i) {
    if (out.leaders[i].variation_id != out.leaders[i - 1].variation_id) {
      out.leader_last_changed = out.leaders[i].date;
    }
  }
}

// The primary metric as the verdict chooses it on the overall slice alone (every metric the
// data support analysed, so that the vendor's named one can be chosen), and why.
std::pair<std::string, std::string> primary_metric(const model::Experiment& experiment,
                                                   const AnalysisOptions& options) {
  model::Experiment overall = experiment;
  overall.cells.clear();
  for (const model::CountsCell& cell : experiment.cells) {
    if (cell.slice.is_overall()) {
      overall.cells.push_back(cell);
    }
  }
  const Results results = analyze_counts(model::Dataset{{std::move(overall)}}, options);
  if (const std::optional<TestVerdict>& verdict = results.experiments.front().verdict) {
    return {verdict->metric, verdict->metric_reason};
  }
  if (!options.metrics.empty()) {
    return {options.metrics.front(), "the first --metric"};
  }
  return {std::string(k_revenue_per_visitor), "no overall slice to choose a primary metric by"};
}

ExperimentTimeline timeline_of_experiment(const TimelineInput& input,
                                          const AnalysisOptions& options) {
  const model::Experiment& experiment = input.experiment;
  ExperimentTimeline out;
  out.id = experiment.id;
  out.name = experiment.name;
  out.source = experiment.source;
  out.variations = experiment.variations;
  out.days = input.days;
  std::tie(out.metric, out.metric_reason) = primary_metric(experiment, options);

  AnalysisOptions local = options;
  std::vector<std::string> metrics{out.metric};
  for (const std::string_view name :
       options.metrics.empty()
           ? std::vector<std::string_view>{k_conversion, k_revenue_per_visitor}
           : std::vector<std::string_view>(options.metrics.begin(), options.metrics.end())) {
    add_metric(metrics, name);
  }
  local.metrics = metrics;
  // The primary metric comes first, so the verdict over the days decides on it too.
  const Results results = analyze_counts(model::Dataset{{experiment}}, local);
  const CellIndex index(results.experiments.front().cells);
  out.verdict = results.experiments.front().verdict;
  if (out.verdict) {
    out.verdict->metric_reason = out.metric_reason;
  }

  for (const model::Variation& variation : experiment.variations) {
    if (variation.is_control) {
      continue;
    }
    for (const std::string& metric : metrics) {
      VariationTimeline timeline = timeline_of(input, index, variation.id, metric, options);
      if (metric == out.metric) {
        add_findings(timeline, input, options);
      }
      out.timelines.push_back(std::move(timeline));
    }
  }
  find_leaders(out, index);
  return out;
}

// Only Intelligems and a counts CSV can have days; the platform's results are totals.
std::string_view no_days_reason(std::string_view source) {
  if (source == "platform") {
    return "the platform reports totals only, not days";
  }
  return "no day slices (fetch with --days, or day rows in the CSV)";
}

} // namespace

TemporalResults analyze_temporal(const model::Dataset& dataset, const AnalysisOptions& options) {
  TemporalResults results;
  results.options = options;
  for (const model::Experiment& experiment : dataset.experiments) {
    const std::optional<TimelineInput> input = temporal_detail::timeline_input(experiment);
    if (!input) {
      results.skipped.push_back({experiment.id, experiment.name, experiment.source,
                                 std::string(no_days_reason(experiment.source))});
      continue;
    }
    results.experiments.push_back(timeline_of_experiment(*input, options));
  }
  return results;
}

} // namespace reckon::analysis
