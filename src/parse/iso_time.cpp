#include "iso_time.hpp"

#include "reckon/util/calendar.hpp"

namespace reckon::parse::detail {

namespace {

// Reads `count` digits at `at` into `out`; false when they are not all digits.
bool read_digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) {
    return false;
  }
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

// The zone's offset from UTC in seconds, consuming the rest of `text`.
std::optional<int> read_zone(std::string_view text) {
  if (text == "Z" || text == "z") {
    return 0;
  }
  if (text.empty() || (text[0] != '+' && text[0] != '-')) {
    return std::nullopt;
  }
  const int sign = text[0] == '-' ? -1 : 1;
  int hours = 0;
  int minutes = 0;
  if (!read_digits(text, 1, 2, hours)) {
    return std::nullopt;
  }
  if (text.size() == 6 && text[3] == ':') {
    if (!read_digits(text, 4, 2, minutes)) {
      return std::nullopt;
    }
  } else if (text.size() == 5) {
    if (!read_digits(text, 3, 2, minutes)) {
      return std::nullopt;
    }
  } else if (text.size() != 3) {
    return std::nullopt;
  }
  if (hours > 23 || minutes > 59) {
    return std::nullopt;
  }
  return sign * (hours * 3600 + minutes * 60);
}

} // namespace

std::optional<std::int64_t> parse_iso8601_ms(std::string_view text) {
  if (text.size() < 16) {
    return std::nullopt;
  }
  const auto day = util::Date::parse(text.substr(0, 10));
  const char separator = text[10];
  int hours = 0;
  int minutes = 0;
  if (!day || (separator != 'T' && separator != 't' && separator != ' ') ||
      !read_digits(text, 11, 2, hours) || text[13] != ':' || !read_digits(text, 14, 2, minutes) ||
      hours > 23 || minutes > 59) {
    return std::nullopt;
  }
  std::size_t at = 16;
  int seconds = 0;
  int millis = 0;
  if (at < text.size() && text[at] == ':') {
    if (!read_digits(text, at + 1, 2, seconds) || seconds > 59) {
      return std::nullopt;
    }
    at += 3;
    if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
      std::size_t digits = 0;
      for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
        if (digits < 3) {
          millis = millis * 10 + (text[at] - '0');
        }
      }
      if (digits == 0) {
        return std::nullopt;
      }
      for (; digits < 3; ++digits) {
        millis *= 10;
      }
    }
  }
  const auto offset = read_zone(text.substr(at));
  if (!offset) {
    return std::nullopt;
  }
  const std::int64_t local_seconds = day->epoch_seconds() + hours * 3600 + minutes * 60 + seconds;
  return (local_seconds - *offset) * 1000 + millis;
}

} // namespace reckon::parse::detail
