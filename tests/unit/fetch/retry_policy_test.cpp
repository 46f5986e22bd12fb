#include "reckon/fetch/retry_policy.hpp"

#include <gtest/gtest.h>

namespace reckon::fetch {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicy, ClientErrorsAreNeverRetried) {
  for (const int status : {400, 401, 403, 404, 422}) {
    const RetryDecision decision = decide_retry({status, {}}, 1, RetryPolicy{}, 0.5);
    EXPECT_FALSE(decision.retry) << status;
    EXPECT_EQ(decision.reason, "HTTP " + std::to_string(status) + " is final");
  }
}

TEST(RetryPolicy, BacksOffExponentiallyWithoutHints) {
  const RetryPolicy policy; // 5 s doubling, capped at 80 s
  const std::vector<milliseconds> expected{milliseconds(5'000), milliseconds(10'000),
                                           milliseconds(20'000), milliseconds(40'000),
                                           milliseconds(80'000)};
  for (int attempt = 1; attempt <= 5; ++attempt) {
    const RetryDecision decision = decide_retry({503, {}}, attempt, policy, 0.5);
    ASSERT_TRUE(decision.retry);
    EXPECT_EQ(decision.wait, expected[static_cast<std::size_t>(attempt - 1)]);
  }
}

TEST(RetryPolicy, JitterSpreadsTheWaitWithinItsFraction) {
  const RetryPolicy policy;
  EXPECT_EQ(decide_retry({0, {}}, 2, policy, 0.0).wait, milliseconds(8'000));
  EXPECT_EQ(decide_retry({0, {}}, 2, policy, 0.75).wait, milliseconds(11'000));
}

TEST(RetryPolicy, HonoursTheServersHintsButCapsThem) {
  const RetryPolicy policy;
  RetryHints hints;
  hints.retry_after = milliseconds(25'000);
  hints.reset_in = milliseconds(31'500);
  const RetryDecision decision = decide_retry({429, hints}, 1, policy, 0.5);
  ASSERT_TRUE(decision.retry);
  EXPECT_EQ(decision.wait, milliseconds(31'500));
  EXPECT_EQ(decision.reason, "rate limited (429)");

  hints.retry_after = milliseconds(600'000);
  EXPECT_EQ(decide_retry({429, hints}, 1, policy, 0.5).wait, policy.max_wait);
}

TEST(RetryPolicy, GivesUpAfterTheLastAttempt) {
  const RetryDecision decision = decide_retry({500, {}}, 6, RetryPolicy{}, 0.5);
  EXPECT_FALSE(decision.retry);
  EXPECT_EQ(decision.reason, "server error 500; gave up after 6 attempts");
}

} // namespace
} // namespace reckon::fetch
