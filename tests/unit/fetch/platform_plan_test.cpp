// The experimentation platform's requests and its rate-limit headers (seed 003).
#include "reckon/fetch/platform_plan.hpp"

#include "rate_limit_hints.hpp"

#include "reckon/contract/platform.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace reckon::fetch {
namespace {

using std::chrono::milliseconds;

TEST(PlatformPlan, ListPagesCarryStatusPageAndLimit) {
  const contract::ApiRequest page = platform_list_request(3, 100, "ACTIVE");
  EXPECT_EQ(page.source, "platform");
  EXPECT_EQ(page.method, "GET");
  EXPECT_EQ(page.path, "/api/v1/experiments");
  using Query = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(page.query, (Query{{"status", "ACTIVE"}, {"page", "3"}, {"limit", "100"}}));
  EXPECT_EQ(platform_list_request(1, 20, "").query, (Query{{"page", "1"}, {"limit", "20"}}));
  EXPECT_EQ(contract::platform::results_path("exp_1"), "/api/v1/experiments/exp_1/results");
}

// The platform documents X-RateLimit-Reset as epoch seconds: ten digits are an epoch, not a
// wait of eleven days and more.
TEST(RateLimitHints, TenDigitResetsAreEpochSeconds) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  const auto reset = reset_from_header("X-RateLimit-Reset: " + std::to_string(now.count() + 30));
  ASSERT_TRUE(reset);
  EXPECT_GT(*reset, milliseconds(28'000));
  EXPECT_LE(*reset, milliseconds(30'000));
  EXPECT_EQ(reset_from_header("X-RateLimit-Reset: " + std::to_string(now.count() - 5)),
            milliseconds(0)); // already past
  EXPECT_EQ(reset_from_header("x-ratelimit-reset: 999999999"), milliseconds(999'999'999));
}

TEST(RateLimitHints, RemainingIsAWholeCount) {
  EXPECT_EQ(remaining_from_header("X-RateLimit-Remaining: 0\r\n"), 0U);
  EXPECT_EQ(remaining_from_header("x-ratelimit-remaining:17"), 17U);
  EXPECT_FALSE(remaining_from_header("x-ratelimit-remaining: 1.5"));
  EXPECT_FALSE(remaining_from_header("x-ratelimit-reset: 3"));
}

} // namespace
} // namespace reckon::fetch
