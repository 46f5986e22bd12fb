#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace reckon::report::detail {

// RFC 4180: quote a field only when it holds a separator, a quote or a line break.
std::string csv_field(std::string_view text);

// Round-trip precision; an absent number is an empty field.
std::string csv_number(std::optional<double> number);

// Appends the fields as one line.
void append_row(std::string& out, std::initializer_list<std::string> fields);

} // namespace reckon::report::detail
