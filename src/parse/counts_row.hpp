#pragma once

#include "csv_reader.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/util/result.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::parse {

// The columns of the counts CSV (SPEC §3) in their canonical order. A file needs only those it
// uses: segment_type with segment, and date, may be absent when they would be empty; revenue
// when the data count conversions only. The last four are optional extensions: revenue_sq;
// allocation, each variation's intended share of traffic for the sample-ratio test; profit and
// profit_sq, the sum of gross profit over orders and of its squares, for the profit metrics.
enum class CountsColumn : std::size_t {
  experiment,
  variation,
  is_control,
  segment_type,
  segment,
  date,
  visitors,
  conversions,
  revenue,
  revenue_sq,
  allocation,
  profit,
  profit_sq,
};

inline constexpr bool is_optional(CountsColumn column) {
  return column != CountsColumn::experiment && column != CountsColumn::variation &&
         column != CountsColumn::is_control && column != CountsColumn::visitors &&
         column != CountsColumn::conversions;
}

inline constexpr std::array<std::string_view, 13> k_counts_column_names = {
    "experiment",  "variation", "is_control", "segment_type", "segment", "date",     "visitors",
    "conversions", "revenue",   "revenue_sq", "allocation",   "profit",  "profit_sq"};

std::string_view column_name(CountsColumn column);

// Where the header puts each known column. Errors count fields from 1, so positions do too.
struct CountsLayout {
  std::array<std::optional<std::size_t>, k_counts_column_names.size()> positions;
  // Every header name, trimmed, known or not, to name any field of a short row.
  std::vector<std::string> header_names;

  bool has(CountsColumn column) const;
  // The row's field of a column, or empty when the header lacks the column.
  const std::string& field_or_empty(const CsvRecord& record, CountsColumn column) const;
  // The 1-based field index of a column the header has.
  std::size_t position(CountsColumn column) const;
};

// One validated data row.
struct CountsRow {
  std::string experiment;
  std::string variation;
  bool is_control = false;
  model::Slice slice;
  model::ArmCounts counts;
  std::optional<double> allocation;
};

// Finds the known columns in the header; fails on a missing required column or a repeated one,
// on segment_type without segment or the reverse, on revenue_sq without revenue, and on a header
// that looks separated by semicolons or tabs (saying so).
util::Result<CountsLayout> read_counts_header(const CsvRecord& header, std::string_view file_name);

// Validates one data row. Of several problems it reports the leftmost, so errors come out in
// file order.
util::Result<CountsRow> read_counts_row(const CsvRecord& record, const CountsLayout& layout,
                                        std::string_view file_name);

// `text` in double quotes for an error message: escaped, and cut short when long, so one huge
// or binary field cannot flood a log.
std::string quote_value(std::string_view text);

} // namespace reckon::parse
