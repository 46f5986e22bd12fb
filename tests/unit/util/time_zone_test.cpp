#include "reckon/util/time_zone.hpp"

#include "support/error_matchers.hpp"

#include "reckon/util/file.hpp"
#include "support/paths.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace reckon::util {
namespace {

constexpr std::int64_t k_hour = 3600;

// IANA zones come from Debian's tzdata; without it those tests cannot say anything.
#define RECKON_NEED_ZONEINFO()                                                                     \
  if (!std::filesystem::is_directory(k_system_zoneinfo)) {                                         \
    GTEST_SKIP() << "no " << k_system_zoneinfo << " (install tzdata)";                             \
  }

TimeZone must_load(std::string_view name) {
  Result<TimeZone> zone = TimeZone::load(name);
  EXPECT_TRUE(zone) << (zone ? "" : zone.error().describe());
  return zone ? std::move(zone).value() : TimeZone::utc();
}

std::int64_t day_length(const TimeZone& zone, Date date) {
  return zone.start_of_day(date.plus_days(1)) - zone.start_of_day(date);
}

Date day(int year, int month, int day_of_month) {
  return Date::from_civil(year, month, day_of_month);
}

TEST(TimeZone, UtcCutsDaysAtUtcMidnight) {
  for (const std::string_view name : {"UTC", "Z"}) {
    const TimeZone zone = must_load(name);
    EXPECT_EQ(zone.name(), "UTC");
    const Date date = day(2026, 9, 15);
    EXPECT_EQ(zone.start_of_day(date), date.epoch_seconds());
    EXPECT_EQ(zone.offset_seconds_at(date.epoch_seconds()), 0);
    EXPECT_EQ(zone.date_of(date.epoch_seconds()), date);
    EXPECT_EQ(zone.date_of(date.epoch_seconds() - 1), date.plus_days(-1));
    EXPECT_EQ(zone.iso8601(date.epoch_seconds()), "2026-09-15T00:00:00+00:00");
  }
  EXPECT_EQ(TimeZone::utc().iso8601(-1), "1969-12-31T23:59:59+00:00");
}

TEST(TimeZone, FixedOffsetsAreNormalisedAndShiftDays) {
  const TimeZone plus = must_load("+02:00");
  EXPECT_EQ(plus.name(), "+02:00");
  EXPECT_EQ(must_load("+0200").name(), "+02:00");
  EXPECT_EQ(must_load("+02").name(), "+02:00");
  const Date date = day(2026, 9, 15);
  EXPECT_EQ(plus.start_of_day(date), date.epoch_seconds() - 2 * k_hour);
  EXPECT_EQ(plus.iso8601(date.epoch_seconds() - 2 * k_hour), "2026-09-15T00:00:00+02:00");

  const TimeZone minus = must_load("-05:30");
  EXPECT_EQ(minus.name(), "-05:30");
  EXPECT_EQ(minus.offset_seconds_at(0), -(5 * k_hour + 1800));
  EXPECT_EQ(minus.start_of_day(date), date.epoch_seconds() + 5 * k_hour + 1800);
  EXPECT_EQ(minus.date_of(date.epoch_seconds() + 5 * k_hour + 1799), date.plus_days(-1));
  EXPECT_EQ(minus.iso8601(date.epoch_seconds()), "2026-09-14T18:30:00-05:30");
  EXPECT_EQ(day_length(minus, date), 24 * k_hour);
}

TEST(TimeZone, BerlinDaysAre23And25HoursAcrossDaylightSavingChanges) {
  RECKON_NEED_ZONEINFO();
  const TimeZone zone = must_load("Europe/Berlin");
  EXPECT_EQ(zone.name(), "Europe/Berlin");
  EXPECT_EQ(zone.start_of_day(day(2026, 3, 29)), 1774738800); // 2026-03-28T23:00Z
  EXPECT_EQ(zone.start_of_day(day(2026, 3, 30)), 1774821600); // 2026-03-29T22:00Z
  EXPECT_EQ(day_length(zone, day(2026, 3, 28)), 24 * k_hour);
  EXPECT_EQ(day_length(zone, day(2026, 3, 29)), 23 * k_hour);
  EXPECT_EQ(day_length(zone, day(2026, 10, 25)), 25 * k_hour);
  EXPECT_EQ(zone.start_of_day(day(2026, 10, 26)), 1792969200); // 2026-10-25T23:00Z
  // The switch itself: 01:00 UTC on the last Sunday of March and of October.
  EXPECT_EQ(zone.offset_seconds_at(1774746000 - 1), 1 * k_hour);
  EXPECT_EQ(zone.offset_seconds_at(1774746000), 2 * k_hour);
  EXPECT_EQ(zone.iso8601(1774746000 - 1), "2026-03-29T01:59:59+01:00");
  EXPECT_EQ(zone.iso8601(1774746000), "2026-03-29T03:00:00+02:00");
}

TEST(TimeZone, NewYorkDaysAre23And25HoursAcrossDaylightSavingChanges) {
  RECKON_NEED_ZONEINFO();
  const TimeZone zone = must_load("America/New_York");
  EXPECT_EQ(zone.start_of_day(day(2026, 3, 8)), 1772946000); // 05:00Z
  EXPECT_EQ(zone.start_of_day(day(2026, 3, 9)), 1773028800); // 04:00Z
  EXPECT_EQ(day_length(zone, day(2026, 3, 8)), 23 * k_hour);
  EXPECT_EQ(zone.start_of_day(day(2026, 11, 1)), 1793505600);
  EXPECT_EQ(zone.start_of_day(day(2026, 11, 2)), 1793595600);
  EXPECT_EQ(day_length(zone, day(2026, 11, 1)), 25 * k_hour);
  EXPECT_EQ(zone.iso8601(1793505600), "2026-11-01T00:00:00-04:00");
  EXPECT_EQ(zone.iso8601(1793595600), "2026-11-02T00:00:00-05:00");
  // 01:30 happens twice on 2026-11-01; both belong to that day.
  EXPECT_EQ(zone.iso8601(1793511000), "2026-11-01T01:30:00-04:00");
  EXPECT_EQ(zone.iso8601(1793514600), "2026-11-01T01:30:00-05:00");
  EXPECT_EQ(zone.date_of(1793514600), day(2026, 11, 1));
}

TEST(TimeZone, DateOfTurnsAtLocalMidnight) {
  RECKON_NEED_ZONEINFO();
  const TimeZone zone = must_load("Europe/Berlin");
  const std::int64_t midnight = 1789423200; // 2026-09-15T00:00:00+02:00
  EXPECT_EQ(zone.start_of_day(day(2026, 9, 15)), midnight);
  EXPECT_EQ(zone.date_of(midnight), day(2026, 9, 15));
  EXPECT_EQ(zone.date_of(midnight - 1), day(2026, 9, 14));
  EXPECT_EQ(zone.iso8601(midnight), "2026-09-15T00:00:00+02:00");
  EXPECT_EQ(zone.iso8601(midnight - 1), "2026-09-14T23:59:59+02:00");
  // The first instant of every day of 2026 belongs to it, the one before to the day before.
  for (Date date = day(2026, 1, 1); date < day(2027, 1, 1); date = date.plus_days(1)) {
    const std::int64_t start = zone.start_of_day(date);
    ASSERT_EQ(zone.date_of(start), date) << date.to_string();
    ASSERT_EQ(zone.date_of(start - 1), date.plus_days(-1)) << date.to_string();
  }
}

TEST(TimeZone, TheFooterRuleGovernsInstantsPastTheLastTransition) {
  RECKON_NEED_ZONEINFO();
  const TimeZone berlin = must_load("Europe/Berlin");
  EXPECT_EQ(berlin.start_of_day(day(2050, 3, 27)), 2531948400);
  EXPECT_EQ(day_length(berlin, day(2050, 3, 27)), 23 * k_hour);
  EXPECT_EQ(day_length(berlin, day(2050, 10, 30)), 25 * k_hour);
  EXPECT_EQ(berlin.offset_seconds_at(day(2100, 7, 1).epoch_seconds()), 2 * k_hour);
  EXPECT_EQ(berlin.offset_seconds_at(day(2100, 12, 1).epoch_seconds()), 1 * k_hour);
  const TimeZone new_york = must_load("America/New_York");
  EXPECT_EQ(new_york.start_of_day(day(2090, 3, 12)), 3792978000);
  EXPECT_EQ(day_length(new_york, day(2090, 3, 12)), 23 * k_hour);
}

TEST(TimeZone, MidnightInADaylightSavingGapStartsTheDayAtTheGapsEnd) {
  RECKON_NEED_ZONEINFO();
  const TimeZone zone = must_load("America/Sao_Paulo");
  // 2018-11-04 00:00 -03 became 01:00 -02: the day starts at the switch.
  EXPECT_EQ(zone.start_of_day(day(2018, 11, 4)), 1541300400);
  EXPECT_EQ(zone.iso8601(1541300400), "2018-11-04T01:00:00-02:00");
  EXPECT_EQ(day_length(zone, day(2018, 11, 3)), 24 * k_hour);
  EXPECT_EQ(day_length(zone, day(2018, 11, 4)), 23 * k_hour);
  // 2019-02-17 00:00 -02 fell back to 2019-02-16 23:00 -03: a 25-hour Saturday.
  EXPECT_EQ(zone.start_of_day(day(2019, 2, 17)), 1550372400);
  EXPECT_EQ(day_length(zone, day(2019, 2, 16)), 25 * k_hour);
}

TEST(TimeZone, SyntheticRulesWithAGapAtMidnight) {
  // Standard -01:00, daylight +00:00 from Sunday 2 March 00:00 to 2 November 01:00 (wall).
  const std::optional<ZoneRule> rule = parse_posix_tz("<-01>1<+00>,M3.1.0/0,M11.1.0/1");
  ASSERT_TRUE(rule);
  const TimeZone zone = TimeZone::from_rules("Test/Gap", -k_hour, {}, rule);
  const Date gap_day = day(2025, 3, 2); // a Sunday
  EXPECT_EQ(zone.start_of_day(gap_day), gap_day.epoch_seconds() + k_hour);
  EXPECT_EQ(zone.iso8601(zone.start_of_day(gap_day)), "2025-03-02T01:00:00+00:00");
  EXPECT_EQ(day_length(zone, gap_day.plus_days(-1)), 24 * k_hour);
  EXPECT_EQ(day_length(zone, gap_day), 23 * k_hour);
}

TEST(TimeZone, LocalMeanTimeKeepsItsSeconds) {
  RECKON_NEED_ZONEINFO();
  const TimeZone zone = must_load("Europe/Berlin");
  const std::int64_t instant = day(1890, 1, 1).epoch_seconds();
  EXPECT_EQ(zone.offset_seconds_at(instant), 3208);
  EXPECT_EQ(zone.iso8601(instant), "1890-01-01T00:53:28+00:53:28");
}

TEST(TimeZone, UnknownNamesAreUsageErrorsNamingTz) {
  for (const std::string_view name : {"Mars/Olympus", "../../etc/passwd", "/etc/localtime",
                                      "+25:00", "+02:7", "", "utc", "Europe/", "Europe//Berlin"}) {
    const Result<TimeZone> zone = TimeZone::load(name);
    ASSERT_FALSE(zone) << name;
    EXPECT_ERROR(zone, ErrorCode::usage, ::testing::_);
    EXPECT_EQ(zone.error().where, "--tz");
    EXPECT_NE(zone.error().describe().find('"' + std::string(name) + '"'), std::string::npos)
        << zone.error().describe();
  }
}

TEST(TimeZone, DirectoriesAndTextFilesUnderZoneinfoAreNotZones) {
  const auto zoneinfo = test::fresh_temp_dir("zoneinfo");
  std::filesystem::create_directories(zoneinfo / "Europe");
  ASSERT_TRUE(write_file_atomically(zoneinfo / "zone.tab", "# not a zone\n"));
  for (const std::string_view name : {"Europe", "zone.tab"}) {
    const Result<TimeZone> zone = TimeZone::load(name, zoneinfo);
    ASSERT_FALSE(zone) << name;
    EXPECT_ERROR(zone, ErrorCode::usage, ::testing::_);
  }
}

// Builds a TZif file: version 1 with 32-bit times, or version 2 whose version 1 block is
// empty, as zic's slim output writes it.
std::string tzif(char version, const std::vector<std::int64_t>& times,
                 const std::vector<std::uint8_t>& types, const std::vector<std::int32_t>& offsets,
                 const std::string& footer) {
  const auto be = [](std::string& out, std::uint64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    }
  };
  const auto header = [&](std::string& out, std::size_t timecnt, std::size_t typecnt) {
    out += "TZif";
    out.push_back(version);
    out += std::string(15, '\0');
    for (const std::size_t count :
         {std::size_t{0}, std::size_t{0}, std::size_t{0}, timecnt, typecnt, std::size_t{4}}) {
      be(out, count, 4);
    }
  };
  const auto block = [&](std::string& out, int time_size) {
    header(out, times.size(), offsets.size());
    for (const std::int64_t time : times) {
      be(out, static_cast<std::uint64_t>(time), time_size);
    }
    for (const std::uint8_t type : types) {
      out.push_back(static_cast<char>(type));
    }
    for (const std::int32_t offset : offsets) {
      be(out, static_cast<std::uint32_t>(offset), 4);
      out.push_back('\0');
      out.push_back('\0');
    }
    out += std::string("XYZ\0", 4);
  };
  std::string out;
  if (version == '\0') {
    block(out, 4);
    return out;
  }
  header(out, 0, 1);
  out += std::string(6, '\0') + std::string("XYZ\0", 4);
  block(out, 8);
  return out + "\n" + footer + "\n";
}

TEST(TimeZone, ReadsSlimVersion2FilesThroughTheirFooter) {
  const auto zoneinfo = test::fresh_temp_dir("zoneinfo");
  std::filesystem::create_directories(zoneinfo / "Test");
  // One transition in 1980 to CET, then only the footer's rule.
  ASSERT_TRUE(
      write_file_atomically(zoneinfo / "Test" / "Slim", tzif('2', {315532800}, {1}, {3208, 3600},
                                                             "CET-1CEST,M3.5.0,M10.5.0/3")));
  const Result<TimeZone> zone = TimeZone::load("Test/Slim", zoneinfo);
  ASSERT_TRUE(zone) << zone.error().describe();
  EXPECT_EQ(zone->offset_seconds_at(0), 3208);
  EXPECT_EQ(zone->start_of_day(day(2026, 3, 29)), 1774738800);
  EXPECT_EQ(day_length(*zone, day(2026, 3, 29)), 23 * k_hour);
  EXPECT_EQ(day_length(*zone, day(2026, 10, 25)), 25 * k_hour);
}

TEST(TimeZone, ReadsVersion1FilesAndKeepsTheLastOffset) {
  const auto zoneinfo = test::fresh_temp_dir("zoneinfo");
  ASSERT_TRUE(
      write_file_atomically(zoneinfo / "Old", tzif('\0', {0, 1000000}, {1, 0}, {-3600, 7200}, "")));
  const Result<TimeZone> zone = TimeZone::load("Old", zoneinfo);
  ASSERT_TRUE(zone) << zone.error().describe();
  EXPECT_EQ(zone->offset_seconds_at(-1), -3600);
  EXPECT_EQ(zone->offset_seconds_at(0), 7200);
  EXPECT_EQ(zone->offset_seconds_at(1000000), -3600);
  EXPECT_EQ(zone->offset_seconds_at(4000000000), -3600);
}

TEST(TimeZone, CorruptZoneFilesAreIoErrorsNamingTheFile) {
  const auto zoneinfo = test::fresh_temp_dir("zoneinfo");
  const std::string good = tzif('2', {315532800}, {1}, {3208, 3600}, "CET-1CEST,M3.5.0,M10.5.0/3");
  ASSERT_TRUE(write_file_atomically(zoneinfo / "Truncated", good.substr(0, good.size() - 30)));
  ASSERT_TRUE(write_file_atomically(zoneinfo / "BadFooter",
                                    tzif('2', {315532800}, {1}, {3208, 3600}, "CET-1CEST,M13")));
  ASSERT_TRUE(write_file_atomically(zoneinfo / "BadType", tzif('2', {1}, {7}, {0}, "UTC0")));
  for (const std::string_view name : {"Truncated", "BadFooter", "BadType"}) {
    const Result<TimeZone> zone = TimeZone::load(name, zoneinfo);
    ASSERT_FALSE(zone) << name;
    EXPECT_ERROR(zone, ErrorCode::io, ::testing::_);
    EXPECT_EQ(zone.error().where, (zoneinfo / name).string());
  }
}

TEST(PosixTz, ParsesTheForms) {
  const auto berlin = parse_posix_tz("CET-1CEST,M3.5.0,M10.5.0/3");
  ASSERT_TRUE(berlin);
  EXPECT_EQ(berlin->standard_offset, 3600);
  EXPECT_EQ(berlin->daylight_offset, 7200);
  EXPECT_EQ(berlin->end.time_seconds, 3 * k_hour);

  const auto fixed = parse_posix_tz("<+0545>-5:45");
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->standard_offset, 5 * k_hour + 45 * 60);
  EXPECT_FALSE(fixed->daylight_offset);
  EXPECT_TRUE(fixed->transitions_in(2026).empty());

  const auto julian = parse_posix_tz("XXX3YYY,J60/2,300/-1");
  ASSERT_TRUE(julian);
  EXPECT_EQ(julian->daylight_offset, -2 * k_hour);
  EXPECT_EQ(julian->end.time_seconds, -k_hour);
  // J60 is 1 March even in a leap year; day 59 counting from 0 is 29 February there.
  const auto transitions = julian->transitions_in(2024);
  ASSERT_EQ(transitions.size(), 2U);
  EXPECT_EQ(transitions[0].at, day(2024, 3, 1).epoch_seconds() + 2 * k_hour + 3 * k_hour);

  for (const std::string_view bad :
       {"", "CE-1", "CET", "CET-1CEST,M3.5.0", "CET-1CEST,M3.6.0,M10.5.0", "CET-1CEST,J0,J10",
        "CET-1CEST,M3.5.0,M10.5.0/3x"}) {
    EXPECT_FALSE(parse_posix_tz(bad)) << bad;
  }
}

} // namespace
} // namespace reckon::util
