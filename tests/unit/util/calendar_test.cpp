#include "reckon/util/calendar.hpp"

#include <gtest/gtest.h>

namespace reckon::util {
namespace {

TEST(Calendar, CivilDaysRoundTrip) {
  for (std::int64_t days = -800'000; days <= 800'000; days += 997) {
    const Date date{days};
    const CivilDay civil = date.civil();
    EXPECT_EQ(days_from_civil(civil.year, civil.month, civil.day), days);
  }
  const CivilDay leap_day = Date::from_civil(2024, 2, 29).civil();
  EXPECT_EQ(leap_day.year, 2024);
  EXPECT_EQ(leap_day.month, 2);
  EXPECT_EQ(leap_day.day, 29);
}

TEST(Calendar, MonthLengthsAndLeapYears) {
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_FALSE(is_leap_year(2100));
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(2026, 2), 28);
  EXPECT_EQ(days_in_month(2026, 9), 30);
  EXPECT_FALSE(Date::parse("2026-09-31"));
  EXPECT_EQ(Date::parse("2026-09-30")->to_string(), "2026-09-30");
  EXPECT_EQ(Date::parse("2026-09-27")->weekday(), 6); // a Sunday
}

} // namespace
} // namespace reckon::util
