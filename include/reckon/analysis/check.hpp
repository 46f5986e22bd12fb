#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/analysis/vendor_method.hpp"
#include "reckon/model/experiment.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace reckon::analysis {

struct CheckSettings {
  // Drift rule (SPEC §4): a reported number drifts when |reported - recomputed| exceeds
  // K sqrt(se_reported^2 + se_ours^2), plus half a unit of the vendor's rounding.
  double tolerance_k = 4.0;
  // An account holds tens of thousands of reported numbers, so a fixed K would flag a few
  // honest ones in every run (2 P(Z > 4) = 6.3e-5 each). K is raised, when needed, so that the
  // chance of any false alarm in the whole run stays at this level (Bonferroni); 0 keeps K.
  double family_alpha = 0.01;
  // The vendor's Monte Carlo draws, which set se_reported.
  std::uint64_t vendor_draws = 10'000;
  // Where the vendor leaves statistics null is undocumented (research note §4.4: null at 5 and
  // ~19 orders, present at 49), but consistent within an account: by default the boundary is
  // inferred from the account itself, per metric kind. `fixed_null_rule` (the user gave
  // --low-data-visitors or --low-data-events) holds the vendor instead to: null exactly when an
  // arm has fewer visitors or events than these.
  bool fixed_null_rule = false;
  std::uint64_t low_data_visitors = 100;
  std::uint64_t low_data_events = 30;
};

// Where the vendor leaves one kind of statistic null, as inferred from an account: null
// exactly when the smallest arm of a slice has fewer than `events` events or fewer than
// `visitors` visitors (0: that dimension plays no part). A rule of this shape is monotone: a
// row with more data than a non-null row is non-null, one with less data than a null row null.
struct NullBoundary {
  std::string kind;   // "rates", "per-order values", "per-visitor values"
  std::string events; // what the events are: "events" (a rate's successes) or "orders"
  std::uint64_t min_events = 0;
  std::uint64_t min_visitors = 0;
  // The evidence on each side of the boundary, over the rows it explains: the most data among
  // the null rows that dimension alone makes null, and the least among non-null rows.
  std::optional<std::uint64_t> largest_null_events;
  std::optional<std::uint64_t> smallest_non_null_events;
  std::optional<std::uint64_t> largest_null_visitors;
  std::optional<std::uint64_t> smallest_non_null_visitors;
  std::uint64_t rows = 0;        // slice x metric rows of this kind in the account
  std::uint64_t null_rows = 0;   // of which null
  std::uint64_t unexplained = 0; // on the wrong side of the boundary: the rule's failures
};

// "null below 10 orders in an arm (largest null 9, smallest non-null 10)"; `evidence` false
// leaves out the parenthesis.
std::string describe(const NullBoundary& boundary, bool evidence = true);

// One cell that broke a check, with the numbers that show it.
struct CheckFailure {
  model::Slice slice;
  std::string metric;       // empty for checks on counts
  std::string variation_id; // empty for checks on a whole slice
  std::string detail;       // "p2bb reported 0.7119, recomputed 0.6543 (tolerance 0.0231)"
};

// One check over one experiment: how many cells it examined, and which broke it.
struct CheckOutcome {
  std::string name;  // "drift", "value_matches_counts", ...
  std::string title; // "reported statistics agree with the recomputed ones", ...
  std::uint64_t examined = 0;
  std::vector<CheckFailure> failures;
};

struct ExperimentCheck {
  std::string id;
  std::string name;
  std::string source; // model::Experiment::source
  std::vector<CheckOutcome> checks;
};

struct CheckReport {
  CheckSettings settings;
  std::uint64_t comparisons = 0; // reported numbers compared by the drift rule
  double effective_k = 0.0;      // K after the family-wise correction
  std::vector<ExperimentCheck> experiments;
  std::uint64_t drift_examined = 0; // cells with reported statistics
  std::uint64_t drift_flagged = 0;
  // The account's own null boundary per metric kind that has statistics; empty under a fixed
  // null rule.
  std::vector<NullBoundary> null_boundaries;
  // The statistics of each source that does not document them (the experimentation platform),
  // identified from its experiments; their cells are held to it instead of the drift rule.
  std::vector<VendorMethodReport> vendor_methods;
  bool any_failure() const;
};

// Compares every reported statistic of `results` with the recomputed one by the drift rule,
// filling each cell's `drift`, and runs the internal-consistency checks on what the source
// reported: value = count / visitors, uplift = ratio - 1, control p2bb = 1 - variant p2bb and
// variant p2bc = variant p2bb in two arms, p2bb summing to 1, null exactly when data are low
// (below the account's inferred boundary, or the fixed one), segment visitors <= overall. `results`
// must come from analysing `dataset`. Experiments of the experimentation platform are held
// instead to the method identified from all of them (identify_vendor_method): check
// "vendor_method" lists the figures it cannot produce.
CheckReport check_results(Results& results, const model::Dataset& dataset,
                          const CheckSettings& settings);

} // namespace reckon::analysis
