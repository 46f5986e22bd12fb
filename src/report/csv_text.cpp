#include "csv_text.hpp"

#include "reckon/util/number_format.hpp"

namespace reckon::report::detail {

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') {
      out.push_back('"');
    }
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string csv_number(std::optional<double> number) {
  return number ? util::format_round_trip(*number) : std::string();
}

void append_row(std::string& out, std::initializer_list<std::string> fields) {
  bool first = true;
  for (const std::string& field : fields) {
    if (!first) {
      out.push_back(',');
    }
    out += field;
    first = false;
  }
  out.push_back('\n');
}

} // namespace reckon::report::detail
