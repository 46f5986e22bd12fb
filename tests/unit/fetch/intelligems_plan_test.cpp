#include "reckon/fetch/intelligems_plan.hpp"

#include "reckon/contract/intelligems.hpp"

#include "rate_limit_hints.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace reckon::fetch {
namespace {

using std::chrono::milliseconds;

constexpr std::int64_t k_hour_ms = 3'600'000;

// 2026-09-01T00:00:00Z, as the demo account's tests start.
constexpr std::int64_t k_start_ms = 1'788'220'800'000;

PlanSettings settings_now(std::int64_t now_ms) {
  PlanSettings settings;
  settings.now_ms = now_ms;
  return settings;
}

std::vector<std::string> labels(const std::vector<PlannedRequest>& plan) {
  std::vector<std::string> names;
  for (const PlannedRequest& planned : plan) {
    names.push_back(planned.label);
  }
  return names;
}

TEST(IntelligemsPlan, AnExperienceGetsOverviewEveryAudienceAndTheTimeseries) {
  const auto plan = plan_experience({"e1", k_start_ms, std::nullopt}, settings_now(k_start_ms));
  ASSERT_EQ(plan.size(), 8U);
  EXPECT_EQ(plan[0].request.method, "POST");
  EXPECT_EQ(plan[0].request.path,
            (std::string(contract::intelligems::k_prefix) + "/analytics/resource/e1"));
  EXPECT_EQ(plan[0].request.body, R"({"view":"overview","testResult":true})");
  EXPECT_EQ(plan[1].request.body, R"({"view":"audience","audience":"device_type"})");
  // The API keeps the top ten countries and landing pages unless asked for more.
  EXPECT_EQ(plan[5].request.body, R"({"view":"audience","audience":"country_code","topN":1000})");
  EXPECT_EQ(plan[7].request.path,
            (std::string(contract::intelligems::k_prefix) + "/analytics/experience/e1/timeseries"));
  // A running test never settles.
  for (const PlannedRequest& planned : plan) {
    EXPECT_FALSE(planned.settled_at_ms) << planned.label;
  }
}

TEST(IntelligemsPlan, DayWindowsAreLocalDaysInTenDigitSeconds) {
  PlanSettings settings = settings_now(k_start_ms + 50 * k_hour_ms); // 2026-09-03T02:00Z
  settings.days = true;
  settings.dimensions.clear();
  const auto plan = plan_experience({"e1", k_start_ms, std::nullopt}, settings);
  EXPECT_EQ(labels(plan), (std::vector<std::string>{"overview", "timeseries", "day 2026-09-01",
                                                    "day 2026-09-02", "day 2026-09-03"}));
  EXPECT_EQ(plan[2].request.body,
            R"({"view":"overview","startTs":"1788220800","endTs":"1788307199"})");
  // A day settles two hours (the vendor's processing lag) after it ends; today is open.
  EXPECT_EQ(plan[2].settled_at_ms, 1'788'307'200'000 + 2 * k_hour_ms);

  settings.zone = util::TimeZone::load("+02:00").value();
  const auto east = plan_experience({"e1", k_start_ms, std::nullopt}, settings);
  EXPECT_EQ(east[2].label, "day 2026-09-01");
  EXPECT_EQ(east[2].request.body,
            R"({"view":"overview","startTs":"1788213600","endTs":"1788299999"})");
}

TEST(IntelligemsPlan, DayWindowsCarryTheirLocalDateAndZone) {
  PlanSettings settings = settings_now(k_start_ms + 50 * k_hour_ms); // 2026-09-03T02:00Z
  settings.days = true;
  settings.dimensions.clear();
  // At UTC+13 the test's first instant (2026-09-01T00:00Z) is already 13:00 on 09-01, and
  // 2026-09-03T02:00Z is 15:00 on 09-03: three windows, each starting at 11:00 UTC the day
  // before, whose midpoints fall on the day before in UTC.
  settings.zone = util::TimeZone::load("+13:00").value();
  const auto plan = plan_experience({"e1", k_start_ms, std::nullopt}, settings);
  ASSERT_EQ(plan.size(), 5U);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_FALSE(plan[i].request.day) << plan[i].label; // overview and timeseries
  }
  const std::vector<std::string> dates{"2026-09-01", "2026-09-02", "2026-09-03"};
  for (std::size_t d = 0; d < dates.size(); ++d) {
    ASSERT_TRUE(plan[2 + d].request.day) << plan[2 + d].label;
    EXPECT_EQ(*plan[2 + d].request.day, (contract::DayWindow{dates[d], "+13:00"}));
  }
  EXPECT_EQ(plan[2].request.body,
            R"({"view":"overview","startTs":"1788174000","endTs":"1788260399"})");
}

TEST(IntelligemsPlan, AnEndedTestStopsOnItsLastDayAndSettles) {
  PlanSettings settings = settings_now(k_start_ms + 40 * 24 * k_hour_ms);
  settings.days = true;
  settings.dimensions = {"device_type"};
  // Ended at midnight starting 2026-09-15: the last day is the 14th.
  const std::int64_t ended = k_start_ms + 14 * 24 * k_hour_ms;
  const auto plan = plan_experience({"e1", k_start_ms, ended}, settings);
  ASSERT_EQ(plan.size(), 3U + 14U);
  EXPECT_EQ(plan.back().label, "day 2026-09-14");
  EXPECT_EQ(plan[0].settled_at_ms, ended + 2 * k_hour_ms);
  EXPECT_EQ(plan[1].settled_at_ms, ended + 2 * k_hour_ms);

  settings.from = util::Date::parse("2026-09-10");
  settings.to = util::Date::parse("2026-09-11");
  EXPECT_EQ(plan_experience({"e1", k_start_ms, ended}, settings).size(), 3U + 2U);
}

TEST(IntelligemsPlan, DaySegmentsFollowEachDayWindowInTheirOrder) {
  PlanSettings settings = settings_now(k_start_ms + 30 * k_hour_ms); // 2026-09-02T06:00Z
  settings.days = true;
  settings.dimensions.clear();
  settings.day_dimensions = {"source_channel", "country_code"};
  const auto plan = plan_experience({"e1", k_start_ms, std::nullopt}, settings);
  EXPECT_EQ(labels(plan),
            (std::vector<std::string>{"overview", "timeseries", "day 2026-09-01",
                                      "day 2026-09-01 audience source_channel",
                                      "day 2026-09-01 audience country_code", "day 2026-09-02",
                                      "day 2026-09-02 audience source_channel",
                                      "day 2026-09-02 audience country_code"}));
  EXPECT_EQ(plan[3].request.path, plan[2].request.path);
  EXPECT_EQ(plan[3].request.method, "POST");
  EXPECT_EQ(plan[3].request.body, R"({"view":"audience","audience":"source_channel",)"
                                  R"("startTs":"1788220800","endTs":"1788307199"})");
  // Countries are capped at ten unless the request asks for more, on a day as on the window.
  EXPECT_EQ(plan[4].request.body, R"({"view":"audience","audience":"country_code","topN":1000,)"
                                  R"("startTs":"1788220800","endTs":"1788307199"})");
  for (std::size_t i = 3; i <= 4; ++i) {
    ASSERT_TRUE(plan[i].request.day) << plan[i].label;
    EXPECT_EQ(*plan[i].request.day, (contract::DayWindow{"2026-09-01", "UTC"}));
    // A day's audience settles with its overview: two hours after the day ends.
    EXPECT_EQ(plan[i].settled_at_ms, plan[2].settled_at_ms);
  }
  EXPECT_EQ(plan[2].settled_at_ms, 1'788'307'200'000 + 2 * k_hour_ms);
}

TEST(IntelligemsPlan, DaySegmentsAreCutInTheZoneOfTheDayWindows) {
  PlanSettings settings = settings_now(k_start_ms + 20 * k_hour_ms); // 2026-09-01T20:00Z
  settings.days = true;
  settings.dimensions.clear();
  settings.day_dimensions = {"device_type"};
  settings.zone = util::TimeZone::load("-05:00").value();
  // At UTC-5 the test starts at 19:00 on 08-31, and 20:00Z is 15:00 on 09-01.
  const auto plan = plan_experience({"e1", k_start_ms, std::nullopt}, settings);
  ASSERT_EQ(plan.size(), 6U);
  EXPECT_EQ(plan[3].label, "day 2026-08-31 audience device_type");
  EXPECT_EQ(plan[3].request.body, R"({"view":"audience","audience":"device_type",)"
                                  R"("startTs":"1788152400","endTs":"1788238799"})");
  EXPECT_EQ(*plan[3].request.day, (contract::DayWindow{"2026-08-31", "-05:00"}));
  EXPECT_EQ(plan[5].label, "day 2026-09-01 audience device_type");
  EXPECT_EQ(*plan[5].request.day, (contract::DayWindow{"2026-09-01", "-05:00"}));

  // Without day windows there are no day segments.
  settings.days = false;
  EXPECT_EQ(plan_experience({"e1", k_start_ms, std::nullopt}, settings).size(), 2U);
}

TEST(IntelligemsPlan, TheLegacyGenerationAsksByGetWithSecondsInTheQuery) {
  PlanSettings settings = settings_now(k_start_ms + 30 * k_hour_ms);
  settings.generation = ApiGeneration::legacy;
  settings.days = true;
  settings.dimensions = {"country_code"};
  const auto plan = plan_experience({"e1", k_start_ms, std::nullopt}, settings);
  EXPECT_EQ(plan[0].request.method, "GET");
  EXPECT_TRUE(plan[0].request.body.empty());
  using Query = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(plan[0].request.query, (Query{{"view", "overview"}}));
  EXPECT_EQ(plan[1].request.query, (Query{{"view", "audience"}, {"audience", "country_code"}}));
  EXPECT_EQ(plan[3].request.query,
            (Query{{"view", "overview"}, {"start", "1788220800"}, {"end", "1788307199"}}));
}

TEST(IntelligemsPlan, SitewideCoversTheDaysUpToToInEitherGeneration) {
  PlanSettings settings = settings_now(k_start_ms);
  settings.to = util::Date::parse("2026-09-28");
  settings.dimensions = {"device_type"};
  const auto current = plan_sitewide(settings);
  EXPECT_EQ(labels(current),
            (std::vector<std::string>{"sitewide snapshot", "sitewide snapshot device_type",
                                      "sitewide timeseries", "sitewide order distribution",
                                      "sitewide conversion funnel"}));
  EXPECT_EQ(current[0].request.path,
            (std::string(contract::intelligems::k_prefix) + "/analytics/sitewide/snapshot"));
  EXPECT_EQ(current[0].request.body,
            R"({"start":"2026-09-15T00:00:00+00:00","end":"2026-09-28T23:59:59+00:00"})");
  EXPECT_EQ(current[1].request.body,
            R"({"start":"2026-09-15T00:00:00+00:00","end":"2026-09-28T23:59:59+00:00",)"
            R"("feature":{"name":"audience","audience":"device_type"}})");
  settings.generation = ApiGeneration::legacy;
  const auto legacy = plan_sitewide(settings);
  ASSERT_EQ(legacy.size(), 1U);
  EXPECT_EQ(legacy[0].request.path,
            (std::string(contract::intelligems::k_prefix) + "/analytics/sitewide"));
  EXPECT_EQ(legacy[0].request.body,
            R"({"start":"2026-09-15T00:00:00.000Z","end":"2026-09-28T23:59:59.999Z"})");
}

TEST(IntelligemsPlan, ListPagesCarryPageLimitAndStatus) {
  const contract::ApiRequest page = experiences_list_request(2, 50, "ended");
  EXPECT_EQ(page.path, contract::intelligems::experiences_list_path());
  using Query = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(page.query, (Query{{"page", "2"}, {"limit", "50"}, {"status", "ended"}}));
  EXPECT_EQ(experience_request("e9").path,
            (std::string(contract::intelligems::k_prefix) + "/experiences/e9"));
}

TEST(RateLimitHints, ResetIsMillisecondsUntilOrAnEpoch) {
  EXPECT_EQ(reset_from_header("x-ratelimit-reset: 30000\r\n"), milliseconds(30'000));
  EXPECT_EQ(reset_from_header("X-RateLimit-Reset:1500"), milliseconds(1'500));
  EXPECT_FALSE(reset_from_header("x-ratelimit-remaining: 3"));
  EXPECT_FALSE(reset_from_header("x-ratelimit-reset: soon"));
  const auto now =
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  const auto epoch = reset_from_header("x-ratelimit-reset: " +
                                       std::to_string((now + milliseconds(20'000)).count()));
  ASSERT_TRUE(epoch);
  EXPECT_GT(*epoch, milliseconds(15'000));
  EXPECT_LE(*epoch, milliseconds(20'000));
}

TEST(RateLimitHints, RetryAfterIsSecondsInTheBody) {
  EXPECT_EQ(retry_after_from_body(R"({"retryAfter": 30})"), milliseconds(30'000));
  EXPECT_EQ(retry_after_from_body(R"({"retryAfter":0.25})"), milliseconds(250));
  EXPECT_EQ(retry_after_from_body(R"({"retryAfter":"2"})"), milliseconds(2'000));
  EXPECT_FALSE(retry_after_from_body("{}"));
  EXPECT_FALSE(retry_after_from_body(R"({"retryAfter":-1})"));
  EXPECT_FALSE(retry_after_from_body("<html>"));
}

TEST(RateLimitHints, RetryAfterHeaderIsSeconds) {
  EXPECT_EQ(retry_after_from_header("Retry-After: 2\r\n"), milliseconds(2'000));
  EXPECT_EQ(retry_after_from_header("retry-after:0"), milliseconds(0));
  EXPECT_FALSE(retry_after_from_header("Retry-After: Wed, 21 Oct 2026 07:28:00 GMT"));
  EXPECT_FALSE(retry_after_from_header("x-ratelimit-reset: 2"));
}

} // namespace
} // namespace reckon::fetch
