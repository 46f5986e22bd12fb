#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace reckon::parse::detail {

// Unix milliseconds of an ISO 8601 date-time that names its zone: "2026-09-29T06:00:00Z",
// "2026-07-31T16:00:43.427+00:00". Also takes a space for the "T" (as Postgres writes it),
// no seconds, a fraction of any length (truncated to milliseconds), and the zones Z, +HH,
// +HHMM and +HH:MM. A time without a zone is ambiguous and gives nullopt, as does anything else.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);

// Unix milliseconds of 2000-01-01 and 2100-01-01: a time of an A/B test outside them is a
// misread unit (seconds taken for milliseconds) or garbage, and is rejected.
inline constexpr std::int64_t k_earliest_plausible_ms = 946'684'800'000;
inline constexpr std::int64_t k_latest_plausible_ms = 4'102'444'800'000;

inline bool is_plausible_time_ms(std::int64_t unix_ms) {
  return unix_ms >= k_earliest_plausible_ms && unix_ms < k_latest_plausible_ms;
}

} // namespace reckon::parse::detail
