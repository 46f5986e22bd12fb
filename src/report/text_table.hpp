#pragma once

#include <string>
#include <vector>

namespace reckon::report {

// A plain-text table: the first column left-aligned, the rest right-aligned, columns padded
// to their widest cell. Widths count bytes, so cells should be ASCII.
class TextTable {
public:
  explicit TextTable(std::vector<std::string> header);
  void add_row(std::vector<std::string> row);
  // Each line starts with `indent` and ends with a newline.
  std::string render(const std::string& indent) const;

private:
  std::vector<std::vector<std::string>> m_rows;
};

} // namespace reckon::report
