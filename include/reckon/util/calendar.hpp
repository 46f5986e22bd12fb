#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reckon::util {

// A day's year, month (1-12) and day of the month (1-31).
struct CivilDay {
  std::int64_t year = 1970;
  int month = 1;
  int day = 1;
};

// A calendar day (proleptic Gregorian, no time zone), held as days since 1970-01-01. Which
// instants belong to it depends on a zone: see util::TimeZone.
struct Date {
  std::int64_t days_since_epoch = 0;

  // Nullopt unless `text` is a real date written YYYY-MM-DD.
  static std::optional<Date> parse(std::string_view text);
  static Date from_civil(int year, int month, int day);
  CivilDay civil() const;
  // YYYY-MM-DD.
  std::string to_string() const;
  // 0 = Monday ... 6 = Sunday (ISO order).
  int weekday() const;
  bool is_weekend() const { return weekday() >= 5; }
  // Seconds since the Unix epoch at 00:00:00 UTC of this day.
  std::int64_t epoch_seconds() const { return days_since_epoch * 86'400; }
  Date plus_days(std::int64_t days) const { return Date{days_since_epoch + days}; }
  auto operator<=>(const Date&) const = default;
};

// Days since 1970-01-01 of a civil day (Howard Hinnant's algorithm). Months and days outside
// their ranges are the caller's bug.
std::int64_t days_from_civil(std::int64_t year, int month, int day);
bool is_leap_year(std::int64_t year);
int days_in_month(std::int64_t year, int month);

// 2026-09-29T06:00:00: the date and time of day of a count of seconds since 1970-01-01 00:00
// on some clock (UTC, or a zone's local clock), without a zone designator.
std::string date_time_text(std::int64_t clock_seconds);

// An instant as ISO 8601 in UTC, the form every API and manifest here uses:
// 2026-09-29T06:00:00Z (whole seconds, rounded down) and 2026-09-01T00:00:00.000Z.
std::string utc_seconds_text(std::int64_t unix_ms);
std::string utc_millis_text(std::int64_t unix_ms);

} // namespace reckon::util
