#include "reckon/model/scenario.hpp"

#include <algorithm>
#include <cassert>

namespace reckon::model {

namespace {

// Howard Hinnant's days_from_civil and civil_from_days.
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

constexpr Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{y + (m <= 2 ? 1 : 0), m, d};
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

} // namespace

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !all_digits(text.substr(0, 4)) ||
      !all_digits(text.substr(5, 2)) || !all_digits(text.substr(8, 2))) {
    return std::nullopt;
  }
  const int year = to_int(text.substr(0, 4));
  const int month = to_int(text.substr(5, 2));
  const int day = to_int(text.substr(8, 2));
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  const Date date = from_civil(year, month, day);
  // A day past the end of its month rolls over; the round trip catches it.
  if (date.to_string() != text) {
    return std::nullopt;
  }
  return date;
}

Date Date::from_civil(int year, int month, int day) {
  assert(month >= 1 && month <= 12 && day >= 1 && day <= 31);
  return Date{days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day))};
}

std::string Date::to_string() const {
  const Civil civil = civil_from_days(days_since_epoch);
  const auto digits = [](std::int64_t value, int width) {
    std::string text(static_cast<std::size_t>(width), '0');
    for (int i = width - 1; i >= 0 && value > 0; --i, value /= 10) {
      text[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    }
    return text;
  };
  return digits(civil.year, 4) + "-" + digits(civil.month, 2) + "-" + digits(civil.day, 2);
}

int Date::weekday() const {
  // 1970-01-01 was a Thursday (3 in Monday-based numbering).
  const std::int64_t shifted = (days_since_epoch + 3) % 7;
  return static_cast<int>(shifted >= 0 ? shifted : shifted + 7);
}

std::size_t ScenarioExperiment::control_index() const {
  const auto control = std::find_if(variations.begin(), variations.end(),
                                    [](const ScenarioVariation& v) { return v.is_control; });
  assert(control != variations.end());
  return static_cast<std::size_t>(control - variations.begin());
}

std::string_view to_string(ScenarioSource source) {
  switch (source) {
  case ScenarioSource::intelligems:
    return "intelligems";
  case ScenarioSource::platform:
    return "platform";
  case ScenarioSource::bandit:
    return "bandit";
  }
  return "intelligems";
}

std::string_view to_string(ScenarioStatus status) {
  switch (status) {
  case ScenarioStatus::pending:
    return "pending";
  case ScenarioStatus::started:
    return "started";
  case ScenarioStatus::paused:
    return "paused";
  case ScenarioStatus::ended:
    return "ended";
  }
  return "started";
}

std::string_view to_string(FunnelStage stage) {
  switch (stage) {
  case FunnelStage::add_to_cart:
    return "add_to_cart_rate";
  case FunnelStage::checkout_begin:
    return "checkout_begin_rate";
  case FunnelStage::contact_info:
    return "checkout_enter_contact_info_rate";
  case FunnelStage::address_submitted:
    return "checkout_address_submitted_rate";
  }
  return "add_to_cart_rate";
}

} // namespace reckon::model
