#include "counts_row.hpp"

#include "reckon/util/number_format.hpp"
#include "reckon/util/text.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <utility>

namespace reckon::parse {
namespace {

using Column = CountsColumn;

constexpr std::size_t k_max_quoted_bytes = 40;

std::size_t index_of(Column column) {
  return static_cast<std::size_t>(column);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trim_spaces(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool equals_ignoring_case(std::string_view text, std::string_view lower) {
  return std::equal(text.begin(), text.end(), lower.begin(), lower.end(), [](char a, char b) {
    return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
  });
}

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), is_digit);
}

int digits_value(std::string_view digits) {
  int value = 0;
  for (const char c : digits) {
    value = value * 10 + (c - '0');
  }
  return value;
}

// A real calendar date written YYYY-MM-DD; std::chrono knows the leap years.
bool is_calendar_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return false;
  }
  const std::string_view year = text.substr(0, 4);
  const std::string_view month = text.substr(5, 2);
  const std::string_view day = text.substr(8, 2);
  if (!all_digits(year) || !all_digits(month) || !all_digits(day)) {
    return false;
  }
  const std::chrono::year_month_day date{
      std::chrono::year{digits_value(year)},
      std::chrono::month{static_cast<unsigned>(digits_value(month))},
      std::chrono::day{static_cast<unsigned>(digits_value(day))}};
  return date.ok();
}

// Collects a row's problems and keeps the leftmost one.
class RowChecker {
public:
  RowChecker(const CsvRecord& record, const CountsLayout& layout, std::string_view file_name)
      : m_record(record), m_layout(layout), m_file_name(file_name) {}

  const std::string& field(Column column) const {
    return m_layout.field_or_empty(m_record, column);
  }

  void fail(Column column, const std::string& reason) {
    const std::size_t position = m_layout.position(column);
    if (m_error && position >= m_error_position) {
      return;
    }
    m_error_position = position;
    m_error = util::make_error(util::ErrorCode::bad_input,
                               csv_location(m_file_name, m_record.line, position),
                               std::string(column_name(column)) + ": " + reason);
  }

  const std::optional<util::Error>& error() const { return m_error; }

private:
  const CsvRecord& m_record;
  const CountsLayout& m_layout;
  std::string_view m_file_name;
  std::optional<util::Error> m_error;
  std::size_t m_error_position = 0;
};

std::string read_id(RowChecker& row, Column column) {
  const std::string& text = row.field(column);
  if (text.empty()) {
    row.fail(column, "must not be empty");
  }
  return text;
}

std::optional<bool> read_is_control(RowChecker& row) {
  const std::string& text = row.field(Column::is_control);
  if (text == "1" || equals_ignoring_case(text, "true")) {
    return true;
  }
  if (text == "0" || equals_ignoring_case(text, "false")) {
    return false;
  }
  row.fail(Column::is_control, "must be true, false, 1 or 0, got " + quote_value(text));
  return std::nullopt;
}

std::optional<std::uint64_t> read_count(RowChecker& row, Column column) {
  const std::string& text = row.field(column);
  if (const auto value = util::parse_unsigned(text)) {
    return static_cast<std::uint64_t>(*value);
  }
  // All digits yet unparsable can only mean overflow, which deserves its own words.
  const bool digits_only = !text.empty() && all_digits(text);
  row.fail(column, (digits_only ? "too large, got " : "must be a whole number >= 0, got ") +
                       quote_value(text));
  return std::nullopt;
}

// Which amounts may be negative: profit can be, revenue and counts of money cannot.
enum class Sign { non_negative, any };

std::optional<double> read_amount(RowChecker& row, Column column, std::string_view rule,
                                  Sign sign = Sign::non_negative) {
  const std::string& text = row.field(column);
  const auto value = util::parse_finite_double(text);
  if (!value || (sign == Sign::non_negative && *value < 0.0)) {
    row.fail(column, std::string(rule) + ", got " + quote_value(text));
    return std::nullopt;
  }
  // "-0" passes the sign test; store +0 so that no "-0" reaches a report.
  return *value == 0.0 ? 0.0 : *value;
}

// Maps the segment and date columns onto a model::Slice (see its comment).
model::Slice read_slice(RowChecker& row) {
  const std::string& segment_type = row.field(Column::segment_type);
  const std::string& segment = row.field(Column::segment);
  const std::string& date = row.field(Column::date);
  if (segment_type.empty() && !segment.empty()) {
    row.fail(Column::segment_type,
             "empty while segment is " + quote_value(segment) + "; give both or neither");
  } else if (!segment_type.empty() && segment.empty()) {
    row.fail(Column::segment,
             "empty while segment_type is " + quote_value(segment_type) + "; give both or neither");
  } else if (segment_type == "overall") {
    row.fail(Column::segment_type,
             "\"overall\" is reserved; leave segment_type and segment empty for the whole "
             "population");
  } else if (segment_type == "day") {
    row.fail(Column::segment_type, "\"day\" is reserved; give days in the date column");
  }
  if (!date.empty() && !is_calendar_date(date)) {
    row.fail(Column::date, "must be a calendar date YYYY-MM-DD or empty, got " + quote_value(date));
  }
  if (segment_type.empty()) {
    return date.empty() ? model::Slice::overall() : model::Slice{"day", date, {}};
  }
  return model::Slice{segment_type, segment, date};
}

// Totals that no set of orders can have. With no orders, every sum over orders is zero. With
// n orders of values x_i, Cauchy-Schwarz gives sum x_i^2 >= (sum x_i)^2 / n, equality when all
// are alike; the sum is allowed half a cent of rounding, and the bound a relative 1e-6, so
// that totals printed to cents and squares printed to four decimals always pass.
void check_order_totals(RowChecker& row, std::uint64_t orders, Column sum_column,
                        std::optional<double> sum, Column squares_column,
                        std::optional<double> squares) {
  if (orders == 0) {
    for (const auto& [column, value] : {std::pair{sum_column, sum}, {squares_column, squares}}) {
      if (value && *value != 0.0) {
        row.fail(column, "must be 0 when conversions is 0 (a sum over orders, and there are "
                         "none), got " +
                             quote_value(row.field(column)));
      }
    }
    return;
  }
  if (!sum || !squares) {
    return;
  }
  constexpr double k_half_cent = 0.005;
  constexpr double k_relative = 1e-6;
  constexpr double k_half_last_digit = 0.00005;
  const double smallest_sum = std::max(std::abs(*sum) - k_half_cent, 0.0);
  const double bound = smallest_sum * smallest_sum / static_cast<double>(orders);
  if (*squares < bound * (1.0 - k_relative) - k_half_last_digit) {
    const std::string sum_name(column_name(sum_column));
    row.fail(squares_column,
             "below " + sum_name + "^2/conversions = " + util::format_fixed(bound, 4) + ", got " +
                 quote_value(row.field(squares_column)) +
                 ": a sum of squares over orders is at least the squared sum over their count "
                 "(Cauchy-Schwarz)");
  }
}

util::Error field_count_error(const CsvRecord& record, const CountsLayout& layout,
                              std::string_view file_name) {
  const std::size_t got = record.fields.size();
  const std::size_t expected = layout.header_names.size();
  std::string message =
      "row has " + std::to_string(got) + " fields, the header has " + std::to_string(expected);
  if (got < expected) {
    message = layout.header_names[got] + ": missing; " + message;
  }
  return util::make_error(util::ErrorCode::bad_input,
                          csv_location(file_name, record.line, std::min(got, expected) + 1),
                          message);
}

// A header read as one field holding semicolons or tabs: a file saved with another separator
// (a spreadsheet in a locale that writes decimal commas uses semicolons).
std::optional<std::string> foreign_separator(const CsvRecord& header, std::string_view file_name) {
  if (header.fields.size() != 1) {
    return std::nullopt;
  }
  const std::string& only = header.fields.front();
  const char* kind = only.find(';') != std::string::npos    ? "semicolon"
                     : only.find('\t') != std::string::npos ? "tab"
                                                            : nullptr;
  if (kind == nullptr) {
    return std::nullopt;
  }
  return "header: looks " + std::string(kind) +
         "-separated; Reckon reads comma-separated CSV: save " + std::string(file_name) +
         " with commas between fields (and points for decimals)";
}

} // namespace

std::string_view column_name(CountsColumn column) {
  return k_counts_column_names[index_of(column)];
}

bool CountsLayout::has(CountsColumn column) const {
  return positions[index_of(column)].has_value();
}

const std::string& CountsLayout::field_or_empty(const CsvRecord& record,
                                                CountsColumn column) const {
  static const std::string k_empty;
  return has(column) ? record.fields[position(column) - 1] : k_empty;
}

std::size_t CountsLayout::position(CountsColumn column) const {
  assert(has(column));
  return *positions[index_of(column)];
}

util::Result<CountsLayout> read_counts_header(const CsvRecord& header, std::string_view file_name) {
  const std::string where = std::string(file_name) + ":" + std::to_string(header.line);
  CountsLayout layout;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string_view name = trim_spaces(header.fields[i]);
    layout.header_names.emplace_back(name);
    const auto known = std::find(k_counts_column_names.begin(), k_counts_column_names.end(), name);
    if (known == k_counts_column_names.end()) {
      continue;
    }
    auto& position =
        layout.positions[static_cast<std::size_t>(known - k_counts_column_names.begin())];
    if (position) {
      return util::make_error(util::ErrorCode::bad_input, where,
                              std::string(name) + ": column appears twice in the header (fields " +
                                  std::to_string(*position) + " and " + std::to_string(i + 1) +
                                  ")");
    }
    position = i + 1;
  }
  if (auto separator = foreign_separator(header, file_name)) {
    return util::make_error(util::ErrorCode::bad_input, where, *separator);
  }
  for (std::size_t i = 0; i < k_counts_column_names.size(); ++i) {
    const auto column = static_cast<Column>(i);
    if (!is_optional(column) && !layout.has(column)) {
      return util::make_error(util::ErrorCode::bad_input, where,
                              std::string(column_name(column)) +
                                  ": required column missing from the header");
    }
  }
  // Columns that only mean something together.
  for (const auto& [needed, needing] : {std::pair{Column::segment_type, Column::segment},
                                        {Column::segment, Column::segment_type},
                                        {Column::revenue, Column::revenue_sq}}) {
    if (layout.has(needing) && !layout.has(needed)) {
      return util::make_error(
          util::ErrorCode::bad_input, where,
          std::string(column_name(needed)) + ": column missing from the header, which has " +
              std::string(column_name(needing)) +
              (needed == Column::revenue ? ", a sum of squares of it" : "; give both or neither"));
    }
  }
  return layout;
}

util::Result<CountsRow> read_counts_row(const CsvRecord& record, const CountsLayout& layout,
                                        std::string_view file_name) {
  if (record.fields.size() != layout.header_names.size()) {
    return field_count_error(record, layout, file_name);
  }
  RowChecker row(record, layout, file_name);
  CountsRow result;
  result.experiment = read_id(row, Column::experiment);
  result.variation = read_id(row, Column::variation);
  const auto is_control = read_is_control(row);
  result.slice = read_slice(row);
  const auto visitors = read_count(row, Column::visitors);
  const auto conversions = read_count(row, Column::conversions);
  if (visitors && conversions && *conversions > *visitors) {
    row.fail(Column::conversions, "must not exceed visitors (" + std::to_string(*visitors) +
                                      "), got " + quote_value(row.field(Column::conversions)));
  }
  // Conversion-only data: no revenue, and (the header made sure) no revenue_sq.
  const auto revenue = layout.has(Column::revenue)
                           ? read_amount(row, Column::revenue, "must be a finite number >= 0")
                           : std::optional<double>(0.0);
  // An optional column's field: absent when the column or the value is.
  const auto read_optional = [&](Column column, Sign sign) -> std::optional<double> {
    if (!layout.has(column) || row.field(column).empty()) {
      return std::nullopt;
    }
    return read_amount(row, column,
                       sign == Sign::any ? "must be empty or a finite number"
                                         : "must be empty or a finite number >= 0",
                       sign);
  };
  const std::optional<double> revenue_sq = read_optional(Column::revenue_sq, Sign::non_negative);
  result.allocation = read_optional(Column::allocation, Sign::non_negative);
  const std::optional<double> profit = read_optional(Column::profit, Sign::any);
  const std::optional<double> profit_sq = read_optional(Column::profit_sq, Sign::non_negative);
  if (conversions) {
    check_order_totals(row, *conversions, Column::revenue, revenue, Column::revenue_sq, revenue_sq);
    check_order_totals(row, *conversions, Column::profit, profit, Column::profit_sq, profit_sq);
  }
  if (row.error()) {
    return *row.error();
  }
  result.is_control = *is_control;
  result.counts.variation_id = result.variation;
  result.counts.visitors = *visitors;
  result.counts.conversions = *conversions;
  result.counts.revenue = *revenue;
  result.counts.revenue_sq = revenue_sq;
  result.counts.profit = profit;
  result.counts.profit_sq = profit_sq;
  return result;
}

std::string quote_value(std::string_view text) {
  std::size_t length = std::min(text.size(), k_max_quoted_bytes);
  // Never cut a UTF-8 sequence in half.
  while (length > 0 && length < text.size() &&
         (static_cast<unsigned char>(text[length]) & 0xC0U) == 0x80U) {
    --length;
  }
  std::string quoted = "\"";
  for (const char c : text.substr(0, length)) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
    }
    quoted += c;
  }
  quoted = util::printable(quoted) + '"';
  if (length < text.size()) {
    quoted += "...";
  }
  return quoted;
}

} // namespace reckon::parse
