#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/analysis/verdict.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/stats/monte_carlo.hpp"
#include "reckon/stats/srm.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::analysis {

// `reckon segments` (SPEC §4 Segments, intelligems-api.md §2.1 "Segment winners"): the
// vendor-style verdict per segment, and what no vendor tool gives beside it — partial pooling,
// the count of winners chance alone produces, per-segment sample-ratio checks, contradictions
// and Simpson-style reversals, the revenue opportunity and a rollout call.

// ---- Partial pooling ----

// A relative uplift on the log scale, log(1 + uplift), with its standard error. Uplifts are
// ratios: their sampling distribution is skewed, and credible intervals of a ratio are close to
// symmetric only on the log scale, so the standard error read off an interval's width and the
// Normal model of the shrinkage both hold there and not on the raw scale.
struct LogUplift {
  double estimate = 0.0;
  double standard_error = 0.0;
};

// log(1 + uplift) with the standard error (log(1 + high) - log(1 + low)) / (2 z), z the
// two-sided Normal quantile of `level`. Nullopt when a bound is at or below -1 (a zero
// variant) or the interval has no width.
std::optional<LogUplift> log_uplift_from_interval(double uplift, double low, double high,
                                                  double level);

// How much the true log uplifts of one dimension's segments differ. DerSimonian-Laird's method
// of moments: Cochran's Q = sum w_i (y_i - y_w)^2 with w_i = 1 / se_i^2 and y_w the
// w-weighted mean, and tau^2 = (Q - (k - 1)) / (sum w - sum w^2 / sum w) floored at 0 (0 for
// fewer than two segments). I^2 = (Q - (k - 1)) / Q, floored at 0, is the share of the spread
// between segments that noise does not explain.
struct Heterogeneity {
  double q = 0.0;
  std::size_t segments = 0;
  double tau2 = 0.0;
  double i2 = 0.0;
};
Heterogeneity heterogeneity(std::span<const LogUplift> segments);

// The empirical-Bayes posterior of one segment's log uplift, shrunk toward the experiment's
// overall log uplift by B = se^2 / (se^2 + tau^2): estimate B overall + (1 - B) segment and
// variance (1 - B) se^2 + B^2 se_overall^2 (Morris's, counting the overall's own uncertainty).
struct ShrunkUplift {
  double estimate = 0.0;
  double standard_error = 0.0;
  double shrinkage = 0.0; // B: 0 keeps the segment's own estimate, 1 takes the overall's
};
ShrunkUplift shrink_toward(const LogUplift& segment, const LogUplift& overall, double tau2);

// The posterior of tau on a grid: tau uniform on [0, 1] a priori (Gelman's choice for a
// hierarchical scale, BDA §5.7; 1 on the log scale lets segments differ by a factor e), times
// the likelihood prod N(y_i; overall, se_i^2 + tau^2). Few segments cannot pin tau^2 down, and
// DerSimonian-Laird's point estimate is then often 0, which pools a segment that truly differs
// all the way to the overall; averaging over this posterior keeps such a segment near its own
// data unless the segments really agree. Weights sum to 1.
struct TauPosterior {
  std::vector<double> tau2;
  std::vector<double> weight;
};
TauPosterior tau_posterior(std::span<const LogUplift> segments, const LogUplift& overall);

// shrink_toward averaged over the posterior of tau: the mixture's mean, its standard deviation
// (within and between grid points) and the mean shrinkage.
ShrunkUplift shrink_hierarchically(const LogUplift& segment, const LogUplift& overall,
                                   const TauPosterior& posterior);

// The verdict rule's evidence from a Normal posterior of the log uplift: p2bc = P(better),
// the uplift exp(estimate) - 1 and its interval at `level`.
Evidence evidence_from_log(const LogUplift& posterior, double level, stats::Direction direction);

// ---- The chance count ----

// The z a segment's estimate must pass to be called a winner when nothing changed: p2bc at
// least the threshold and the uplift beyond the band, so max(z_threshold, log(1 + band) / se).
double winner_z(double standard_error, const VerdictRule& rule);

// One segment comparison (variation against control in one segment) that the rule can call.
struct ChanceComparison {
  std::size_t dimension = 0;
  std::size_t segment = 0;   // index into its dimension's shares
  std::size_t variation = 0; // arm index of the variation; the control is arm `control`
  double variant_visitors = 0.0;
  double control_visitors = 0.0;
  double winner_z = 0.0;
};

// Every segment's share of the experiment's visitors, per dimension.
using ChanceDimension = std::vector<double>;

struct ChanceCount {
  double expected = 0.0;          // sum of P(called winner | no effect anywhere): exact
  std::uint64_t upper_95 = 0;     // the 95th percentile of the simulated count
  double upper_95_coverage = 0.0; // P(count <= upper_95) in the simulation
  double upper_95_coverage_se = 0.0;
  std::uint64_t draws = 0;
  // distribution[c]: the simulated P(exactly c winners), each with Monte Carlo error
  // sqrt(p (1 - p) / draws).
  std::vector<double> distribution;

  // The simulated P(at least `found` winners): how often chance alone finds as many.
  double at_least(std::size_t found) const;
};

// The count of winners if no variation had any effect anywhere. The segments of one dimension
// are disjoint, so their estimates are independent; with no joint data the dimensions are
// taken as independent of each other, so a segment i of one dimension and j of another share
// w_i w_j of the visitors and their estimates correlate sqrt(w_i w_j). Each arm's standardised
// segment errors are drawn with exactly that structure (one overall error Z per arm; per
// dimension, independent Normals projected off the direction sqrt(w) and Z added back along
// it), and a comparison's z is (e_v / sqrt(n_v) - e_c / sqrt(n_c)) / sqrt(1/n_v + 1/n_c), so
// variations that share a control correlate as they do in the data. Seeded mt19937_64 with
// Marsaglia's polar normals: the same inputs give the same count on every platform.
ChanceCount chance_count(std::span<const ChanceDimension> dimensions,
                         std::span<const ChanceComparison> comparisons, std::size_t arms,
                         std::size_t control, std::uint64_t draws, std::uint64_t seed);

// ---- Contradictions and reversals ----

// A segment contradicts the overall result when their uplifts lie beyond the band on opposite
// sides (intelligems-api.md §2.1).
bool contradicts(double overall_uplift, double segment_uplift, double neutral_band);

// One segment of a dimension: each arm's value and the segment's share of the pooled visitors.
struct Stratum {
  double control_value = 0.0;
  double variant_value = 0.0;
  double share = 0.0;
};

// sum share * variant / sum share * control - 1: the uplift with every arm given the same
// segment mix. Nullopt when the control's weighted value is 0.
std::optional<double> post_stratified_uplift(std::span<const Stratum> strata);

// ---- Opportunity and rollout ----

struct Opportunity {
  double per_year = 0.0;
  double low = 0.0;
  double high = 0.0;
};

// intelligems-api.md §2.1: (segment visitors of variant + control / runtime days) x control
// value per visitor (overall) x uplift x 365, the interval from the uplift's.
Opportunity revenue_opportunity(double segment_visitors, int runtime_days,
                                double control_value_per_visitor, const Evidence& uplift);

enum class RolloutCall { roll_out, segment_specific, dont, hold };
std::string_view rollout_label(RolloutCall call);

struct RolloutTally {
  std::size_t segments = 0;
  std::size_t winners = 0;
  std::size_t losers = 0;
  std::size_t low_data = 0;
  // Found no more than expected by chance (the rule is symmetric, so as many losers as
  // winners are expected).
  bool winners_within_chance = false;
  bool losers_within_chance = false;
};

struct RolloutDecision {
  RolloutCall call = RolloutCall::hold;
  std::string reason;
};

// §2.1's rule on the winners and losers that exceed chance (a count no larger than chance
// produces counts as none): more than half the segments low on data, HOLD; winners and losers,
// SEGMENT-SPECIFIC; losers only, DON'T; winners in at least half, ROLL OUT; fewer winners,
// SEGMENT-SPECIFIC (a case §2.1 leaves open); neither, HOLD.
RolloutDecision rollout_call(const RolloutTally& tally);

// ---- The whole command ----

enum class SegmentVerdict { winner, loser, flat, inconclusive, low_data };
std::string_view segment_verdict_label(SegmentVerdict verdict);

struct SegmentOptions {
  VerdictRule rule;
  double level = 0.95;
  // Metrics to read; empty: each experiment's verdict metric.
  std::vector<std::string> metrics;
  std::uint64_t seed = 0;
  std::uint64_t chance_draws = 20'000;
};

struct SegmentCall {
  Evidence evidence;
  SegmentVerdict verdict = SegmentVerdict::inconclusive;
  std::string reason; // why LOW DATA, or why a statistic is missing
};

// One segment value x non-control variation x metric.
struct SegmentRow {
  std::string dimension;
  std::string segment;
  std::string variation_id;
  std::string metric;
  std::uint64_t control_visitors = 0;
  std::uint64_t variant_visitors = 0;
  std::uint64_t control_orders = 0;
  std::uint64_t variant_orders = 0;
  std::optional<double> control_value;
  std::optional<double> variant_value;
  std::optional<double> p2bb;
  // Monte Carlo errors of the raw numbers, absent where exact or unknown.
  std::optional<double> p2bc_se;
  std::optional<double> p2bb_se;
  std::optional<stats::Interval> uplift_ci_se;
  SegmentCall raw;
  SegmentCall pooled;
  std::optional<double> shrinkage;        // B of shrink_toward
  std::optional<double> false_win_chance; // P(called winner | no effect), eligible rows
  bool contradiction = false;
  std::optional<Opportunity> opportunity; // winners only
  std::string opportunity_reason;         // why a winner has none
};

// The sample-ratio check of one segment across all arms.
struct SegmentSrm {
  std::string dimension;
  std::string segment;
  stats::SampleRatioTest test;
};

// One dimension x variation x metric: heterogeneity and the Simpson check.
struct DimensionCheck {
  std::string dimension;
  std::string variation_id;
  std::string metric;
  Heterogeneity heterogeneity;
  std::optional<double> pooled_uplift;          // the overall cell's
  std::optional<double> post_stratified_uplift; // segments reweighted to their pooled shares
  bool reversal = false;
};

// The chance count of one variation-set x metric.
struct ChanceSummary {
  std::string metric;
  std::size_t eligible = 0;
  std::size_t winners_found = 0;
  std::size_t losers_found = 0;
  std::size_t pooled_winners_found = 0;
  ChanceCount chance;
  bool within_chance = false;        // winners found <= expected
  bool losers_within_chance = false; // losers found <= expected (the rule is symmetric)
};

struct VariationRollout {
  std::string variation_id;
  RolloutTally tally;
  RolloutDecision decision;
  std::optional<Opportunity> opportunity; // summed over winning segments
  std::string opportunity_reason;
};

struct ExperimentSegments {
  std::string id;
  std::string name;
  std::string source; // model::Experiment::source
  std::optional<int> runtime_days;
  std::vector<model::Variation> variations;
  std::optional<TestVerdict> verdict;
  std::vector<std::string> metrics; // the first is the one rollout and opportunity use
  // The overall cell of each non-control variation on each metric.
  std::vector<CellResult> overall;
  std::vector<SegmentRow> rows;
  std::vector<SegmentSrm> srm;
  bool allocation_assumed_equal = false;
  // The whole test's check: when it fails, every segment inherits the mismatch.
  std::optional<SampleRatioCheck> overall_srm;
  std::vector<DimensionCheck> dimensions;
  std::vector<ChanceSummary> chance;
  std::vector<VariationRollout> rollouts;
};

struct SegmentsReport {
  AnalysisOptions options;
  SegmentOptions segment_options;
  std::vector<ExperimentSegments> experiments;
};

// Reads the segment cells of analysed results (every slice with a segment and no date).
// Experiments without segment cells are listed with no rows.
SegmentsReport analyze_segments(const Results& results, const SegmentOptions& options);

} // namespace reckon::analysis
