// `reckon fetch` end to end: the binary against the local Intelligems server (SPEC §7) serving
// the demo account, checked through the store it writes, the server's request log and the
// command's own summary line. The failures are in fetch_failures_test.cpp, the day windows'
// zones in fetch_day_zone_test.cpp.
#include "fetch_harness.hpp"

namespace reckon::test::fetch_tests {
namespace {

TEST(FetchCommand, StoresEveryRecordedResponseByteForByteAndAnalyzesIt) {
  Harness harness("fetch-full");
  const ProcessResult fetched = harness.fetch();
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  EXPECT_EQ(fetched.out, "");
  const std::size_t requests = full_fetch_requests();
  ASSERT_EQ(requests, 259U);
  expect_store_holds_exactly(harness, current_api_exchanges());
  EXPECT_EQ(harness.stored_count(), requests);
  EXPECT_EQ(harness.server.log().size(), requests);
  EXPECT_EQ(harness.server.log().count_status(200), requests);
  EXPECT_TRUE(harness.server.log().repeated().empty());
  const auto summary = summary_of(fetched.err);
  ASSERT_TRUE(summary) << fetched.err;
  EXPECT_EQ(summary->fetched, requests);
  EXPECT_EQ(summary->reused, 0U);
  EXPECT_EQ(summary->waits, 0U);
  EXPECT_EQ(summary->sent, requests);

  const ProcessResult analyzed = run_process(
      k_binary, {"analyze", "--store", "reckon.db", "--format", "json", "--draws", "20000"},
      harness.dir);
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.err;
  EXPECT_THAT(analyzed.out, HasSubstr("\"schema\": \"reckon.results/v1\""));
  for (const std::string& id : experiences_with_status("started")) {
    EXPECT_THAT(analyzed.out, HasSubstr("\"id\": \"" + id + "\"")) << id;
  }

  // The planted vendor error, and only it, is found in what was fetched (at the default draws:
  // with 20000, Price ladder's RPV uplift interval also drifts past its tolerance).
  const ProcessResult checked =
      run_process(k_binary, {"check", "--store", "reckon.db", "--fail-on", "drift"}, harness.dir);
  EXPECT_EQ(checked.exit_code, 1) << checked.err;
  // One cell: its p2bc drifted, and no longer equals its p2bb.
  EXPECT_EQ(count_of(checked.out, "  FAIL "), 2U) << checked.out;
  EXPECT_THAT(checked.out, HasSubstr("FAIL Cart upsell drawer (" + k_cart_upsell_drawer +
                                     ") drift: overall conversion_rate"));
  EXPECT_THAT(checked.out, HasSubstr("FAIL Cart upsell drawer (" + k_cart_upsell_drawer +
                                     ") p2bc_equals_p2bb: overall conversion_rate"));
}

TEST(FetchCommand, LegacyApiStoresTheGetAnalyticsAndTheFlatSitewide) {
  Harness harness("fetch-legacy");
  const ProcessResult fetched = harness.fetch({{"--api", "legacy"}});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;

  // Each recorded POST analytics window is asked as the deprecated GET: the body's fields
  // as query parameters in the same order, without testResult and topN, startTs/endTs named
  // start/end; the answers are the same files.
  std::vector<RecordedExchange> expected;
  simdjson::dom::parser parser;
  for (const RecordedExchange& exchange : demo_account()) {
    if ((is_sitewide(exchange.request.path) && exchange.request.path != k_legacy_sitewide) ||
        is_day_audience(exchange)) {
      continue; // the current generation's sitewide endpoints; views a fetch asks when told
    }
    RecordedExchange wanted = exchange;
    if (exchange.request.path.starts_with(k_prefix + "/analytics/resource/")) {
      simdjson::dom::object body;
      ASSERT_EQ(parser.parse(exchange.request.body).get(body), simdjson::SUCCESS);
      wanted.request.method = "GET";
      wanted.request.body.clear();
      for (const simdjson::dom::key_value_pair field : body) {
        const std::string key(field.key);
        std::string_view value;
        if (key == "testResult" || key == "topN") {
          continue;
        }
        ASSERT_EQ(field.value.get_string().get(value), simdjson::SUCCESS) << key;
        wanted.request.query.emplace_back(key == "startTs" ? "start"
                                          : key == "endTs" ? "end"
                                                           : key,
                                          std::string(value));
      }
    }
    expected.push_back(std::move(wanted));
  }
  ASSERT_EQ(expected.size(), 250U);
  expect_store_holds_exactly(harness, expected);
  const auto entries = harness.server.log().entries();
  EXPECT_EQ(std::count_if(entries.begin(), entries.end(),
                          [](const LoggedRequest& entry) {
                            return entry.method == "GET" &&
                                   entry.path.find("/analytics/resource/") != std::string::npos;
                          }),
            9 * 7 + 166);
  EXPECT_EQ(harness.server.log().count_status(200), expected.size());
}

TEST(FetchCommand, CompletesUnderTheHarshRateLimitCountingEveryWait) {
  IntelligemsServerOptions options;
  options.time_scale = 0.001; // cooldowns of 25-60 ms instead of 25-60 s
  options.rate_limits.harsh.enabled = true;
  Harness harness("fetch-harsh", options);
  const auto started = std::chrono::steady_clock::now();
  const ProcessResult fetched = harness.fetch();
  const auto wall = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  expect_store_holds_exactly(harness, current_api_exchanges());

  // At most one refusal per cooldown: the client waits each one out instead of knocking again.
  // Four requests pass per cooldown in each bucket, so with the client quicker than a cooldown
  // every fifth request of the experiences group (249 requests) and of the sitewide group (10)
  // is refused once; a slower client finds some cooldowns over already.
  const std::size_t most_refusals = (249 - 1) / 4 + (10 - 1) / 4;
  const RequestLog& log = harness.server.log();
  const std::size_t refusals = log.count_status(429);
  EXPECT_GT(refusals, 0U);
  EXPECT_LE(refusals, most_refusals);
  EXPECT_EQ(log.count_status(200), full_fetch_requests());
  EXPECT_EQ(log.size(), full_fetch_requests() + refusals);
  const auto summary = summary_of(fetched.err);
  ASSERT_TRUE(summary) << fetched.err;
  EXPECT_EQ(summary->waits, refusals);
  EXPECT_EQ(summary->rate_limited, refusals);
  EXPECT_EQ(summary->sent, log.size());
  EXPECT_EQ(summary->fetched, full_fetch_requests());
}

TEST(FetchCommand, ResumesAfterAKillWithoutRefetchingSettledAnswers) {
  Harness harness("fetch-resume");
  {
    // Paced, so that the kill lands in the middle of the fetch.
    ChildProcess child(k_binary, harness.fetch_args({{"--rate", "100"}}), harness.dir,
                       with_key(k_key));
    ASSERT_TRUE(harness.server.log().wait_for(60, 10s));
    child.kill(SIGKILL);
    const ProcessResult killed = child.wait();
    EXPECT_EQ(killed.signal, SIGKILL);
  }
  const std::vector<LoggedRequest> before = harness.server.log().entries();
  ASSERT_GE(before.size(), 60U);
  ASSERT_LT(before.size(), full_fetch_requests()) << "the fetch ended before the kill";
  // The request in flight when the process died may be answered again, nothing else.
  const RequestKey in_flight = key_of(before.back());
  const std::size_t kept = harness.stored_count();
  EXPECT_GE(kept + 1, before.size());

  const ProcessResult resumed = harness.fetch();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  expect_store_holds_exactly(harness, current_api_exchanges());
  for (const RequestKey& key : harness.server.log().repeated(200)) {
    EXPECT_TRUE(!is_settled(key) || key == in_flight)
        << "settled answer fetched twice: " << key.method << " " << key.target << " " << key.body;
  }
  const auto summary = summary_of(resumed.err);
  ASSERT_TRUE(summary) << resumed.err;
  EXPECT_GT(summary->reused, 0U);
  EXPECT_EQ(summary->fetched + summary->reused, full_fetch_requests());

  // Right after a complete fetch, only what can still change is asked again: the list pages,
  // the details, and the overview, audiences and timeseries of every test still running.
  const std::size_t logged = harness.server.log().size();
  const ProcessResult again = harness.fetch();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const std::vector<LoggedRequest> all = harness.server.log().entries();
  const std::vector<LoggedRequest> refetched(all.begin() + static_cast<std::ptrdiff_t>(logged),
                                             all.end());
  const std::size_t running = experiences_with_status("started").size();
  ASSERT_EQ(running, 7U);
  EXPECT_EQ(refetched.size(), 2 + 9 + running * (1 + 6 + 1));
  for (const LoggedRequest& request : refetched) {
    EXPECT_FALSE(is_settled(key_of(request))) << request.path << " " << request.body;
  }
  const auto second = summary_of(again.err);
  ASSERT_TRUE(second) << again.err;
  EXPECT_EQ(second->fetched, refetched.size());
  EXPECT_EQ(second->reused, full_fetch_requests() - refetched.size());
  expect_store_holds_exactly(harness, current_api_exchanges());
}

TEST(FetchCommand, PacesRequestsToTheRate) {
  Harness harness("fetch-pacing");
  const std::string ended = *experiences_with_status("ended").begin();
  const auto started = std::chrono::steady_clock::now();
  const ProcessResult fetched = harness.fetch(
      {{"--rate", "20"}, {"--experience", ended}, {"--days", std::nullopt}, {"--no-sitewide", ""}});
  const auto wall = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  const std::vector<LoggedRequest> entries = harness.server.log().entries();
  ASSERT_EQ(entries.size(), 9U); // details, overview, 6 audiences, timeseries
  EXPECT_GE(wall, (entries.size() - 1) * 50ms);
  // Spread out, not sent in a burst after a sleep: request i leaves no earlier than i periods
  // after the first. The server sees each one late by its own latency, so single gaps shrink
  // on a loaded machine when one request is delayed and the next is not; the time since the
  // first request does not (a margin of one period for the first request's own latency, which
  // reached 28 ms in a sanitizer build on a loaded machine; a burst would still fail by 300 ms).
  for (std::size_t i = 1; i < entries.size(); ++i) {
    EXPECT_GE(entries[i].received - entries.front().received, (i - 1) * 50ms) << i;
  }
}

// By hand, for the numbers the issue asks of the harsh limit, scaled by 0.01 (a cooldown of
// 25-60 s lasts 0.25-0.6 s), with no pacing and with the default pacing scaled alike:
//   reckon_integration_tests --gtest_also_run_disabled_tests --gtest_filter='*MeasureTheHarsh*'
TEST(FetchCommand, DISABLED_MeasureTheHarshLimitOnTheDemoAccount) {
  for (const char* rate : {"0", "100"}) {
    IntelligemsServerOptions options;
    options.time_scale = 0.01;
    options.rate_limits.harsh.enabled = true;
    Harness harness("fetch-harsh-measure", options);
    const auto started = std::chrono::steady_clock::now();
    const ProcessResult fetched = harness.fetch({{"--rate", rate}});
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
    ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
    std::cout << "--rate " << rate << ", time scale " << options.time_scale << ": "
              << harness.server.log().size() << " requests, "
              << harness.server.log().count_status(429) << " answered 429, wall " << wall.count()
              << " s\n"
              << fetched.err;
  }
}

} // namespace
} // namespace reckon::test::fetch_tests
