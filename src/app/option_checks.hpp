#pragma once

#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>

namespace reckon::app {

// The one check of every numeric option: the text is a whole number of T (or a finite decimal
// when T is floating) within [low, high], or (low, high] when `low_open`. CLI11's own Range lets
// NaN through (every comparison with it is false) and its integer parsing wraps "-1" into an
// unsigned option, so the text is read here with std::from_chars, which does neither. CLI11
// prefixes the message with the option's name and the command exits with the usage code.
template <typename T>
CLI::Validator number_in(T low, T high, bool low_open, const std::string& expected,
                         const std::string& description);

template <typename T>
CLI::Validator number_in(T low, T high, bool low_open = false) {
  std::ostringstream range;
  range << (low_open ? '(' : '[') << low << ", " << high << ']';
  return number_in(low, high, low_open,
                   (std::is_floating_point_v<T> ? "a finite number in " : "a whole number in ") +
                       range.str(),
                   range.str());
}

// A whole number of at least `low`, with no bound above (one the memory sets, say).
inline CLI::Validator at_least(std::uint64_t low) {
  return number_in(low, std::numeric_limits<std::uint64_t>::max(), false,
                   "a whole number of at least " + std::to_string(low),
                   "[" + std::to_string(low) + ", ...]");
}

template <typename T>
CLI::Validator number_in(T low, T high, bool low_open, const std::string& expected,
                         const std::string& description) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        T value{};
        const char* end = text.data() + text.size();
        const auto [stop, failure] = std::from_chars(text.data(), end, value);
        const bool parsed = failure == std::errc() && stop == end && !text.empty();
        bool finite = true;
        if constexpr (std::is_floating_point_v<T>) {
          finite = std::isfinite(value);
        }
        if (!parsed || !finite || value < low || value > high || (low_open && value == low)) {
          return "expected " + expected + ", got " + text;
        }
        return {};
      },
      description);
}

// The check of a date option: a real date written YYYY-MM-DD.
CLI::Validator calendar_date();

// The check of --base-url: an http or https URL with a host and at most a port and a path,
// so that a typo is a usage error at once rather than a network outage retried for minutes.
CLI::Validator http_url();

// The offset of the first byte that cannot be in a header value: a key is one line of printable
// ASCII, so a control character (say a CR LF that would start another header) or a space is
// refused rather than sent.
std::optional<std::size_t> first_unsendable(std::string_view key);

} // namespace reckon::app
