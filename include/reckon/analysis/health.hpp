#pragma once

#include "reckon/analysis/milestones.hpp"
#include "reckon/analysis/results.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/util/calendar.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reckon::analysis {

// `reckon health` (issue 15): the morning check a growth team runs on every live test
// (research/intelligems-api.md §2.2), each rule named, with its numbers.

// Ordered: a test's status is its worst reason's severity.
enum class HealthStatus { healthy, watch, critical };
std::string_view health_status_label(HealthStatus status); // "healthy", "watch", "critical"

// The rules' thresholds, the seed's defaults (seed 001, "Recommended Thresholds").
struct HealthThresholds {
  int min_runtime_days = 10;        // min_runtime: younger tests are on watch
  std::uint64_t min_visitors = 100; // min_visitors: in every variation
  std::uint64_t min_orders = 10;    // min_orders: in every variation
  // conversion_drop: (control - variant) / control at or past this is a drop...
  double conversion_drop = 0.20;
  // ... and critical once P(drop >= conversion_drop) reaches this; below it the drop is only
  // on watch, so that noise on a small test does not page anyone.
  double drop_evidence = 0.95;
  double srm_p_value = 0.001; // srm: chi-square p below this is critical
  int stalled_days = 1;       // stalled: this many days without a visitor
};

// A named number of a reason, written as a JSON field and a CSV column.
using HealthNumber = std::pair<std::string, double>;

// One rule's finding. `note` findings inform (a rule that cannot apply, and why) without
// changing the status.
enum class ReasonSeverity { note, watch, critical };
std::string_view reason_severity_label(ReasonSeverity severity); // "note", "watch", "critical"

struct HealthReason {
  std::string rule; // "min_runtime", "min_visitors", "min_orders", "conversion_drop", "srm",
                    // "no_data", "stalled"
  ReasonSeverity severity = ReasonSeverity::note;
  std::string variation_id; // the variation it is about; empty for the whole test
  std::string message;      // in words, with the numbers and the variation's name
  std::vector<HealthNumber> numbers;
};

// One arm as an alert shows it (seed 001's Slack message): counts, and per-visitor and
// per-order values with their relative lift over the control (absent on the control, or when
// the control's value is zero or missing).
struct ArmSnapshot {
  std::string variation_id;
  std::string name;
  bool is_control = false;
  std::uint64_t visitors = 0;
  std::uint64_t orders = 0;
  std::optional<double> conversion_rate;
  std::optional<double> revenue_per_visitor;
  std::optional<double> average_order_value;
  std::optional<double> conversion_lift;
  std::optional<double> revenue_per_visitor_lift;
  std::optional<double> average_order_value_lift;
};

// How long until the verdict rule can decide, at current traffic.
struct VerdictForecast {
  std::optional<double> days; // 0 when decided; absent when it cannot be projected
  std::string basis;          // the assumption, or why there is no projection
};

// One test's health: also the plain-data alert summary notifiers map to messages.
struct ExperimentHealth {
  std::string id;
  std::string name;
  std::string source;            // model::Experiment::source
  std::string experiment_status; // the source's: "started", "ended", ...
  std::optional<int> runtime_days;
  HealthStatus status = HealthStatus::healthy;
  std::string verdict; // "WINNER", or per variation "Name: LOSER; Other: FLAT"; "" when none
  std::string verdict_metric;
  VerdictForecast days_to_verdict;
  std::vector<HealthReason> reasons; // worst first, then in rule order
  std::vector<ArmSnapshot> arms;     // in variation order

  // The first reason that decided the status; nullptr when healthy.
  const HealthReason* worst_reason() const;
};

struct HealthReport {
  util::Date as_of;
  HealthThresholds thresholds;
  std::vector<ExperimentHealth> experiments;
  // The tests that reached a milestone since the last kept health run, in experiment order;
  // filled by the caller, who knows the runs (check_health leaves it empty).
  std::vector<MilestoneSummary> milestones;

  HealthStatus worst() const; // healthy when there is no experiment
};

struct HealthInputs {
  HealthThresholds thresholds;
  util::Date as_of; // the day the check describes
  // Tests whose allocation adapts (bandits): the srm rule does not apply to them.
  std::set<std::string, std::less<>> adaptive;
};

// Runs every rule on every analysed experiment. `results` is analyze_counts of `dataset`
// (with its verdicts); the conversion drop's evidence comes from the conversion rate's Beta
// posteriors under `results.options.prior`, exactly.
HealthReport check_health(const model::Dataset& dataset, const Results& results,
                          const HealthInputs& inputs);

// The latest day an experiment of the dataset describes (its last day slice, or its end), for
// a default --as-of; absent when the data hold no date.
std::optional<util::Date> last_data_day(const model::Dataset& dataset);

// Days to a verdict for one variant cell pair: the interval of log(1 + uplift) is taken as
// Normal and narrowing as 1/sqrt(visitors) at the test's daily traffic, the point uplift held;
// the answer is the first day the verdict rule could call it, no earlier than the rule's
// minimum runtime, visitors and orders allow. Exposed for tests.
VerdictForecast forecast_verdict(const CellResult& variant, const CellResult& control,
                                 std::optional<int> runtime_days, double level,
                                 const VerdictRule& rule);

namespace health_detail {

// The conversion-drop rule on one variant against the control: nullopt when it does not fire
// (or the control never converted).
std::optional<HealthReason> conversion_drop_reason(const model::ArmCounts& control,
                                                   const model::ArmCounts& variant,
                                                   const model::Variation& variant_variation,
                                                   const stats::BetaPrior& prior,
                                                   const HealthThresholds& thresholds);

} // namespace health_detail

} // namespace reckon::analysis
