#include "json_reader.hpp"

#include "reckon/util/number_format.hpp"
#include "reckon/util/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace reckon::parse::detail {

namespace {

bool is_identifier(std::string_view key) {
  if (key.empty() || (key[0] >= '0' && key[0] <= '9')) {
    return false;
  }
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void append_quoted(std::string& out, std::string_view text, std::size_t limit) {
  out += '"';
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == limit) {
      out += "...";
      break;
    }
    const char c = text[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += util::printable(std::string_view(&c, 1));
    } else {
      out += c;
    }
  }
  out += '"';
}

} // namespace

std::string JsonPath::render(std::string_view root) const {
  std::vector<const JsonPath*> chain;
  for (const JsonPath* at = this; at->m_parent != nullptr; at = at->m_parent) {
    chain.push_back(at);
  }
  std::string out(root);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const JsonPath& step = **it;
    if (!step.m_is_key) {
      out += '[';
      out += std::to_string(step.m_index);
      out += ']';
    } else if (is_identifier(step.m_key)) {
      if (!out.empty()) {
        out += '.';
      }
      out += step.m_key;
    } else {
      out += '[';
      append_quoted(out, step.m_key, 200);
      out += ']';
    }
  }
  return out;
}

std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_quoted(out, text, std::string_view::npos);
  return out;
}

std::string describe_json_value(simdjson::dom::element value) {
  switch (value.type()) {
  case simdjson::dom::element_type::ARRAY:
    return "an array";
  case simdjson::dom::element_type::OBJECT:
    return "an object";
  case simdjson::dom::element_type::NULL_VALUE:
    return "null";
  case simdjson::dom::element_type::BOOL:
    return value.get_bool().value_unsafe() ? "true" : "false";
  case simdjson::dom::element_type::STRING: {
    std::string out;
    append_quoted(out, value.get_string().value_unsafe(), 40);
    return out;
  }
  default: {
    double number = 0.0;
    if (value.get_double().get(number) == simdjson::SUCCESS && std::isfinite(number)) {
      return util::format_round_trip(number);
    }
    return "a number out of range";
  }
  }
}

std::string JsonReader::where(const JsonPath& path) const {
  const std::string rendered = path.render(m_root);
  return rendered.empty() ? m_origin : m_origin + std::string(m_separator) + rendered;
}

void JsonReader::fail(const JsonPath& path, std::string reason) {
  if (!m_error) {
    m_error = util::make_error(util::ErrorCode::bad_input, where(path), std::move(reason));
  }
}

void JsonReader::fail_type(const JsonPath& path, std::string_view expected,
                           simdjson::dom::element got) {
  if (!m_error) {
    fail(path, "expected " + std::string(expected) + ", got " + describe_json_value(got));
  }
}

std::optional<simdjson::dom::element> JsonReader::field(simdjson::dom::object parent,
                                                        std::string_view key) {
  simdjson::dom::element value;
  if (parent.at_key(key).get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<simdjson::dom::element>
JsonReader::required(simdjson::dom::object parent, std::string_view key, const JsonPath& path) {
  auto value = field(parent, key);
  if (!value) {
    fail(path, "missing \"" + std::string(key) + "\"");
  }
  return value;
}

std::optional<simdjson::dom::object> JsonReader::object(simdjson::dom::element value,
                                                        const JsonPath& path) {
  simdjson::dom::object result;
  if (value.get_object().get(result) != simdjson::SUCCESS) {
    fail_type(path, "an object", value);
    return std::nullopt;
  }
  return result;
}

std::optional<simdjson::dom::array> JsonReader::array(simdjson::dom::element value,
                                                      const JsonPath& path) {
  simdjson::dom::array result;
  if (value.get_array().get(result) != simdjson::SUCCESS) {
    fail_type(path, "an array", value);
    return std::nullopt;
  }
  return result;
}

std::optional<std::string_view> JsonReader::string(simdjson::dom::element value,
                                                   const JsonPath& path) {
  std::string_view result;
  if (value.get_string().get(result) != simdjson::SUCCESS) {
    fail_type(path, "a string", value);
    return std::nullopt;
  }
  return result;
}

std::optional<bool> JsonReader::boolean(simdjson::dom::element value, const JsonPath& path) {
  bool result = false;
  if (value.get_bool().get(result) != simdjson::SUCCESS) {
    fail_type(path, "true or false", value);
    return std::nullopt;
  }
  return result;
}

std::optional<double> JsonReader::number(simdjson::dom::element value, const JsonPath& path) {
  double result = 0.0;
  if (value.get_double().get(result) != simdjson::SUCCESS || !std::isfinite(result)) {
    fail_type(path, "a number", value);
    return std::nullopt;
  }
  return result;
}

std::optional<double> JsonReader::number_or_null(simdjson::dom::element value,
                                                 const JsonPath& path) {
  if (value.is_null()) {
    return std::nullopt;
  }
  double result = 0.0;
  if (value.get_double().get(result) != simdjson::SUCCESS || !std::isfinite(result)) {
    fail_type(path, "a number or null", value);
    return std::nullopt;
  }
  return result;
}

std::optional<std::uint64_t> JsonReader::count(simdjson::dom::element value, const JsonPath& path) {
  // 2^53: every whole number below it is exact in a double, so counts survive any arithmetic.
  constexpr double k_largest = 9007199254740992.0;
  double number = 0.0;
  if (value.get_double().get(number) != simdjson::SUCCESS || !std::isfinite(number) ||
      number < 0.0 || number != std::floor(number) || number >= k_largest) {
    fail_type(path, "a whole number >= 0", value);
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(number);
}

std::optional<std::uint64_t> JsonReader::whole_number(simdjson::dom::element value,
                                                      const JsonPath& path) {
  std::uint64_t result = 0;
  const auto type = value.type();
  if ((type != simdjson::dom::element_type::UINT64 && type != simdjson::dom::element_type::INT64) ||
      value.get_uint64().get(result) != simdjson::SUCCESS) {
    fail_type(path, "a whole number >= 0", value);
    return std::nullopt;
  }
  return result;
}

std::optional<double> JsonReader::number_in(simdjson::dom::element value, const JsonPath& path,
                                            double low, double high, bool closed_low) {
  const auto result = number(value, path);
  if (!result) {
    return std::nullopt;
  }
  const bool above = closed_low ? *result >= low : *result > low;
  if (!above || !(*result < high)) {
    fail(path, "must lie in " + std::string(closed_low ? "[" : "(") + util::format_round_trip(low) +
                   ", " + util::format_round_trip(high) + ") (got " +
                   util::format_round_trip(*result) + ")");
    return std::nullopt;
  }
  return result;
}

std::optional<util::Date> JsonReader::date(simdjson::dom::element value, const JsonPath& path) {
  const auto text = string(value, path);
  if (!text) {
    return std::nullopt;
  }
  auto parsed = util::Date::parse(*text);
  if (!parsed) {
    fail(path, "expected a date written YYYY-MM-DD (got " + quoted(*text) + ")");
  }
  return parsed;
}

std::optional<std::string_view> JsonReader::label(simdjson::dom::element value,
                                                  const JsonPath& path) {
  const auto text = string(value, path);
  if (!text) {
    return std::nullopt;
  }
  if (text->empty() || std::any_of(text->begin(), text->end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    fail(path, "expected a non-empty name without control characters");
    return std::nullopt;
  }
  return text;
}

simdjson::error_code JsonDocuments::parse(std::string_view text, simdjson::dom::element& root) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the end; the buffer provides them, so
  // the caller's string need not.
  const std::size_t needed = text.size() + simdjson::SIMDJSON_PADDING;
  if (m_buffer.size() < needed) {
    m_buffer.resize(needed);
  }
  if (!text.empty()) {
    std::memcpy(m_buffer.data(), text.data(), text.size());
  }
  std::memset(m_buffer.data() + text.size(), 0, simdjson::SIMDJSON_PADDING);
  return m_parser.parse(m_buffer.data(), text.size(), false).get(root);
}

util::Result<simdjson::dom::element> JsonDocuments::read(std::string_view text,
                                                         const std::string& origin) {
  simdjson::dom::element root;
  if (const auto error = parse(text, root); error != simdjson::SUCCESS) {
    return util::make_error(util::ErrorCode::bad_input, origin,
                            std::string("not valid JSON: ") + simdjson::error_message(error));
  }
  return root;
}

} // namespace reckon::parse::detail
