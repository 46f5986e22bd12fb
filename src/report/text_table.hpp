#pragma once

#include "reckon/util/text.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::report {

using util::display_width;

// A plain-text table: the first column left-aligned, the rest right-aligned, columns padded
// to their widest cell.
class TextTable {
public:
  explicit TextTable(std::vector<std::string> header);
  void add_row(std::vector<std::string> row);
  // A line of its own between rows (a heading over the rows after it), not in any column.
  void add_section(std::string line);
  // Each line starts with `indent` and ends with a newline.
  std::string render(const std::string& indent) const;
  // The same within `width` columns: when a row would be wider, its columns fold onto as many
  // lines as they need (continuations indented two more), every cell whole and aligned with
  // those above it.
  std::string render(const std::string& indent, std::size_t width) const;

private:
  std::vector<std::size_t> column_widths() const;
  // Lines of one row, columns [first, last) of each band, aligned to `widths`.
  std::string render_row(const std::vector<std::string>& row,
                         const std::vector<std::size_t>& widths,
                         const std::vector<std::size_t>& band_starts,
                         const std::string& indent) const;
  std::string render_rows(const std::vector<std::size_t>& widths,
                          const std::vector<std::size_t>& band_starts,
                          const std::string& indent) const;

  std::vector<std::vector<std::string>> m_rows;
  std::vector<bool> m_is_section; // per row of m_rows
};

} // namespace reckon::report
