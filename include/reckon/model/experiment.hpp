#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace reckon::model {

// The slice of an experiment's population that a cell describes.
//   overall:           segment_type "overall", segment "All", date empty
//   one segment value: segment_type "device_type", segment "Mobile", date empty
//   one day:           segment_type "day", segment "2026-09-01", date empty
//   a segment on a day: segment_type "device_type", segment "Mobile", date "2026-09-01"
struct Slice {
  std::string segment_type;
  std::string segment;
  std::string date;

  static Slice overall() { return {"overall", "All", {}}; }
  bool is_overall() const { return segment_type == "overall"; }
  auto operator<=>(const Slice&) const = default;
};

// The vendor's reported relative uplift of a variation over the control.
struct ReportedUplift {
  std::optional<double> value;
  std::optional<double> ci_low;
  std::optional<double> ci_high;
  std::optional<double> plus_minus;
};

// What a source reported for one metric of one variation in one slice, exactly as given: a
// number the source left null (low data) is absent. `whole_null` marks a metric that was null
// as a whole (profit when costs are not configured).
struct ReportedMetric {
  std::string name;
  bool whole_null = false;
  std::optional<double> value;
  std::optional<double> ci_low;
  std::optional<double> ci_high;
  std::optional<double> plus_minus;
  std::optional<double> p2bb;
  std::optional<double> p2bc;
  std::optional<ReportedUplift> uplift; // absent on the control and on counts
  // A frequentist source's test of the variant against the control (the experimentation
  // platform's `confidence`, as a share in [0, 1], and `is_significant`); absent elsewhere.
  std::optional<double> confidence = std::nullopt;
  std::optional<bool> significant = std::nullopt;
};

// Raw counts for one variation within one slice. `revenue_sq` is the sum of squared order
// values, present only when the source had order-level data; `profit` and `profit_sq` are the
// sum of gross profit over orders and of its squares, present only when costs are known.
struct ArmCounts {
  std::string variation_id;
  std::uint64_t visitors = 0;
  std::uint64_t conversions = 0;
  double revenue = 0.0;
  std::optional<double> revenue_sq;
  std::optional<double> profit;
  std::optional<double> profit_sq;
  // Further counts and totals the source gave, under its own names (the visitors who added
  // to cart as "n_visitors_added_to_cart", "total_units", "net_product_revenue" ...).
  std::map<std::string, double, std::less<>> totals;
  // The source's own statistics for this arm, in the source's order; empty for a counts CSV.
  std::vector<ReportedMetric> reported;
};

// Every variation's counts for one slice. Arms follow the experiment's variation order.
struct CountsCell {
  Slice slice;
  std::vector<ArmCounts> arms;
  // The stored response or file the cell came from, for messages ("reckon.db: GET
  // /experiences/ID").
  std::string origin;
};

struct Variation {
  std::string id;
  std::string name;
  bool is_control = false;
  // Share of traffic the test assigns to this variation, on any positive scale (0.5 or 50);
  // only the ratios between variations matter. Absent when unknown.
  std::optional<double> allocation;
};

struct Experiment {
  std::string id;
  std::string name;
  std::string status; // "started", "ended", ... or empty when the source does not say
  std::string source; // "counts_csv", "intelligems", ...
  std::optional<std::int64_t> started_at_ms; // Unix milliseconds, when the source says
  std::optional<std::int64_t> ended_at_ms;
  std::string primary_metric; // the vendor's primary metric under its analytics name, if known
  // False when the source counted conversions only (a counts CSV without a revenue column): its
  // arms' revenue is 0 by absence, and no revenue metric is computed.
  bool revenue_known = true;
  // What the store's money amounts are written with ("$", or a code such as "EUR" when the
  // source gives no symbol); empty when the source does not say.
  std::string currency;
  std::vector<Variation> variations;
  std::vector<CountsCell> cells;
  // True when the source moves traffic toward the better arms as the test runs (a bandit): the
  // arms' visitors follow no fixed split, so no sample-ratio test applies.
  bool adaptive_allocation = false;
  // What every reading of the results must know about how the source's data became these
  // counts (a bandit's events counted once, events without an assignment, why nothing was reported;
  // the platform's counts rebuilt from rounded percentages), in
  // sentences; empty for most sources.
  std::vector<std::string> source_notes;
  // Set when the whole-window cells (overall, segments) were rebuilt as sums of some of the
  // days (model::keep_days).
  struct RebuiltWindow {
    // How they were made; every result of a whole-window cell carries it among its assumptions.
    std::string derivation;
    // The source's own overall cell: it still describes the spread of order values, which cells
    // without an interval of their own borrow.
    std::optional<CountsCell> source_overall;
  };
  std::optional<RebuiltWindow> rebuilt_window;

  // Index of the control variation; a validated experiment has exactly one.
  std::size_t control_index() const;
  // Number of distinct days covered by day slices, if there are any; else, for a test the source
  // dates from start to end (a platform's, which reports totals only), the days between.
  std::optional<int> runtime_days() const;
};

struct Dataset {
  std::vector<Experiment> experiments;
};

} // namespace reckon::model
