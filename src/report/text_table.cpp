#include "text_table.hpp"

#include <algorithm>
#include <cassert>

namespace reckon::report {

TextTable::TextTable(std::vector<std::string> header) {
  m_rows.push_back(std::move(header));
}

void TextTable::add_row(std::vector<std::string> row) {
  assert(row.size() == m_rows.front().size());
  m_rows.push_back(std::move(row));
}

std::string TextTable::render(const std::string& indent) const {
  std::vector<std::size_t> widths(m_rows.front().size(), 0);
  for (const auto& row : m_rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  std::string out;
  for (const auto& row : m_rows) {
    std::string line = indent;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string padding(widths[c] - row[c].size(), ' ');
      line += c == 0 ? row[c] + padding : "  " + padding + row[c];
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + '\n';
  }
  return out;
}

} // namespace reckon::report
