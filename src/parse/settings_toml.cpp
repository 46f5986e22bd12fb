// The strict TOML subset of settings files (settings_file.hpp): enough for `[health]` and
// `[notify]` tables of plain values, and an error with its line and column for the rest.
#include "reckon/parse/settings_file.hpp"

#include <map>
#include <optional>

namespace reckon::parse {
namespace {

using util::ErrorCode;

bool is_bare_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// A run of digits with single `_` between digits: "1_000"; false for "1__0", "_1", "1_".
bool digits_with_separators(std::string_view text) {
  if (text.empty() || !is_digit(text.front()) || !is_digit(text.back())) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!is_digit(text[i]) && !(text[i] == '_' && is_digit(text[i - 1]) && is_digit(text[i + 1]))) {
      return false;
    }
  }
  return true;
}

// Why `token` is no TOML decimal number of the subset, or nothing when it is one.
std::optional<std::string> number_problem(std::string_view token) {
  std::string_view body = token;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
    body.remove_prefix(1);
  }
  if (body == "inf" || body == "nan") {
    return "not a finite number: a threshold is finite";
  }
  if (body.size() > 1 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o' || body[1] == 'b')) {
    return "hexadecimal, octal and binary numbers are not read here; write it in decimal";
  }
  if (token.find(':') != std::string_view::npos || (token.size() >= 10 && token[4] == '-')) {
    return "dates and times are not read here; write a number, or a date as a string in quotes";
  }
  const std::size_t exponent = body.find_first_of("eE");
  const std::string_view mantissa = body.substr(0, exponent);
  const std::size_t point = mantissa.find('.');
  const std::string_view whole = mantissa.substr(0, point);
  bool valid = digits_with_separators(whole) && (whole.size() == 1 || whole[0] != '0');
  if (point != std::string_view::npos) {
    valid = valid && digits_with_separators(mantissa.substr(point + 1));
  }
  if (exponent != std::string_view::npos) {
    std::string_view power = body.substr(exponent + 1);
    if (!power.empty() && (power.front() == '+' || power.front() == '-')) {
      power.remove_prefix(1);
    }
    valid = valid && digits_with_separators(power);
  }
  if (!valid) {
    return "not a number: expected a decimal such as 10, 0.2 or 1e-3 (no leading zeros; `_` only "
           "between digits)";
  }
  return std::nullopt;
}

// Appends the UTF-8 bytes of `code`; false for a surrogate or a value past U+10FFFF.
bool append_utf8(std::string& out, unsigned long code) {
  if ((code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
    return false;
  }
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
  return true;
}

// Reads the text once, front to back, and stops at the first violation: every step returns
// false or nullopt once `m_error` holds it. Errors name the byte where the trouble is seen, as
// line and column (both from 1), never the values around it: a secret written into the file by
// mistake must not be echoed.
class TomlReader {
public:
  TomlReader(std::string_view text, std::string origin)
      : m_text(text), m_origin(std::move(origin)) {}

  util::Result<std::vector<Setting>> read();

private:
  char peek(std::size_t ahead = 0) const {
    return m_at + ahead < m_text.size() ? m_text[m_at + ahead] : '\0';
  }
  bool at_end() const { return m_at >= m_text.size(); }
  bool at_line_end() const { return peek() == '\n' || (peek() == '\r' && peek(1) == '\n'); }
  std::string location(std::size_t at) const;
  bool fail(std::size_t at, const std::string& reason) {
    m_error = util::make_error(ErrorCode::bad_input, location(at), reason);
    return false;
  }

  void skip_blanks();
  bool skip_comment();
  bool end_line(std::string_view after);
  bool skip_blank_lines_and_comments();
  std::optional<std::string> bare_name(std::string_view what);
  bool table_header();
  bool key_value();
  std::optional<SettingValue> value();
  std::optional<SettingValue> word();
  std::optional<std::string> quoted_string();
  bool escape(std::string& out);
  std::optional<SettingValue> array();

  std::string_view m_text;
  std::string m_origin;
  std::size_t m_at = 0;
  std::string m_table;
  std::map<std::string, std::size_t, std::less<>> m_tables; // name -> the header's offset
  std::map<std::string, std::size_t, std::less<>> m_keys;   // "table.key" -> the key's offset
  std::vector<Setting> m_settings;
  std::optional<util::Error> m_error;
};

std::string TomlReader::location(std::size_t at) const {
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at && i < m_text.size(); ++i) {
    if (m_text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return m_origin + ":" + std::to_string(line) + ":" + std::to_string(at - line_start + 1);
}

bool is_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t') || byte == 0x7F;
}

void TomlReader::skip_blanks() {
  while (peek() == ' ' || peek() == '\t') {
    ++m_at;
  }
}

bool TomlReader::skip_comment() {
  if (peek() != '#') {
    return true;
  }
  for (; !at_end() && !at_line_end(); ++m_at) {
    if (is_control(peek())) {
      return fail(m_at, "a control character in a comment");
    }
  }
  return true;
}

// After a header or a value: blanks, a comment, then the line's end or the file's.
bool TomlReader::end_line(std::string_view after) {
  skip_blanks();
  if (!skip_comment()) {
    return false;
  }
  if (at_line_end()) {
    m_at += peek() == '\r' ? 2 : 1;
  } else if (!at_end()) {
    return fail(m_at, "expected the end of the line after " + std::string(after) +
                          " (one setting per line; a comment starts with #)");
  }
  return true;
}

bool TomlReader::skip_blank_lines_and_comments() {
  for (;;) {
    skip_blanks();
    if (!skip_comment()) {
      return false;
    }
    if (!at_line_end()) {
      return true;
    }
    m_at += peek() == '\r' ? 2 : 1;
  }
}

std::optional<std::string> TomlReader::bare_name(std::string_view what) {
  const std::size_t start = m_at;
  if (peek() == '"' || peek() == '\'') {
    fail(m_at, std::string(what) + " in quotes is not read here; write it bare (letters, "
                                   "digits, _ and -)");
    return std::nullopt;
  }
  while (is_bare_key_char(peek())) {
    ++m_at;
  }
  if (m_at == start) {
    fail(m_at, "expected " + std::string(what) + " (letters, digits, _ and -)");
    return std::nullopt;
  }
  std::string name(m_text.substr(start, m_at - start));
  skip_blanks();
  if (peek() == '.') {
    fail(m_at, "dotted names are not read here: write [health] or [notify], then plain keys");
    return std::nullopt;
  }
  return name;
}

bool TomlReader::table_header() {
  const std::size_t start = m_at++; // [
  if (peek() == '[') {
    return fail(start, "arrays of tables ([[...]]) are not read here: use [health] and [notify]");
  }
  skip_blanks();
  std::optional<std::string> name = bare_name("a table name");
  if (!name) {
    return false;
  }
  if (peek() != ']') {
    return fail(m_at, "expected ] to close the table name");
  }
  ++m_at;
  if (const auto seen = m_tables.find(*name); seen != m_tables.end()) {
    return fail(start, "table [" + *name + "] appears twice (first at " + location(seen->second) +
                           "); give each table once");
  }
  m_tables.emplace(*name, start);
  m_table = std::move(*name);
  return end_line("the table header");
}

bool TomlReader::key_value() {
  const std::size_t start = m_at;
  std::optional<std::string> key = bare_name("a key");
  if (!key) {
    return false;
  }
  if (peek() != '=') {
    return fail(m_at, "expected = after the key " + *key);
  }
  ++m_at;
  skip_blanks();
  std::optional<SettingValue> parsed = value();
  if (!parsed) {
    return false;
  }
  const std::string full = m_table.empty() ? *key : m_table + "." + *key;
  if (const auto seen = m_keys.find(full); seen != m_keys.end()) {
    return fail(start, "key " + full + " appears twice (first at " + location(seen->second) +
                           "); give each key once");
  }
  m_keys.emplace(full, start);
  m_settings.push_back({m_table, std::move(*key), std::move(*parsed), location(start)});
  return end_line("the value");
}

std::optional<SettingValue> TomlReader::value() {
  if (peek() == '"' || peek() == '\'') {
    std::optional<std::string> text = quoted_string();
    if (!text) {
      return std::nullopt;
    }
    return SettingValue{SettingValue::Kind::string, {std::move(*text)}};
  }
  if (peek() == '[') {
    return array();
  }
  if (peek() == '{') {
    fail(m_at, "inline tables ({...}) are not read here: give each key on its own line");
    return std::nullopt;
  }
  return word();
}

// true, false or a number: a token up to a blank, a comma, a bracket, a comment or the end.
std::optional<SettingValue> TomlReader::word() {
  const std::size_t start = m_at;
  while (!at_end() && std::string_view(" \t\r\n,]#").find(peek()) == std::string_view::npos) {
    ++m_at;
  }
  const std::string_view token = m_text.substr(start, m_at - start);
  if (token == "true" || token == "false") {
    return SettingValue{SettingValue::Kind::boolean, {std::string(token)}};
  }
  if (token.empty() || !(is_digit(token[0]) || token[0] == '+' || token[0] == '-' ||
                         token == "inf" || token == "nan")) {
    fail(start, "expected a value: a number, a string in quotes, true, false or an array of "
                "strings (a string needs its quotes)");
    return std::nullopt;
  }
  if (const auto problem = number_problem(token)) {
    fail(start, *problem);
    return std::nullopt;
  }
  std::string number;
  for (const char c : token.substr(token[0] == '+' ? 1 : 0)) {
    if (c != '_') {
      number += c;
    }
  }
  return SettingValue{SettingValue::Kind::number, {std::move(number)}};
}

// A basic string ("...", with escapes) or a literal one ('...', as written), on one line.
std::optional<std::string> TomlReader::quoted_string() {
  const char quote = peek();
  if (peek(1) == quote && peek(2) == quote) {
    fail(m_at, "multi-line strings (" + std::string(3, quote) +
                   ") are not read here: write the string on one line");
    return std::nullopt;
  }
  const std::size_t start = m_at++;
  std::string out;
  for (;;) {
    const char c = peek();
    if (at_end() || c == '\n' || c == '\r') {
      fail(start, std::string("the string is not closed on its line: a ") + quote + " is missing");
      return std::nullopt;
    }
    if (is_control(c)) {
      fail(m_at, "a control character in a string: write it as an escape such as \\t");
      return std::nullopt;
    }
    ++m_at;
    if (c == quote) {
      return out;
    }
    if (c == '\\' && quote == '"') {
      if (!escape(out)) {
        return std::nullopt;
      }
    } else {
      out += c;
    }
  }
}

bool TomlReader::escape(std::string& out) {
  const std::size_t start = m_at - 1;
  const char c = peek();
  const std::string_view simple = "btnfr\"\\";
  const std::string_view meant = "\b\t\n\f\r\"\\";
  if (const std::size_t at = simple.find(c); at != std::string_view::npos && !at_end()) {
    ++m_at;
    out += meant[at];
    return true;
  }
  if (c != 'u' && c != 'U') {
    return fail(start, "unknown escape: \\b, \\t, \\n, \\f, \\r, \\\", \\\\, \\uXXXX and "
                       "\\UXXXXXXXX are the escapes");
  }
  ++m_at;
  const std::size_t digits = c == 'u' ? 4 : 8;
  unsigned long code = 0;
  for (std::size_t i = 0; i < digits; ++i, ++m_at) {
    const std::string_view hex = "0123456789abcdef0123456789ABCDEF";
    const std::size_t at = hex.find(peek());
    if (at_end() || at == std::string_view::npos) {
      return fail(start,
                  "\\" + std::string(1, c) + " needs " + std::to_string(digits) + " hex digits");
    }
    code = code * 16 + at % 16;
  }
  if (!append_utf8(out, code)) {
    return fail(start, "the escape names no Unicode scalar value (a surrogate, or past U+10FFFF)");
  }
  return true;
}

// [ "a", 'b', ] over any lines, with comments between the items.
std::optional<SettingValue> TomlReader::array() {
  const std::size_t start = m_at++;
  SettingValue strings{SettingValue::Kind::strings, {}};
  for (;;) {
    if (!skip_blank_lines_and_comments()) {
      return std::nullopt;
    }
    if (peek() == ']') {
      ++m_at;
      return strings;
    }
    if (at_end() || (peek() != '"' && peek() != '\'')) {
      fail(at_end() ? start : m_at, at_end() ? "the array is not closed: a ] is missing"
                                             : "an array holds strings in quotes only here");
      return std::nullopt;
    }
    std::optional<std::string> item = quoted_string();
    if (!item || !skip_blank_lines_and_comments()) {
      return std::nullopt;
    }
    strings.items.push_back(std::move(*item));
    if (peek() == ',') {
      ++m_at;
    } else if (peek() != ']') {
      fail(at_end() ? start : m_at, at_end() ? "the array is not closed: a ] is missing"
                                             : "expected , or ] after an item of the array");
      return std::nullopt;
    }
  }
}

util::Result<std::vector<Setting>> TomlReader::read() {
  if (m_text.starts_with("\xEF\xBB\xBF")) {
    m_at = 3; // the byte order mark some editors write
  }
  for (;;) {
    if (!skip_blank_lines_and_comments()) {
      return *m_error;
    }
    if (at_end()) {
      return std::move(m_settings);
    }
    if (peek() == '\r') {
      fail(m_at, "a carriage return without a line feed: lines end in LF or CRLF");
      return *m_error;
    }
    if (!(peek() == '[' ? table_header() : key_value())) {
      return *m_error;
    }
  }
}

} // namespace

util::Result<std::vector<Setting>> parse_settings_toml(std::string_view text,
                                                       const std::string& origin) {
  return TomlReader(text, origin).read();
}

} // namespace reckon::parse
