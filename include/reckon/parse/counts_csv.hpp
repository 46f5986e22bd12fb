#pragma once

#include "reckon/model/experiment.hpp"
#include "reckon/util/result.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::parse {

// Reads the counts CSV of SPEC §3 (a header row, then one row per experiment x variation x
// segment x date):
//   experiment,variation,is_control,segment_type,segment,date,visitors,conversions,revenue,revenue_sq
// Columns may come in any order; revenue_sq may be absent; unknown extra columns are ignored.
// Fields follow RFC 4180 (double-quoted fields may hold commas, quotes and newlines).
//
// Each experiment keeps its variations in order of first appearance and one cell per distinct
// slice (see model::Slice): empty segment_type/segment and empty date give the overall slice,
// a date alone gives the "day" slice of that date.
//
// Every violation is a bad_input error whose `where` is "file:line:column" (1-based, column
// counting fields) and whose message names the column: missing columns, non-numbers,
// negative or fractional counts, conversions above visitors, a malformed date, a variation
// whose is_control changes between rows, an experiment with no control or two, a slice that
// repeats a variation or lacks one of the experiment's variations.
util::Result<model::Dataset> parse_counts_csv(std::string_view text, std::string_view file_name);

// One experiment's share of a counts CSV: the header and that experiment's rows, in file order.
struct CountsCsvPart {
  std::string experiment_id;
  std::string text;
};

// Splits a counts CSV by experiment, in order of first appearance, so that the store keeps one
// response per experiment and a refreshed file replaces the experiments it carries. Each part
// is itself a counts CSV: every field as read, written back per RFC 4180 with LF line ends.
// Fails as parse_counts_csv does, on the same errors.
util::Result<std::vector<CountsCsvPart>> split_counts_csv(std::string_view text,
                                                          std::string_view file_name);

// Where one experiment's rows lie in a counts CSV whose rows come grouped by experiment.
struct CountsCsvGroup {
  std::string experiment_id;
  std::size_t begin = 0; // byte offset of its first row
  std::size_t end = 0;   // byte offset past its last row (and the blank lines after it)
  std::size_t line = 0;  // the line its first row starts on
};

// For a counts CSV too large to hold parsed: checks the whole file as parse_counts_csv does,
// with the same errors, while holding one experiment at a time, and hands each experiment,
// checked and complete, to `on_experiment` (the caller drops what it kept when the outcome is
// an error). Nullopt, without error, when some experiment's rows do not come together (its id
// comes back after another's): such a file must be read whole by parse_counts_csv.
util::Result<std::optional<std::vector<CountsCsvGroup>>>
index_counts_csv(std::string_view text, std::string_view file_name,
                 const std::function<void(model::Experiment)>& on_experiment);

// The experiment of one group that index_counts_csv found, as parse_counts_csv gives it.
util::Result<model::Experiment> read_counts_group(std::string_view text, std::string_view file_name,
                                                  const CountsCsvGroup& group);

} // namespace reckon::parse
