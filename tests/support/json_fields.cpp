#include "support/json_fields.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <simdjson.h>

namespace reckon::test {
namespace {

std::string canonical(simdjson::dom::element element) {
  switch (element.type()) {
  case simdjson::dom::element_type::OBJECT: {
    std::vector<std::pair<std::string_view, std::string>> members;
    for (const simdjson::dom::key_value_pair field : simdjson::dom::object(element)) {
      members.emplace_back(field.key, canonical(field.value));
    }
    std::stable_sort(members.begin(), members.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string text = "{";
    for (const auto& [key, value] : members) {
      if (text.size() > 1) {
        text += ',';
      }
      text += json_quote(key);
      text += ':';
      text += value;
    }
    return text + "}";
  }
  case simdjson::dom::element_type::ARRAY: {
    std::string text = "[";
    for (const simdjson::dom::element item : simdjson::dom::array(element)) {
      if (text.size() > 1) {
        text += ',';
      }
      text += canonical(item);
    }
    return text + "]";
  }
  default:
    return simdjson::minify(element);
  }
}

// Parses one JSON document; `parser` keeps the storage the element points into.
std::optional<simdjson::dom::element> parse(simdjson::dom::parser& parser, std::string_view json) {
  simdjson::dom::element element;
  if (parser.parse(json.data(), json.size()).get(element) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return element;
}

} // namespace

std::optional<JsonFields> parse_json_fields(std::string_view json) {
  if (std::all_of(json.begin(), json.end(),
                  [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; })) {
    return JsonFields{};
  }
  simdjson::dom::parser parser;
  const auto element = parse(parser, json);
  simdjson::dom::object object;
  if (!element || element->get_object().get(object) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  JsonFields fields;
  for (const simdjson::dom::key_value_pair field : object) {
    fields.emplace(std::string(field.key), canonical(field.value));
  }
  return fields;
}

std::optional<std::string> json_string_value(std::string_view text) {
  simdjson::dom::parser parser;
  const auto element = parse(parser, text);
  std::string_view value;
  if (!element || element->get_string().get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return std::string(value);
}

std::optional<std::int64_t> json_integer_value(std::string_view text) {
  simdjson::dom::parser parser;
  const auto element = parse(parser, text);
  std::int64_t value = 0;
  if (!element || element->get_int64().get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::vector<std::string>> json_string_array(std::string_view text) {
  simdjson::dom::parser parser;
  const auto element = parse(parser, text);
  simdjson::dom::array array;
  if (!element || element->get_array().get(array) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  std::vector<std::string> values;
  for (const simdjson::dom::element item : array) {
    std::string_view value;
    if (item.get_string().get(value) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    values.emplace_back(value);
  }
  return values;
}

std::string json_quote(std::string_view value) {
  constexpr std::array<char, 16> k_hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                       '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string text = "\"";
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      text += '\\';
      text += c;
    } else if (byte < 0x20) {
      text += "\\u00";
      text += k_hex[byte >> 4U];
      text += k_hex[byte & 0xFU];
    } else {
      text += c;
    }
  }
  return text + "\"";
}

} // namespace reckon::test
