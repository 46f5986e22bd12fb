#include "reckon/util/time_zone.hpp"

#include "reckon/util/file.hpp"
#include "tzif.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cstdlib>
#include <system_error>

namespace reckon::util {
namespace {

constexpr std::int64_t k_day = 86'400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return q * b > a ? q - 1 : q;
}

Error unknown_zone(std::string_view name, const std::filesystem::path& zoneinfo) {
  return make_error(ErrorCode::usage, "--tz",
                    "unknown time zone \"" + std::string(name) +
                        "\" (expected UTC, an offset such as +02:00, or an IANA name such as "
                        "Europe/Berlin from " +
                        zoneinfo.string() + ")");
}

// "+02:00", "-0530" or "+02" as seconds east of UTC, up to 18 hours (ISO 8601's range in
// practice); nullopt otherwise.
std::optional<std::int64_t> fixed_offset(std::string_view text) {
  const auto two_digits = [&](std::size_t at) -> std::optional<int> {
    if (at + 2 > text.size() || !std::isdigit(static_cast<unsigned char>(text[at])) ||
        !std::isdigit(static_cast<unsigned char>(text[at + 1]))) {
      return std::nullopt;
    }
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
  };
  const auto hours = two_digits(1);
  std::optional<int> minutes = 0;
  if (text.size() == 6 && text[3] == ':') {
    minutes = two_digits(4);
  } else if (text.size() == 5) {
    minutes = two_digits(3);
  } else if (text.size() != 3) {
    return std::nullopt;
  }
  if (!hours || !minutes || *hours > 18 || *minutes > 59 || (*hours == 18 && *minutes > 0)) {
    return std::nullopt;
  }
  const std::int64_t seconds = *hours * 3600 + *minutes * 60;
  return text[0] == '-' ? -seconds : seconds;
}

// Appends `value` (0-99) as two digits.
void append_two_digits(std::string& text, std::int64_t value) {
  text.push_back(static_cast<char>('0' + value / 10));
  text.push_back(static_cast<char>('0' + value % 10));
}

// "+02:00", with seconds only when the offset has them.
std::string offset_text(std::int64_t offset) {
  std::string text(1, offset < 0 ? '-' : '+');
  const std::int64_t magnitude = std::abs(offset);
  append_two_digits(text, magnitude / 3600);
  text.push_back(':');
  append_two_digits(text, magnitude / 60 % 60);
  if (magnitude % 60 != 0) {
    text.push_back(':');
    append_two_digits(text, magnitude % 60);
  }
  return text;
}

// IANA names are relative paths of letters, digits and "_+-"; refusing anything else keeps
// "--tz ../../etc/passwd" from reading outside the zoneinfo tree.
bool plausible_zone_name(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.back() == '/') {
    return false;
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t slash = std::min(name.find('/', start), name.size());
    const std::string_view part = name.substr(start, slash - start);
    if (part.empty() || part.front() == '.' || !std::all_of(part.begin(), part.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '-' ||
                 c == '.';
        })) {
      return false;
    }
    start = slash + 1;
  }
  return true;
}

} // namespace

Result<TimeZone> TimeZone::load(std::string_view name, const std::filesystem::path& zoneinfo) {
  if (name == "UTC" || name == "Z") {
    return utc();
  }
  if (!name.empty() && (name.front() == '+' || name.front() == '-')) {
    const auto offset = fixed_offset(name);
    if (!offset) {
      return unknown_zone(name, zoneinfo);
    }
    return from_rules(offset_text(*offset), *offset, {}, std::nullopt);
  }
  if (!plausible_zone_name(name)) {
    return unknown_zone(name, zoneinfo);
  }
  const std::filesystem::path file = zoneinfo / name;
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    return unknown_zone(name, zoneinfo);
  }
  Result<std::string> bytes = read_file(file);
  if (!bytes) {
    return bytes.error();
  }
  if (!looks_like_tzif(*bytes)) {
    return unknown_zone(name, zoneinfo);
  }
  return parse_tzif(std::string(name), *bytes, file);
}

TimeZone TimeZone::from_rules(std::string name, std::int64_t initial_offset,
                              std::vector<ZoneTransition> transitions,
                              std::optional<ZoneRule> rule) {
  assert(
      std::is_sorted(transitions.begin(), transitions.end(),
                     [](const ZoneTransition& a, const ZoneTransition& b) { return a.at < b.at; }));
  TimeZone zone;
  zone.m_name = std::move(name);
  zone.m_initial_offset = initial_offset;
  zone.m_transitions = std::move(transitions);
  zone.m_rule = std::move(rule);
  return zone;
}

std::int64_t TimeZone::offset_seconds_at(std::int64_t unix_seconds) const {
  const auto after = [](std::int64_t t, const ZoneTransition& transition) {
    return t < transition.at;
  };
  if (!m_transitions.empty() && unix_seconds < m_transitions.front().at) {
    return m_initial_offset;
  }
  if (!m_rule || (!m_transitions.empty() && unix_seconds < m_transitions.back().at)) {
    if (m_transitions.empty()) {
      return m_initial_offset;
    }
    const auto next =
        std::upper_bound(m_transitions.begin(), m_transitions.end(), unix_seconds, after);
    return std::prev(next)->offset;
  }
  // Past the table, the yearly rule decides: the last of its switches at or before the instant.
  const std::int64_t year =
      Date{floor_div(unix_seconds + m_rule->standard_offset, k_day)}.civil().year;
  std::int64_t offset = m_rule->standard_offset;
  for (std::int64_t y = year - 1; y <= year + 1; ++y) {
    for (const ZoneTransition& transition : m_rule->transitions_in(y)) {
      if (transition.at <= unix_seconds) {
        offset = transition.offset;
      }
    }
  }
  return offset;
}

std::vector<ZoneTransition> TimeZone::transitions_between(std::int64_t from,
                                                          std::int64_t to) const {
  const auto after = [](std::int64_t t, const ZoneTransition& transition) {
    return t < transition.at;
  };
  std::vector<ZoneTransition> found(
      std::upper_bound(m_transitions.begin(), m_transitions.end(), from, after),
      std::upper_bound(m_transitions.begin(), m_transitions.end(), to, after));
  if (m_rule) {
    const std::int64_t table_end = m_transitions.empty() ? from : m_transitions.back().at;
    const std::int64_t first_year = Date{floor_div(from, k_day)}.civil().year - 1;
    const std::int64_t last_year = Date{floor_div(to, k_day)}.civil().year + 1;
    for (std::int64_t year = first_year; year <= last_year; ++year) {
      for (const ZoneTransition& transition : m_rule->transitions_in(year)) {
        if (transition.at > std::max(from, table_end) && transition.at <= to) {
          found.push_back(transition);
        }
      }
    }
  }
  return found;
}

Date TimeZone::date_of(std::int64_t unix_seconds) const {
  return Date{floor_div(unix_seconds + offset_seconds_at(unix_seconds), k_day)};
}

std::int64_t TimeZone::start_of_day(Date date) const {
  // The first instant whose local time reaches midnight: walk the spans of constant offset
  // around it in order. A span that begins past midnight means midnight fell into a gap.
  const std::int64_t midnight = date.epoch_seconds();
  const std::int64_t from = midnight - 3 * k_day;
  const std::int64_t to = midnight + 3 * k_day;
  std::vector<ZoneTransition> transitions = transitions_between(from, to);
  transitions.push_back({to + 1, 0});
  std::int64_t span_start = from;
  std::int64_t offset = offset_seconds_at(from);
  for (const ZoneTransition& transition : transitions) {
    if (span_start + offset >= midnight) {
      return span_start;
    }
    if (midnight - offset < transition.at) {
      return midnight - offset;
    }
    span_start = transition.at;
    offset = transition.offset;
  }
  assert(false && "offsets stay within a day");
  return midnight - offset;
}

std::string TimeZone::iso8601(std::int64_t unix_seconds) const {
  const std::int64_t offset = offset_seconds_at(unix_seconds);
  const std::int64_t local = unix_seconds + offset;
  return date_time_text(local) + offset_text(offset);
}

} // namespace reckon::util
