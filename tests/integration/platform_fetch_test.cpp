// `reckon fetch --source platform` end to end against the local experimentation platform server
// serving the demo account: pages cut smaller than asked and an exactly full last page, the
// status filter, rate limits by X-RateLimit-Reset (epoch seconds) and -Remaining, the error
// envelope of each final client error, and the key, which never shows even when echoed.
#include "platform_harness.hpp"

#include "support/recorded_account.hpp"
#include "support/text_files.hpp"

#include "reckon/contract/platform.hpp"

#include <gmock/gmock.h>

#include <algorithm>
#include <chrono>

namespace reckon::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace platform = contract::platform;

// The queries of the list requests the server answered, in order.
std::vector<std::string> list_queries(const PlatformServer& server) {
  std::vector<std::string> queries;
  for (const LoggedRequest& request : server.log().entries()) {
    if (request.path == platform::experiments_list_path()) {
      queries.push_back(request.query);
    }
  }
  return queries;
}

std::size_t requests_to(const PlatformServer& server, const std::string& path) {
  const auto entries = server.log().entries();
  return static_cast<std::size_t>(std::count_if(
      entries.begin(), entries.end(), [&](const LoggedRequest& r) { return r.path == path; }));
}

TEST(PlatformFetch, FollowsPagesCutSmallerThanAskedToAnExactlyFullLastPage) {
  PlatformServerOptions options;
  options.max_page_size = 3;           // the client asks 100; pages hold 3
  options.rate_limited_arrivals = {4}; // one 429, with its headers and envelope
  PlatformHarness harness("platform-fetch", options);
  ASSERT_EQ(harness.server.experiments(), 6U); // two pages of 3: the last one exactly full
  const ProcessResult fetched = harness.fetch({"--page-size", "100"});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  EXPECT_EQ(fetched.out, "");
  EXPECT_THAT(fetched.err, HasSubstr("1 rate-limited answers"));
  EXPECT_THAT(fetched.err, HasSubstr("1 drafts without results"));

  // Page 1 as asked, page 2 with the limit the server said it used, and no page 3.
  EXPECT_EQ(list_queries(harness.server),
            (std::vector<std::string>{"limit=100&page=1", "limit=3&page=2"}));
  EXPECT_EQ(harness.server.writes(), 0U);
  EXPECT_EQ(harness.server.log().count_status(429), 1U);

  // What the server sent is what the store holds, byte for byte: both list pages, the six
  // experiments and the five results (the draft has none).
  const std::map<std::string, std::string> stored = harness.stored_bodies();
  EXPECT_EQ(stored, harness.server.sent_bodies());
  EXPECT_EQ(stored.size(), 2U + 6U + 5U);
  const RecordedAccount account = RecordedAccount::load(data_dir() / "demo", "platform");
  for (const RecordedResponse& response : account.responses()) {
    if (response.path != platform::experiments_list_path()) {
      EXPECT_TRUE(stored.count(response.path) == 1 && stored.at(response.path) == response.bytes)
          << response.path;
    }
  }

  // A second fetch reuses the results of the three completed experiments.
  const ProcessResult again = harness.fetch();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.err, HasSubstr("reused 3 settled ones"));
}

TEST(PlatformFetch, A429WaitsUntilTheResetGivenInEpochSeconds) {
  PlatformServerOptions options;
  options.rate_limited_arrivals = {2};
  options.reset_after_s = 2; // at least one second after the 429
  PlatformHarness harness("platform-429", options);
  ASSERT_EQ(harness.fetch().exit_code, 0);
  const std::vector<LoggedRequest> entries = harness.server.log().entries();
  const auto refused = std::find_if(entries.begin(), entries.end(),
                                    [](const LoggedRequest& r) { return r.status == 429; });
  ASSERT_NE(refused, entries.end());
  ASSERT_NE(refused + 1, entries.end());
  // Without the reset, the retry would come after --first-backoff, 10 ms.
  EXPECT_GE((refused + 1)->received - refused->received, std::chrono::milliseconds(990));
  EXPECT_EQ((refused + 1)->path, refused->path);
}

TEST(PlatformFetch, ARemainingOfZeroHoldsTheNextRequestUntilTheReset) {
  PlatformServerOptions options;
  options.requests_per_window = 4; // 12 requests: three windows, none over its limit
  PlatformHarness harness("platform-remaining", options);
  const ProcessResult fetched = harness.fetch();
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  EXPECT_EQ(harness.server.log().count_status(429), 0U);
  EXPECT_EQ(harness.server.log().size(), 12U);
  EXPECT_THAT(fetched.err, HasSubstr("0 rate-limited answers"));
}

TEST(PlatformFetch, AWrongKeyIsFinalAndNeverPrintedEvenWhenEchoed) {
  PlatformServerOptions options;
  options.echo_key = true;
  PlatformHarness harness("platform-401", options);
  const ProcessResult refused = harness.fetch({}, "not-the-key");
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_THAT(refused.err, HasSubstr("401 Unauthorized: UNAUTHORIZED: Authentication failed"));
  EXPECT_THAT(refused.err, HasSubstr("PLATFORM_API_KEY"));
  EXPECT_THAT(refused.err + refused.out, Not(HasSubstr("not-the-key")));
  EXPECT_EQ(harness.server.log().size(), 1U); // never retried
}

TEST(PlatformFetch, AKeyTheServerEchoesInItsAnswersIsNeverStored) {
  PlatformServerOptions options;
  options.echo_key = true;
  PlatformHarness harness("platform-echo", options);
  const ProcessResult fetched = harness.fetch();
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  const std::string stored = bytes_under(harness.dir);
  EXPECT_THAT(stored, HasSubstr(R"("requested_by":"Bearer [redacted]")"));
  EXPECT_THAT(stored + fetched.err + fetched.out, Not(HasSubstr(k_platform_key)));
  const ProcessResult analyzed = harness.run({"analyze", "--store", "reckon.db"});
  EXPECT_EQ(analyzed.exit_code, 0) << analyzed.err;
  EXPECT_THAT(analyzed.err + analyzed.out, Not(HasSubstr(k_platform_key)));
}

TEST(PlatformFetch, AValidationErrorGivesTheEnvelopesMessageAndField) {
  PlatformServerOptions options;
  options.max_limit = 50;
  PlatformHarness harness("platform-422", options);
  const ProcessResult refused = harness.fetch({"--page-size", "100"});
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_THAT(refused.err, HasSubstr("422 Unprocessable: VALIDATION_ERROR: Request validation "
                                     "failed (field limit)"));
  EXPECT_EQ(harness.server.log().size(), 1U);
  // With a page size the server accepts, the fetch goes through.
  EXPECT_EQ(harness.fetch({"--page-size", "50"}).exit_code, 0);
}

TEST(PlatformFetch, AForbiddenAnswerIsFinal) {
  const std::string results = platform::results_path("exp_e696ea5c");
  PlatformServerOptions options;
  options.forbidden_paths = {results};
  PlatformHarness harness("platform-403", options);
  const ProcessResult refused = harness.fetch();
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_THAT(refused.err, HasSubstr("403 Forbidden: FORBIDDEN: Not authorized to perform the "
                                     "requested action"));
  EXPECT_EQ(requests_to(harness.server, results), 1U);
}

TEST(PlatformFetch, StatusFiltersTheListAndAnUnknownIdIsAFinal404) {
  PlatformHarness harness("platform-status");
  ASSERT_EQ(harness.fetch({"--status", "started"}).exit_code, 0);
  EXPECT_EQ(list_queries(harness.server),
            (std::vector<std::string>{"limit=50&page=1&status=ACTIVE"}));
  // The list page, the one active experiment (Size guide pop-up) and its results.
  const std::map<std::string, std::string> stored = harness.stored_bodies();
  EXPECT_EQ(stored.size(), 3U);
  EXPECT_EQ(stored.count(platform::results_path("exp_0875512e")), 1U);

  const ProcessResult missing = harness.fetch({"--experience", "exp_unknown"});
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_THAT(missing.err, HasSubstr("404 Not Found: NOT_FOUND: The requested resource was not "
                                     "found (nothing at /api/v1/experiments/exp_unknown"));
  EXPECT_EQ(requests_to(harness.server, platform::experiment_path("exp_unknown")), 1U);
}

} // namespace
} // namespace reckon::test
