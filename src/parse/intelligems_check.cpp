#include "reckon/contract/intelligems.hpp"
#include "reckon/parse/intelligems.hpp"

#include "intelligems_request.hpp"
#include "json_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>

namespace reckon::parse {
namespace {

using detail::IntelligemsRequest;
using detail::JsonPath;
using detail::JsonReader;
using RequestKind = IntelligemsRequest::Kind;

// Finds where a text stops being JSON, for messages: simdjson says what is wrong, not where.
// Only run on text simdjson refused, so it need not be fast; it checks the grammar, not UTF-8.
class JsonScanner {
public:
  explicit JsonScanner(std::string_view text) : m_text(text) {}

  // The offset of the first byte that cannot continue a JSON text (the size when the text
  // ends too early).
  std::size_t first_error() {
    space();
    if (value(0)) {
      space();
    }
    return m_at;
  }

private:
  static constexpr int k_max_depth = 1024;

  bool at_end() const { return m_at >= m_text.size(); }
  char peek() const { return at_end() ? '\0' : m_text[m_at]; }
  bool take(char c) {
    if (peek() != c || at_end()) {
      return false;
    }
    ++m_at;
    return true;
  }
  void space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      ++m_at;
    }
  }
  bool digits() {
    const std::size_t start = m_at;
    while (!at_end() && peek() >= '0' && peek() <= '9') {
      ++m_at;
    }
    return m_at > start;
  }
  bool literal(std::string_view word) {
    for (const char c : word) {
      if (!take(c)) {
        return false;
      }
    }
    return true;
  }
  bool number() {
    take('-');
    if (!take('0') && !digits()) {
      return false;
    }
    if (take('.') && !digits()) {
      return false;
    }
    if (take('e') || take('E')) {
      if (!take('+')) {
        take('-');
      }
      return digits();
    }
    return true;
  }
  bool string() {
    if (!take('"')) {
      return false;
    }
    while (!at_end()) {
      const char c = peek();
      if (c == '"') {
        ++m_at;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return false;
      }
      ++m_at;
      if (c == '\\' && !escape()) {
        return false;
      }
    }
    return false;
  }
  bool escape() {
    if (take('u')) {
      for (int i = 0; i < 4; ++i) {
        if (!std::isxdigit(static_cast<unsigned char>(peek())) || at_end()) {
          return false;
        }
        ++m_at;
      }
      return true;
    }
    constexpr std::string_view k_escapes = "\"\\/bfnrt";
    if (at_end() || k_escapes.find(peek()) == std::string_view::npos) {
      return false;
    }
    ++m_at;
    return true;
  }
  // Members of an object or elements of an array up to `close`.
  bool members(char close, bool keyed, int depth) {
    space();
    if (take(close)) {
      return true;
    }
    for (;;) {
      space();
      if (keyed) {
        if (!string()) {
          return false;
        }
        space();
        if (!take(':')) {
          return false;
        }
        space();
      }
      if (!value(depth + 1)) {
        return false;
      }
      space();
      if (take(close)) {
        return true;
      }
      if (!take(',')) {
        return false;
      }
    }
  }
  bool value(int depth) {
    if (depth > k_max_depth) {
      return false;
    }
    switch (peek()) {
    case '{':
      ++m_at;
      return members('}', true, depth);
    case '[':
      ++m_at;
      return members(']', false, depth);
    case '"':
      return string();
    case 't':
      return literal("true");
    case 'f':
      return literal("false");
    case 'n':
      return literal("null");
    default:
      return number();
    }
  }

  std::string_view m_text;
  std::size_t m_at = 0;
};

// "line L, column C (byte B)" of an offset, counting from 1.
std::string position_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const std::size_t line = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t line_start = before.rfind('\n');
  const std::size_t column =
      line_start == std::string_view::npos ? offset : offset - line_start - 1;
  return "line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1) + " (byte " +
         std::to_string(offset + 1) + ")";
}

// An analytics view carries its rows in `metrics`, a timeseries its days in an object.
util::Result<void> check_analytics(simdjson::dom::element root, RequestKind kind,
                                   const std::string& origin) {
  JsonReader r(origin, ": ", "");
  const JsonPath top;
  const auto body = r.object(root, top);
  if (body && kind == RequestKind::resource) {
    if (const auto metrics = r.required(*body, "metrics", top)) {
      r.array(*metrics, top.key("metrics"));
    }
  }
  if (r.failed()) {
    return r.error();
  }
  return {};
}

} // namespace

util::Result<void> check_intelligems_response(const contract::ApiRequest& request,
                                              std::string_view body, const std::string& origin) {
  contract::ApiExchange exchange{request, 200, 0, {}, origin};
  detail::JsonDocuments documents;
  auto asked = detail::classify_intelligems_request(exchange, documents);
  if (!asked) {
    return asked.error();
  }
  const auto root = documents.read(body, origin);
  if (!root) {
    util::Error error = root.error();
    error.message += " (at " + position_of(body, JsonScanner(body).first_error()) + ")";
    return error;
  }
  switch (asked->kind) {
  case RequestKind::resource:
  case RequestKind::timeseries:
    // Whether its rows fit the experiment's variations is seen when the store is analysed.
    return check_analytics(*root, asked->kind, origin);
  case RequestKind::experiences_list:
  case RequestKind::experience: {
    // A list page or a detail describes itself whole: read it as analysis would.
    exchange.body = std::string(body);
    auto parsed = parse_intelligems({&exchange, 1});
    if (!parsed) {
      return parsed.error();
    }
    return {};
  }
  case RequestKind::skipped:
    break;
  }
  return {};
}

} // namespace reckon::parse
