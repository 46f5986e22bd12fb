#include "query_text.hpp"

#include <algorithm>

namespace reckon::store {
namespace {

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void append_escaped(std::string& out, std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  for (const char c : text) {
    if (unreserved(c)) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(k_hex[byte >> 4]);
      out.push_back(k_hex[byte & 0xF]);
    }
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::optional<std::string> unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      if (!unreserved(text[i])) {
        return std::nullopt;
      }
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) {
      return std::nullopt;
    }
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

} // namespace

std::string encode_query(const QueryPairs& query) {
  std::string text;
  for (const auto& [name, value] : query) {
    if (!text.empty()) { // every pair writes at least "=", so only the first finds it empty
      text.push_back('&');
    }
    append_escaped(text, name);
    text.push_back('=');
    append_escaped(text, value);
  }
  return text;
}

std::optional<QueryPairs> decode_query(std::string_view text) {
  QueryPairs query;
  if (text.empty()) {
    return query;
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(text.find('&', start), text.size());
    const std::string_view pair = text.substr(start, end - start);
    const std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos) {
      return std::nullopt;
    }
    auto name = unescape(pair.substr(0, equals));
    auto value = unescape(pair.substr(equals + 1));
    if (!name || !value) {
      return std::nullopt;
    }
    query.emplace_back(std::move(*name), std::move(*value));
    if (end == text.size()) {
      return query;
    }
    start = end + 1;
  }
}

} // namespace reckon::store
