#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/model/day_range.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace reckon::report {

// Facts about the run that are not analysis options.
struct RunInfo {
  std::string version;
  std::size_t threads = 1;
  model::DayRange days = {}; // the days analysed (--from, --to); unbounded: every day
  // MPI ranks that shared the experiments; the JSON's engine block names them when above one.
  std::size_t ranks = 1;
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

// Which slices a table shows: each experiment's whole population (the decision summary), or
// every slice (--detail).
enum class TableScope { overall_only, every_slice };

// Columns a table for people is designed to fit.
inline constexpr std::size_t k_table_width = 100;

struct TableLayout {
  TableScope scope = TableScope::overall_only;
  // Columns a line may take; a wider row folds onto more lines, every number whole.
  std::size_t width = k_table_width;
};

// A table for people: per experiment its verdict, then per slice (overall, then segments, then
// days, whatever the input order) each metric, the primary first, with a row per variation:
// verdict, value and interval, uplift and interval, P(beat control), P(best), expected loss;
// variations by name, money in the experiment's currency where known.
std::string render_results_table(const analysis::Results& results, const TableLayout& layout = {});

// A results document made one experiment at a time, so that memory holds one experiment's
// results instead of the account's: begin(), then experiment(result, index) for every
// experiment in order (index from 0), then end(count). Each piece depends only on its
// arguments, so pieces made apart (on other MPI ranks) join into the same bytes; joined, they
// are what render_results_json, render_results_csv and render_results_table write.
class ResultsPieces {
public:
  virtual ~ResultsPieces() = default;
  virtual std::string begin() const = 0;
  virtual std::string experiment(const analysis::ExperimentResult& experiment,
                                 std::size_t index) const = 0;
  virtual std::string end(std::size_t count) const = 0;
};

std::unique_ptr<ResultsPieces> results_json_pieces(const analysis::AnalysisOptions& options,
                                                   const RunInfo& run);
std::unique_ptr<ResultsPieces> results_csv_pieces();
std::unique_ptr<ResultsPieces> results_table_pieces(const analysis::AnalysisOptions& options,
                                                    const TableLayout& layout);

// Every piece of `results`, joined.
std::string join_pieces(const ResultsPieces& pieces, const analysis::Results& results);

} // namespace reckon::report
