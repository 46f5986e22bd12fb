#pragma once

#include "reckon/model/experiment.hpp"
#include "reckon/stats/beta.hpp"
#include "reckon/stats/monte_carlo.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace reckon::analysis {

// Which family of models answers a metric's questions.
enum class ModelRoute {
  bayesian,     // the vendor's: Beta-Binomial rates, log-normal order values, Monte Carlo
  normal_delta, // GrowthBook's: Normal posteriors of means, delta-method lift, closed form
};

// The vendor-style decision rule (research/intelligems-api.md §2.1), every threshold a flag.
struct VerdictRule {
  double threshold = 0.80;    // P(beat control) a winner needs; 1 - it for a loser (--threshold)
  double neutral_band = 0.02; // an uplift within ±band is no change (--band)
  int min_runtime_days = 10;  // --min-days
  std::uint64_t min_visitors = 100; // in each compared arm (--min-visitors)
  std::uint64_t min_orders = 30;    // variant and control together (--min-orders)
};

// The settings every cell of a run shares; recorded in the output.
struct AnalysisOptions {
  stats::SamplingPlan sampling;
  stats::BetaPrior prior;
  // Answer exactly where the arms allow it (all Beta, or all log-normal: conversion rates and
  // order values), drawing only the numbers with no exact route; false (--monte-carlo) draws
  // every number.
  bool exact = true;
  // The route of each metric named here; every other metric takes the bayesian route.
  std::map<std::string, ModelRoute, std::less<>> routes;
  // Only these metrics (empty: every metric the data support).
  std::vector<std::string> metrics;
  VerdictRule verdict;
};

struct UpliftEstimate {
  std::optional<double> value; // ratio of point estimates minus one, as vendors report it
  std::optional<double> ci_low;
  std::optional<double> ci_high;
};

// How far one reported number lies from the recomputed one, against what Monte Carlo noise on
// both sides allows (SPEC §4, drift rule).
struct FieldDrift {
  std::string field; // "p2bb", "p2bc", "ci_low", "ci_high", "uplift", "uplift_ci_low", ...
  double reported = 0.0;
  double recomputed = 0.0;
  double noise = 0.0;    // sqrt(se_reported^2 + se_ours^2): Monte Carlo error of the difference
  double rounding = 0.0; // half a unit of the vendor's last written digit
  // 0 when `noise` is known; else the degrees of freedom of its estimate (a quantile's error
  // read from the spacing of the draws), so that K comes from Student's t.
  double degrees_of_freedom = 0.0;
  double tolerance = 0.0; // K noise + rounding
  bool flagged = false;
};

struct CellDrift {
  std::vector<FieldDrift> fields;
  bool flagged = false;
  std::string reason; // what drifted, in words; empty when nothing did
};

// One metric for one variation within one slice. A statistic that cannot be computed is
// absent, and `assumptions` says why.
struct CellResult {
  model::Slice slice;
  std::string metric;
  std::string variation_id;
  bool is_control = false;
  std::uint64_t n_visitors = 0;
  std::uint64_t n_orders = 0;

  std::optional<double> value;
  std::optional<double> ci_low;
  std::optional<double> ci_high;
  std::optional<double> prob_best;
  std::optional<double> prob_beat_control;
  std::optional<double> expected_loss;
  std::optional<UpliftEstimate> uplift; // absent for the control
  // Monte Carlo standard errors; absent where a number is exact or absent.
  std::optional<double> prob_best_se;
  std::optional<double> prob_beat_control_se;
  std::optional<double> expected_loss_se;
  std::optional<stats::Interval> ci_se;
  std::optional<stats::Interval> uplift_ci_se;

  std::string model;
  std::vector<std::string> assumptions;
  // What the source reported for this metric, variation and slice, if it reported anything.
  std::optional<model::ReportedMetric> reported;
  // Filled by `check`: the comparison of `reported` with the recomputed numbers.
  std::optional<CellDrift> drift;
};

// Whether a metric the data mention was re-analysed, and if not, why not: nothing the source
// reported is dropped silently.
struct MetricCoverage {
  std::string name;
  bool reanalysed = false;
  std::string reason; // empty when re-analysed
};

struct SampleRatioCheck {
  double chi2 = 0.0;
  double p_value = 1.0;
  bool flagged = false;
  bool allocation_assumed_equal = false;
};

// A variation's verdict on its test's primary metric (decided by analysis/verdict.hpp).
enum class Verdict { winner, loser, flat, keep_running, too_early };

struct VariationVerdict {
  std::string variation_id;
  Verdict verdict = Verdict::too_early;
  std::string reason; // in words, with the numbers that decided it
};

// A test's decision: its primary metric, why that one, and a verdict per non-control variation.
struct TestVerdict {
  std::string metric;
  std::string metric_reason;
  std::vector<VariationVerdict> variations;
};

struct ExperimentResult {
  std::string id;
  std::string name;
  std::string status;
  std::string source;
  std::string currency; // as model::Experiment's; tables write money with it
  std::optional<int> runtime_days;
  std::vector<model::Variation> variations;
  std::optional<SampleRatioCheck> srm; // absent without an overall cell or when allocation adapts
  bool adaptive_allocation = false;    // a bandit: no planned split to test the visitors against
  // What the source's data need said with every reading (model::Experiment::source_notes).
  std::vector<std::string> notes;
  std::vector<MetricCoverage> metrics;
  std::vector<CellResult> cells;
  std::optional<TestVerdict> verdict;
};

struct Results {
  AnalysisOptions options;
  std::vector<ExperimentResult> experiments;
};

} // namespace reckon::analysis
