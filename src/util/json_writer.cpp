#include "reckon/util/json_writer.hpp"

#include "reckon/util/number_format.hpp"
#include "reckon/util/text.hpp"

#include <cassert>
#include <cmath>

namespace reckon::util {

namespace {

// Appends `text`, well-formed UTF-8, with JSON's escapes.
void append_escaped(std::string& out, std::string_view text) {
  static constexpr char k_hex[] = "0123456789abcdef";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (byte < 0x20) {
        out += "\\u00";
        out.push_back(k_hex[byte >> 4]);
        out.push_back(k_hex[byte & 0xF]);
      } else {
        out.push_back(c);
      }
    }
  }
}

} // namespace

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  // JSON text is UTF-8: a byte that is not (inputs are checked, so only a bug brings one) is
  // written as U+FFFD, so that the document stays valid whatever reaches it.
  while (const auto invalid = first_invalid_utf8(text)) {
    append_escaped(out, text.substr(0, *invalid));
    out += "\\ufffd";
    text.remove_prefix(*invalid + 1);
  }
  append_escaped(out, text);
  out.push_back('"');
  return out;
}

void JsonWriter::newline() {
  if (m_layout == Layout::compact) {
    return;
  }
  m_text.push_back('\n');
  m_text.append(2 * m_has_member.size(), ' ');
}

void JsonWriter::before_value() {
  if (m_after_key) {
    m_after_key = false;
    return;
  }
  if (!m_has_member.empty()) {
    if (m_has_member.back()) {
      m_text.push_back(',');
    }
    m_has_member.back() = true;
    newline();
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  m_text.push_back('{');
  m_has_member.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  assert(!m_has_member.empty() && !m_after_key);
  const bool had_members = m_has_member.back();
  m_has_member.pop_back();
  if (had_members) {
    newline();
  }
  m_text.push_back(bracket);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  return close('}');
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  m_text.push_back('[');
  m_has_member.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  return close(']');
}

JsonWriter& JsonWriter::key(std::string_view name) {
  assert(!m_after_key);
  before_value();
  m_text += json_quote(name);
  m_text += m_layout == Layout::compact ? ":" : ": ";
  m_after_key = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  m_text += json_quote(text);
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  if (!std::isfinite(number)) {
    return null();
  }
  before_value();
  m_text += util::format_round_trip(number);
  return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t number) {
  before_value();
  m_text += std::to_string(number);
  return *this;
}

JsonWriter& JsonWriter::value(int number) {
  before_value();
  m_text += std::to_string(number);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  before_value();
  m_text += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::value(std::optional<double> number) {
  return number ? value(*number) : null();
}

JsonWriter& JsonWriter::null() {
  before_value();
  m_text += "null";
  return *this;
}

std::string JsonWriter::finish() {
  assert(m_has_member.empty() && !m_after_key);
  if (m_layout == Layout::indented) {
    m_text.push_back('\n');
  }
  return std::move(m_text);
}

std::string JsonWriter::take() {
  std::string text = std::move(m_text);
  m_text.clear();
  return text;
}

} // namespace reckon::util
