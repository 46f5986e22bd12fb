#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/stats/trend.hpp"
#include "reckon/stats/uplift_difference.hpp"

#include <optional>
#include <string>
#include <vector>

namespace reckon::analysis {

// `reckon temporal` (SPEC §4, Temporal): how each variation did day by day, on weekdays
// against weekends, by day of the week and cumulatively, and whether its effect drifts.
// Every pooled slice (weekday, weekend, a day of the week, the days up to a date) is a cell of
// summed day counts analysed by the same engine as any other cell, so every model, prior and
// borrowed spread applies and the random streams are keyed as every cell's are.

// One day of an experiment. Dates are the store's local days as the source cut them.
struct TemporalDay {
  std::string date;    // YYYY-MM-DD
  std::string weekday; // "Monday" ... "Sunday"
  bool weekend = false;
  // Where the day's counts came from: "day window", "timeseries" (counts, no intervals) or
  // "counts CSV". A store holding both prefers the window (parse keeps it).
  std::string source;
};

// The weekend's uplift against the weekday's, for one variation and metric.
struct DayTypeContrast {
  CellResult weekday; // the variant's cell of the pooled weekday slice
  CellResult weekend;
  // From joint draws of the four posteriors (both arms of both slices), u = weekend uplift -
  // weekday uplift; absent with the reason when a posterior is missing or a slice is empty.
  std::optional<stats::UpliftDifference> difference;
  std::string difference_reason;
  // In words, at P(weekend better) >= 0.95 or <= 0.05: "weekend only" or "weekday only" when
  // the other slice's uplift interval holds zero, else "better at weekends" or "better on
  // weekdays"; between those, "same on both"; empty without a difference.
  std::string call;
};

// Day-by-day drift of the daily uplift: a weighted regression of log(1 + uplift) on the day
// index (weights from each day's uplift interval) and Cochran's Q across days.
struct UpliftTrend {
  std::optional<stats::WeightedTrend> fit;
  // "fading" (slope < 0 at p < 0.05: a novelty effect wearing off), "growing", or "steady";
  // empty when there is no fit, with the reason.
  std::string label;
  std::string reason;
};

// How one traffic source's daily share of visitors moves with the daily uplift.
struct SourceCorrelation {
  std::string dimension; // "source_channel"
  std::string label;     // "Paid Social"
  std::optional<stats::RankCorrelation> spearman;
  std::string reason; // why there is none
};

// One non-control variation on one metric.
struct VariationTimeline {
  std::string variation_id;
  std::string metric;
  std::vector<CellResult> days; // aligned with ExperimentTimeline::days; absent days missing
  std::vector<std::string> underperforming_days; // only on the chosen metric
  DayTypeContrast day_type;
  std::vector<CellResult> day_of_week; // Monday first, days present only
  std::vector<CellResult> cumulative;  // through each day, in date order
  UpliftTrend trend;                   // only on the chosen metric
  std::vector<SourceCorrelation> sources;
};

// The arm with the highest P(best) on the chosen metric in the cumulative slice of each day.
struct LeaderPoint {
  std::string date;
  std::string variation_id;
};

struct ExperimentTimeline {
  std::string id;
  std::string name;
  std::string source; // model::Experiment::source
  std::vector<model::Variation> variations;
  // The test's primary metric as its verdict chose it (analysis/verdict.hpp), which the leader,
  // the underperforming days, the trend and the traffic sources follow.
  std::string metric;
  std::string metric_reason;
  // The verdict over all the days, on that metric.
  std::optional<TestVerdict> verdict;
  std::vector<TemporalDay> days;
  std::vector<VariationTimeline> timelines; // per non-control variation, then per metric
  std::vector<LeaderPoint> leaders;
  std::optional<std::string> leader_last_changed; // absent when the leader never changed
};

// An experiment a command could not analyse, and why (no test disappears without a word).
struct LeftOut {
  std::string id;
  std::string name;
  std::string source;
  std::string reason;
};

struct TemporalResults {
  AnalysisOptions options;
  std::vector<ExperimentTimeline> experiments;
  // Experiments with no day data, with the reason.
  std::vector<LeftOut> skipped;
};

// The temporal view of every experiment of a validated dataset that has day slices: on the
// primary metric, and on conversion rate and revenue per visitor unless options.metrics names
// the metrics (the first then being the primary one). A day underperformed when the variant's
// P(beat control) on the primary metric is at most 1 - options.verdict.threshold: the control
// is better at the verdict's own confidence.
TemporalResults analyze_temporal(const model::Dataset& dataset, const AnalysisOptions& options);

namespace temporal_detail {

// English weekday names, Monday first.
const char* weekday_name(int iso_index);

// The counts of `cells` summed arm by arm into one cell of `slice`. Sums of squares and profit
// are kept only when every cell has them, a named total only when every arm has it; what the
// source reported stays behind, since no vendor reported the pooled slice.
model::CountsCell pool_cells(const std::vector<const model::CountsCell*>& cells,
                             model::Slice slice);

} // namespace temporal_detail

} // namespace reckon::analysis
