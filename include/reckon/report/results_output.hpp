#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/model/day_range.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace reckon::report {

// Facts about the run that are not analysis options.
struct RunInfo {
  std::string version;
  std::size_t threads = 1;
  model::DayRange days = {}; // the days analysed (--from, --to); unbounded: every day
};

// One side of an optional interval, e.g. interval_bound(cell.ci_se, &stats::Interval::low).
inline std::optional<double> interval_bound(const std::optional<stats::Interval>& interval,
                                            double stats::Interval::*side) {
  return interval ? std::optional<double>((*interval).*side) : std::nullopt;
}

// The `reckon.results/v1` document of SPEC §3.
std::string render_results_json(const analysis::Results& results, const RunInfo& run);

// One row per cell (experiment x slice x metric x variation), nulls as empty fields; the same
// numbers as the JSON, with round-trip precision.
std::string render_results_csv(const analysis::Results& results);

// The report folder's cells.csv: the rows and columns of render_results_csv with, beside
// them, the experiment's and variation's names, the kind of slice (overall, segment, day,
// segment_day), whether the row's metric is the test's primary one, the test's verdict for
// the row's variation, what the vendor reported and the drift `check` found, and the
// assumptions; RFC 4180 quoting, nulls as empty fields.
std::string render_cells_csv(const analysis::Results& results);

// Which slices a table shows: all of them, or only each experiment's whole population.
enum class TableScope { every_slice, overall_only };

// A table for people: per experiment and slice, each variation's rate, interval, uplift and
// probabilities, rounded for reading.
std::string render_results_table(const analysis::Results& results,
                                 TableScope scope = TableScope::every_slice);

} // namespace reckon::report
