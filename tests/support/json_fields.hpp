#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::test {

// A JSON object's top-level fields, each key mapped to the canonical JSON text of its value:
// compact, with object keys sorted at every depth. Two request bodies that differ only in
// spacing or key order have equal fields, so a recorded request can be found by comparing them.
using JsonFields = std::map<std::string, std::string, std::less<>>;

// The fields of `json`, which must be an object; blank text counts as the empty object.
// nullopt when the text is not JSON or not an object.
std::optional<JsonFields> parse_json_fields(std::string_view json);

// Canonical JSON text of one value read back: a string, or an integral number (nullopt for any
// other type, including 1000.0).
std::optional<std::string> json_string_value(std::string_view text);
std::optional<std::int64_t> json_integer_value(std::string_view text);
// An array of strings; nullopt for anything else.
std::optional<std::vector<std::string>> json_string_array(std::string_view text);

// `value` as a JSON string literal.
std::string json_quote(std::string_view value);

} // namespace reckon::test
