#include "rate_limit_hints.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace reckon::fetch {
namespace {

using std::chrono::milliseconds;

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<double> leading_number(std::string_view text) {
  double number = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end == text.data() || !std::isfinite(number) || number < 0.0) {
    return std::nullopt;
  }
  return number;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Milliseconds since the epoch are 13 digits today; a wait of that size would be 30 years.
constexpr double k_epoch_threshold_ms = 1e11;
// Seconds since the epoch are 10 digits (2001 to 2286); a wait of 1e9 ms would be 11 days.
constexpr double k_epoch_threshold_s = 1e9;

// The value of a header line when its name is `name` (in any case).
std::optional<std::string_view> header_value(std::string_view line, std::string_view name) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || !equals_ignoring_case(trim(line.substr(0, colon)), name)) {
    return std::nullopt;
  }
  return trim(line.substr(colon + 1));
}

} // namespace

std::optional<milliseconds> reset_from_header(std::string_view line) {
  const auto text = header_value(line, "x-ratelimit-reset");
  const auto value = text ? leading_number(*text) : std::nullopt;
  if (!value) {
    return std::nullopt;
  }
  if (*value < k_epoch_threshold_s) {
    return milliseconds(std::llround(*value));
  }
  const double epoch_ms = *value < k_epoch_threshold_ms ? *value * 1000.0 : *value;
  const auto now =
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  return std::max(milliseconds(0), milliseconds(std::llround(epoch_ms)) - now);
}

std::optional<std::uint64_t> remaining_from_header(std::string_view line) {
  const auto text = header_value(line, "x-ratelimit-remaining");
  const auto value = text ? leading_number(*text) : std::nullopt;
  if (!value || *value != std::floor(*value) || *value > 1e15) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(*value);
}

std::optional<milliseconds> retry_after_from_header(std::string_view line) {
  const auto text = header_value(line, "retry-after");
  const auto seconds = text ? leading_number(*text) : std::nullopt;
  if (!seconds) {
    return std::nullopt;
  }
  return milliseconds(std::llround(*seconds * 1000.0));
}

std::optional<milliseconds> retry_after_from_body(std::string_view body) {
  const std::size_t key = body.find("\"retryAfter\"");
  if (key == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view rest = trim(body.substr(key + 12));
  if (rest.empty() || rest.front() != ':') {
    return std::nullopt;
  }
  rest = trim(rest.substr(1));
  if (!rest.empty() && rest.front() == '"') { // a number sent as a string
    rest.remove_prefix(1);
  }
  const auto seconds = leading_number(rest);
  if (!seconds) {
    return std::nullopt;
  }
  return milliseconds(std::llround(*seconds * 1000.0));
}

} // namespace reckon::fetch
