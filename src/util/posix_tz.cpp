#include "reckon/util/time_zone.hpp"

#include <algorithm>
#include <cctype>

namespace reckon::util {
namespace {

// A cursor over a POSIX TZ string; every reader leaves it unchanged on failure only where the
// grammar makes the element optional.
class Reader {
public:
  explicit Reader(std::string_view text) : m_text(text) {}

  bool done() const { return m_pos == m_text.size(); }
  bool peek(char c) const { return m_pos < m_text.size() && m_text[m_pos] == c; }
  bool accept(char c) {
    if (!peek(c)) {
      return false;
    }
    ++m_pos;
    return true;
  }

  // A zone abbreviation: three or more letters, or anything but '>' between angle brackets.
  bool name() {
    if (accept('<')) {
      const std::size_t close = m_text.find('>', m_pos);
      if (close == std::string_view::npos || close - m_pos < 3) {
        return false;
      }
      m_pos = close + 1;
      return true;
    }
    const std::size_t start = m_pos;
    while (m_pos < m_text.size() && std::isalpha(static_cast<unsigned char>(m_text[m_pos]))) {
      ++m_pos;
    }
    return m_pos - start >= 3;
  }

  bool has_number() const {
    return m_pos < m_text.size() && (std::isdigit(static_cast<unsigned char>(m_text[m_pos])) ||
                                     m_text[m_pos] == '+' || m_text[m_pos] == '-');
  }

  // [+-]hh[:mm[:ss]] in seconds; hours up to `max_hours` (RFC 8536 allows 167 in rule times).
  std::optional<std::int64_t> duration(int max_hours) {
    const bool negative = accept('-');
    if (!negative) {
      accept('+');
    }
    const auto hours = digits(1, 3);
    if (!hours || *hours > max_hours) {
      return std::nullopt;
    }
    std::int64_t seconds = *hours * 3600;
    for (const int scale : {60, 1}) {
      if (!accept(':')) {
        break;
      }
      const auto part = digits(2, 2);
      if (!part || *part > 59) {
        return std::nullopt;
      }
      seconds += *part * scale;
    }
    return negative ? -seconds : seconds;
  }

  std::optional<int> digits(std::size_t min_count, std::size_t max_count) {
    int value = 0;
    std::size_t count = 0;
    while (count < max_count && m_pos < m_text.size() &&
           std::isdigit(static_cast<unsigned char>(m_text[m_pos]))) {
      value = value * 10 + (m_text[m_pos++] - '0');
      ++count;
    }
    if (count < min_count) {
      return std::nullopt;
    }
    return value;
  }

private:
  std::string_view m_text;
  std::size_t m_pos = 0;
};

std::optional<RuleDate> rule_date(Reader& in) {
  RuleDate date;
  if (in.accept('M')) {
    const auto month = in.digits(1, 2);
    const bool dot1 = month && in.accept('.');
    const auto week = dot1 ? in.digits(1, 1) : std::nullopt;
    const bool dot2 = week && in.accept('.');
    const auto weekday = dot2 ? in.digits(1, 1) : std::nullopt;
    if (!weekday || *month < 1 || *month > 12 || *week < 1 || *week > 5 || *weekday > 6) {
      return std::nullopt;
    }
    date.kind = RuleDate::Kind::month_week_day;
    date.month = *month;
    date.week = *week;
    date.weekday = *weekday;
  } else {
    const bool julian = in.accept('J');
    const auto day = in.digits(1, 3);
    if (!day || (julian ? *day < 1 || *day > 365 : *day > 365)) {
      return std::nullopt;
    }
    date.kind = julian ? RuleDate::Kind::julian_no_leap : RuleDate::Kind::julian_zero;
    date.day = *day;
  }
  if (in.accept('/')) {
    const auto time = in.duration(167);
    if (!time) {
      return std::nullopt;
    }
    date.time_seconds = *time;
  }
  return date;
}

// Days since the epoch of the rule date in `year`.
std::int64_t day_of(const RuleDate& date, std::int64_t year) {
  const std::int64_t january_first = days_from_civil(year, 1, 1);
  switch (date.kind) {
  case RuleDate::Kind::julian_no_leap:
    return january_first + date.day - 1 + (is_leap_year(year) && date.day >= 60 ? 1 : 0);
  case RuleDate::Kind::julian_zero:
    return january_first + date.day;
  case RuleDate::Kind::month_week_day:
    break;
  }
  const std::int64_t first = days_from_civil(year, date.month, 1);
  const int first_weekday = (Date{first}.weekday() + 1) % 7; // Sunday = 0, as POSIX counts
  int day = 1 + (date.weekday - first_weekday + 7) % 7 + (date.week - 1) * 7;
  while (day > days_in_month(year, date.month)) {
    day -= 7; // week 5 means the last such weekday of the month
  }
  return first + day - 1;
}

} // namespace

std::optional<ZoneRule> parse_posix_tz(std::string_view text) {
  Reader in(text);
  ZoneRule rule;
  if (!in.name()) {
    return std::nullopt;
  }
  // POSIX offsets count hours west of Greenwich, the opposite sign of UTC offsets.
  const auto standard = in.duration(24);
  if (!standard) {
    return std::nullopt;
  }
  rule.standard_offset = -*standard;
  if (in.done()) {
    return rule;
  }
  if (!in.name()) {
    return std::nullopt;
  }
  rule.daylight_offset = rule.standard_offset + 3600;
  if (in.has_number()) {
    const auto daylight = in.duration(24);
    if (!daylight) {
      return std::nullopt;
    }
    rule.daylight_offset = -*daylight;
  }
  if (in.done()) {
    // No dates: POSIX leaves them to the implementation; tzcode uses the US rules.
    rule.start = RuleDate{RuleDate::Kind::month_week_day, 3, 2, 0, 0, 7'200};
    rule.end = RuleDate{RuleDate::Kind::month_week_day, 11, 1, 0, 0, 7'200};
    return rule;
  }
  if (!in.accept(',')) {
    return std::nullopt;
  }
  const auto start = rule_date(in);
  if (!start || !in.accept(',')) {
    return std::nullopt;
  }
  const auto end = rule_date(in);
  if (!end || !in.done()) {
    return std::nullopt;
  }
  rule.start = *start;
  rule.end = *end;
  return rule;
}

std::vector<ZoneTransition> ZoneRule::transitions_in(std::int64_t year) const {
  if (!daylight_offset) {
    return {};
  }
  // Each switch happens at a wall time of the offset in force before it.
  const std::int64_t start_local = day_of(start, year) * 86'400 + start.time_seconds;
  const std::int64_t end_local = day_of(end, year) * 86'400 + end.time_seconds;
  std::vector<ZoneTransition> transitions{{start_local - standard_offset, *daylight_offset},
                                          {end_local - *daylight_offset, standard_offset}};
  std::stable_sort(transitions.begin(), transitions.end(),
                   [](const ZoneTransition& a, const ZoneTransition& b) { return a.at < b.at; });
  return transitions;
}

} // namespace reckon::util
