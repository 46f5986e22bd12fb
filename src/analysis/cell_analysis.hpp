#pragma once

#include "reckon/analysis/metrics.hpp"
#include "reckon/analysis/results.hpp"
#include "reckon/model/experiment.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace reckon::analysis::detail {

// One unit of parallel work: a metric in one slice of one experiment.
struct CellTask {
  const model::Experiment* experiment = nullptr;
  const model::CountsCell* cell = nullptr;
  MetricDefinition metric;
  // The experiment's overall cell when `cell` is a segment or a day: where a per-order spread
  // is borrowed from when the segment's own interval is missing.
  const model::CountsCell* parent = nullptr;

  std::size_t control() const { return experiment->control_index(); }
  // The key of this cell's random stream: experiment, slice and metric, nothing else.
  std::uint64_t stream() const;
};

// Every arm's result for the task: observed values always, statistics where the data allow.
std::vector<CellResult> analyze_cell(const CellTask& task, const AnalysisOptions& options);

// What the source reported for `name` in the arm, if anything.
const model::ReportedMetric* find_reported(const model::ArmCounts& arm, std::string_view name);

// The successes of a rate: the metric's count field, else round(reported rate x visitors) with
// `note` saying so; absent when neither is known.
struct Successes {
  std::optional<std::uint64_t> count;
  std::string note;
};
Successes successes(const MetricDefinition& metric, const model::ArmCounts& arm);

// How many units a per-order metric divides by (orders, units, discounted orders).
std::optional<std::uint64_t> denominator_count(const MetricDefinition& metric,
                                               const model::ArmCounts& arm);

// The sum of a metric's amount over the arm's orders and of its squares; each absent when the
// data do not hold it.
struct AmountSums {
  std::optional<double> sum;
  std::optional<double> sum_sq;
};
AmountSums amount_sums(Amount amount, const model::ArmCounts& arm);

// The metric as observed in the arm's counts (rate, amount per order or per visitor), absent
// when its denominator is zero or the amount is unknown.
std::optional<double> observed_value(const MetricDefinition& metric, const model::ArmCounts& arm);

// The posterior of an arm's mean value per order (log-normal for positive amounts, Normal for
// profit, which may be negative and never goes through a log), from the best the data hold:
// the exact moments of its orders' amounts; else the interval the vendor reported for it;
// else the spread of `parent` (the same arm over the whole population) widened for the
// smaller sample. Or why there is none.
struct PerOrderPosterior {
  std::optional<std::variant<stats::LogNormalParams, stats::NormalParams>> posterior;
  std::string model;
  std::vector<std::string> notes;
};
PerOrderPosterior per_order_posterior(const MetricDefinition& metric, const model::ArmCounts& arm,
                                      const model::ArmCounts* parent);

// The arm's posterior under the bayesian route, or why there is none.
struct ArmPosteriorChoice {
  std::optional<stats::ArmPosterior> posterior;
  std::string model;
  std::vector<std::string> notes; // assumptions behind the posterior, or why it is missing
};
ArmPosteriorChoice bayesian_posterior(const MetricDefinition& metric, const model::ArmCounts& arm,
                                      const model::ArmCounts* parent,
                                      const stats::BetaPrior& prior);

// Fills the statistics of `results` (one per arm, in arm order) on each route.
void analyze_bayesian(const CellTask& task, const AnalysisOptions& options,
                      std::vector<CellResult>& results);
void analyze_normal_delta(const CellTask& task, const AnalysisOptions& options,
                          std::vector<CellResult>& results);

// Appends the note to every arm's assumptions.
void note_all(std::vector<CellResult>& results, const std::string& note);

} // namespace reckon::analysis::detail
