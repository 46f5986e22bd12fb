#include "text_table.hpp"

#include <algorithm>
#include <cassert>

namespace reckon::report {

TextTable::TextTable(std::vector<std::string> header) {
  m_rows.push_back(std::move(header));
  m_is_section.push_back(false);
}

void TextTable::add_row(std::vector<std::string> row) {
  assert(row.size() == m_rows.front().size());
  m_rows.push_back(std::move(row));
  m_is_section.push_back(false);
}

void TextTable::add_section(std::string line) {
  m_rows.push_back({std::move(line)});
  m_is_section.push_back(true);
}

std::vector<std::size_t> TextTable::column_widths() const {
  std::vector<std::size_t> widths(m_rows.front().size(), 0);
  for (std::size_t r = 0; r < m_rows.size(); ++r) {
    const std::vector<std::string>& row = m_rows[r];
    for (std::size_t c = 0; c < row.size() && !m_is_section[r]; ++c) {
      widths[c] = std::max(widths[c], display_width(row[c]));
    }
  }
  return widths;
}

std::string TextTable::render_row(const std::vector<std::string>& row,
                                  const std::vector<std::size_t>& widths,
                                  const std::vector<std::size_t>& band_starts,
                                  const std::string& indent) const {
  std::string out;
  for (std::size_t band = 0; band < band_starts.size(); ++band) {
    const std::size_t last = band + 1 < band_starts.size() ? band_starts[band + 1] : row.size();
    std::string line = band == 0 ? indent : indent + "  ";
    for (std::size_t c = band_starts[band]; c < last; ++c) {
      const std::string padding(widths[c] - display_width(row[c]), ' ');
      line += c == 0 ? row[c] + padding : (c == band_starts[band] ? "" : "  ") + padding + row[c];
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + '\n';
  }
  return out;
}

std::string TextTable::render_rows(const std::vector<std::size_t>& widths,
                                   const std::vector<std::size_t>& band_starts,
                                   const std::string& indent) const {
  std::string out;
  for (std::size_t r = 0; r < m_rows.size(); ++r) {
    out += m_is_section[r] ? indent + m_rows[r].front() + '\n'
                           : render_row(m_rows[r], widths, band_starts, indent);
  }
  return out;
}

std::string TextTable::render(const std::string& indent) const {
  const std::vector<std::size_t> widths = column_widths();
  return render_rows(widths, {0}, indent);
}

std::string TextTable::render(const std::string& indent, std::size_t width) const {
  const std::vector<std::size_t> widths = column_widths();
  // Greedy bands: each line takes as many columns as fit, and at least one.
  std::vector<std::size_t> band_starts{0};
  std::size_t used = display_width(indent) + widths[0];
  for (std::size_t c = 1; c < widths.size(); ++c) {
    if (used + 2 + widths[c] > width) {
      band_starts.push_back(c);
      used = display_width(indent) + 2 + widths[c];
    } else {
      used += 2 + widths[c];
    }
  }
  return render_rows(widths, band_starts, indent);
}

} // namespace reckon::report
