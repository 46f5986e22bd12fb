#include "reckon/util/calendar.hpp"

#include <algorithm>
#include <cassert>

namespace reckon::util {
namespace {

// Howard Hinnant's civil_from_days, the inverse of days_from_civil.
constexpr CivilDay civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDay{y + (m <= 2 ? 1 : 0), static_cast<int>(m), static_cast<int>(d)};
}

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view digits) {
  int value = 0;
  for (const char c : digits) {
    value = value * 10 + (c - '0');
  }
  return value;
}

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  const std::int64_t quotient = value / divisor;
  return quotient * divisor > value ? quotient - 1 : quotient;
}

void append_two_digits(std::string& text, std::int64_t value) {
  text.push_back(static_cast<char>('0' + value / 10));
  text.push_back(static_cast<char>('0' + value % 10));
}

} // namespace

std::string date_time_text(std::int64_t clock_seconds) {
  const std::int64_t days = floor_div(clock_seconds, 86'400);
  const std::int64_t clock = clock_seconds - days * 86'400;
  std::string text = Date{days}.to_string();
  text.push_back('T');
  append_two_digits(text, clock / 3600);
  text.push_back(':');
  append_two_digits(text, clock / 60 % 60);
  text.push_back(':');
  append_two_digits(text, clock % 60);
  return text;
}

std::string utc_seconds_text(std::int64_t unix_ms) {
  std::string text = date_time_text(floor_div(unix_ms, 1000));
  text.push_back('Z');
  return text;
}

std::string utc_millis_text(std::int64_t unix_ms) {
  const std::int64_t seconds = floor_div(unix_ms, 1000);
  const std::int64_t millis = unix_ms - seconds * 1000;
  std::string text = date_time_text(seconds);
  text.push_back('.');
  text.push_back(static_cast<char>('0' + millis / 100));
  append_two_digits(text, millis % 100);
  text.push_back('Z');
  return text;
}

std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  assert(month >= 1 && month <= 12 && day >= 1 && day <= 31);
  const auto m = static_cast<unsigned>(month);
  const auto d = static_cast<unsigned>(day);
  const std::int64_t y = year - (m <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool is_leap_year(std::int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int days_in_month(std::int64_t year, int month) {
  assert(month >= 1 && month <= 12);
  static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : k_days[month - 1];
}

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !all_digits(text.substr(0, 4)) ||
      !all_digits(text.substr(5, 2)) || !all_digits(text.substr(8, 2))) {
    return std::nullopt;
  }
  const int year = to_int(text.substr(0, 4));
  const int month = to_int(text.substr(5, 2));
  const int day = to_int(text.substr(8, 2));
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
    return std::nullopt;
  }
  return from_civil(year, month, day);
}

Date Date::from_civil(int year, int month, int day) {
  return Date{days_from_civil(year, month, day)};
}

CivilDay Date::civil() const {
  return civil_from_days(days_since_epoch);
}

std::string Date::to_string() const {
  const CivilDay civil_day = civil();
  const auto digits = [](std::int64_t value, int width) {
    std::string text(static_cast<std::size_t>(width), '0');
    for (int i = width - 1; i >= 0 && value > 0; --i, value /= 10) {
      text[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    }
    return text;
  };
  return digits(civil_day.year, 4) + "-" + digits(civil_day.month, 2) + "-" +
         digits(civil_day.day, 2);
}

int Date::weekday() const {
  // 1970-01-01 was a Thursday (3 in Monday-based numbering).
  const std::int64_t shifted = (days_since_epoch + 3) % 7;
  return static_cast<int>(shifted >= 0 ? shifted : shifted + 7);
}

} // namespace reckon::util
