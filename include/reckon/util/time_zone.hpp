#pragma once

#include "reckon/util/calendar.hpp"
#include "reckon/util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::util {

// Where Debian's tzdata package installs the IANA zone files.
inline const std::filesystem::path k_system_zoneinfo = "/usr/share/zoneinfo";

// A change of offset: from `at` (Unix seconds) on, local time is UTC + `offset` seconds.
struct ZoneTransition {
  std::int64_t at = 0;
  std::int64_t offset = 0;
  bool operator==(const ZoneTransition&) const = default;
};

// A day of the year on which a yearly rule switches: Mm.w.d (month, week 1-5 where 5 means
// the last, weekday 0 = Sunday), Jn (day 1-365, never counting February 29) or n (day 0-365,
// counting it); and the local wall time of day, in seconds, at which the switch happens.
struct RuleDate {
  enum class Kind { month_week_day, julian_no_leap, julian_zero };
  Kind kind = Kind::month_week_day;
  int month = 1;
  int week = 1;
  int weekday = 0;
  int day = 0;
  std::int64_t time_seconds = 7'200;
};

// The yearly rule of a POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3"), which a TZif file
// carries in its footer for every instant after its last transition.
struct ZoneRule {
  std::int64_t standard_offset = 0;
  std::optional<std::int64_t> daylight_offset; // none: no daylight saving time
  RuleDate start;                              // into daylight saving time
  RuleDate end;                                // back to standard time

  // The rule's transitions in `year` (none without daylight saving time), ascending.
  std::vector<ZoneTransition> transitions_in(std::int64_t year) const;
};

// Parses a POSIX TZ string; nullopt when malformed.
std::optional<ZoneRule> parse_posix_tz(std::string_view text);

// A time zone in which days are cut: UTC, a fixed offset, or an IANA zone read from its TZif
// file. Reading the file ourselves (rather than setenv("TZ") and localtime) keeps a loaded
// zone immutable and every member safe to call from any thread, and needs no process state.
class TimeZone {
public:
  // UTC.
  TimeZone() = default;
  static TimeZone utc() { return TimeZone(); }
  // "UTC" or "Z"; a fixed offset "+02:00", "-05:30" (also "+0200", "+02"); or an IANA name
  // such as "Europe/Berlin", read from `zoneinfo`. An unknown or malformed name is a usage
  // error naming --tz; an unreadable or corrupt zone file an io error naming the file.
  static Result<TimeZone> load(std::string_view name,
                               const std::filesystem::path& zoneinfo = k_system_zoneinfo);
  // A zone from its rules, as a TZif file gives them: the offset before the first transition,
  // the transitions in ascending order, and the rule for instants after the last one (without
  // a rule the last offset holds forever).
  static TimeZone from_rules(std::string name, std::int64_t initial_offset,
                             std::vector<ZoneTransition> transitions, std::optional<ZoneRule> rule);

  // Local time minus UTC at this instant, in seconds (+7200 in Berlin in summer).
  std::int64_t offset_seconds_at(std::int64_t unix_seconds) const;
  // The local calendar day containing this instant.
  Date date_of(std::int64_t unix_seconds) const;
  // The first instant of a local day: local midnight, or the end of a daylight-saving gap
  // when midnight itself is skipped. Days are 23 or 25 hours long across DST changes; a day
  // skipped entirely (Samoa's 2011-12-30) starts where the next one does.
  std::int64_t start_of_day(Date date) const;
  // The instant as local time with its offset, "2026-09-15T00:00:00+02:00" ("+00:00" in UTC).
  // Local mean time offsets before time zones existed that are not whole minutes are written
  // with seconds, "+00:53:28", so that the text still names the same instant.
  std::string iso8601(std::int64_t unix_seconds) const;
  // "UTC", the normalised offset ("+02:00"), or the IANA name as given.
  const std::string& name() const { return m_name; }

private:
  // Every transition with from < at <= to, ascending.
  std::vector<ZoneTransition> transitions_between(std::int64_t from, std::int64_t to) const;

  std::string m_name = "UTC";
  // In effect before the first transition (and always, for UTC and fixed offsets).
  std::int64_t m_initial_offset = 0;
  std::vector<ZoneTransition> m_transitions; // ascending
  std::optional<ZoneRule> m_rule;
};

} // namespace reckon::util
