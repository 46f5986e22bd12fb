#pragma once

#include "reckon/analysis/check.hpp"
#include "reckon/analysis/metrics.hpp"

#include <optional>
#include <span>
#include <vector>

namespace reckon::analysis::detail {

// The drift rule's comparisons on one cell: every reported statistic against the recomputed
// one, with the noise and rounding of their difference, not yet judged. Nullopt when the
// source reported nothing comparable.
std::optional<CellDrift> cell_drift(const CellResult& cell, const AnalysisOptions& options,
                                    const CheckSettings& settings);

// Sets each field's tolerance (K noise + rounding) and flag, and the cell's flag and reason:
// K is `k` for a known noise, and for an estimated one the larger of `k` and Student's t
// critical value at two-sided `level`.
void judge_drift(CellDrift& drift, double k, double level);

// The internal-consistency checks on what the source reported for one experiment, each
// returning the cells it examined and those that broke it.
CheckOutcome check_value_matches_counts(const model::Experiment& experiment);
CheckOutcome check_uplift_is_ratio(const model::Experiment& experiment);
CheckOutcome check_control_complements_variant(const model::Experiment& experiment);
CheckOutcome check_p2bc_equals_p2bb(const model::Experiment& experiment);
CheckOutcome check_p2bb_sums_to_one(const model::Experiment& experiment);
CheckOutcome check_segments_within_overall(const model::Experiment& experiment);

// Where one kind of statistic is null: below the boundary's events (counted as orders when
// `on_orders`, else as the metric's own events: a rate's successes, a value's orders) or its
// visitors, in the arm with fewest.
struct NullRule {
  MetricKind kind;
  bool on_orders;
  NullBoundary boundary;
};

// The boundary of each metric kind with statistics in the account, inferred from all of its
// rows: the thresholds that leave the fewest rows on the wrong side.
std::vector<NullRule> infer_null_rules(const model::Dataset& dataset);

// The user's fixed thresholds, the same for every kind.
std::vector<NullRule> fixed_null_rules(const CheckSettings& settings);

// Statistics are null exactly when the rule of their kind says data are low.
CheckOutcome check_null_exactly_when_low(const model::Experiment& experiment,
                                         const CheckSettings& settings,
                                         std::span<const NullRule> rules);

} // namespace reckon::analysis::detail
