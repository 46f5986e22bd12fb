// `reckon fetch` when the server refuses, breaks or stalls, and the key it must never write.
#include "fetch_harness.hpp"

namespace reckon::test::fetch_tests {
namespace {

TEST(FetchCommand, AWrongKeyStopsAtTheFirstRequestAndNamesTheKey) {
  Harness harness("fetch-401");
  const ProcessResult refused = harness.fetch({}, with_key("not-the-key"));
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_THAT(refused.err, HasSubstr("401"));
  EXPECT_THAT(refused.err, HasSubstr("API key"));
  EXPECT_THAT(refused.err, HasSubstr("INTELLIGEMS_API_KEY"));
  EXPECT_EQ(harness.server.log().size(), 1U); // never retried
  EXPECT_EQ(harness.stored_count(), 0U);

  // Over a complete store, a refused fetch changes nothing.
  ASSERT_EQ(harness.fetch().exit_code, 0);
  const std::size_t stored = harness.stored_count();
  EXPECT_EQ(harness.fetch({}, with_key("not-the-key")).exit_code, 4);
  EXPECT_EQ(harness.stored_count(), stored);

  ProcessOptions no_key;
  no_key.environment["INTELLIGEMS_API_KEY"] = std::nullopt;
  const ProcessResult missing = harness.fetch({}, no_key);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("INTELLIGEMS_API_KEY"));
}

TEST(FetchCommand, AnUnknownExperienceIsA404NamingThePath) {
  Harness harness("fetch-404");
  const std::string unknown = "00000000-0000-0000-0000-000000000000";
  const ProcessResult missing = harness.fetch({{"--experience", unknown}});
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_THAT(missing.err, HasSubstr("404"));
  EXPECT_THAT(missing.err, HasSubstr(k_prefix + "/experiences/" + unknown));
  EXPECT_EQ(harness.server.log().size(), 1U);
  EXPECT_EQ(harness.stored_count(), 0U);
}

TEST(FetchCommand, A400NamesTheParameterAndKeepsWhatWasFetched) {
  Harness harness("fetch-400");
  harness.server.inject(Fault(FaultKind::rejected_start)
                            .from_request(20)
                            .on_paths_containing("/analytics/resource/"));
  const ProcessResult rejected = harness.fetch();
  EXPECT_EQ(rejected.exit_code, 4);
  EXPECT_THAT(rejected.err,
              HasSubstr("400 Bad Request: startTs: startTs must be a 10-digit Unix timestamp"));
  const std::vector<LoggedRequest> entries = harness.server.log().entries();
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().status, 400); // not retried, and nothing after it
  EXPECT_EQ(harness.server.log().count_status(400), 1U);
  EXPECT_EQ(harness.stored_count(), entries.size() - 1);
}

TEST(FetchCommand, RetriesAShort5xxBurstAndGivesUpOnALongOne) {
  {
    Harness harness("fetch-5xx-short");
    harness.server.inject(Fault(FaultKind::status_503).from_request(30).times(3));
    const ProcessResult fetched = harness.fetch({{"--max-attempts", "4"}});
    ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
    expect_store_holds_exactly(harness, current_api_exchanges());
    const auto summary = summary_of(fetched.err);
    ASSERT_TRUE(summary) << fetched.err;
    EXPECT_EQ(summary->waits, 3U);
    EXPECT_EQ(summary->sent, full_fetch_requests() + 3);
    EXPECT_EQ(harness.server.log().count_status(503), 3U);
    // The same request three times, then answered.
    const auto counts = harness.server.log().counts_per_key();
    EXPECT_EQ(std::count_if(counts.begin(), counts.end(),
                            [](const auto& entry) { return entry.second == 4; }),
              1);
  }
  {
    Harness harness("fetch-5xx-long");
    harness.server.inject(Fault(FaultKind::status_500).from_request(30).times(10));
    const ProcessResult failed = harness.fetch({{"--max-attempts", "3"}});
    EXPECT_EQ(failed.exit_code, 4);
    EXPECT_THAT(failed.err, HasSubstr("server error 500"));
    EXPECT_THAT(failed.err, HasSubstr("gave up after 3 attempts"));
    EXPECT_EQ(harness.server.log().count_status(500), 3U);
    EXPECT_EQ(harness.server.log().size(), 29U + 3U);
    EXPECT_EQ(harness.stored_count(), 29U);
  }
}

TEST(FetchCommand, RetriesBrokenAndSlowAnswersUntilTheStoreIsWhole) {
  Harness harness("fetch-transport");
  // libcurl silently resends a request once when a reused connection dies before any answer,
  // so connection drops come in pairs to reach the command's own retries.
  harness.server.inject(Fault(FaultKind::truncated_body).from_request(10));
  harness.server.inject(Fault(FaultKind::connection_reset).from_request(40).times(2));
  harness.server.inject(Fault(FaultKind::empty_reply).from_request(70).times(2));
  harness.server.inject(Fault(FaultKind::slow_response).from_request(100).lasting(3s));
  const ProcessResult fetched = harness.fetch({{"--timeout", "0.5"}});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  expect_store_holds_exactly(harness, current_api_exchanges());
  const auto summary = summary_of(fetched.err);
  ASSERT_TRUE(summary) << fetched.err;
  EXPECT_EQ(summary->waits, 4U);
  EXPECT_GE(summary->sent, full_fetch_requests() + 4);
  EXPECT_EQ(summary->fetched, full_fetch_requests());
  EXPECT_EQ(harness.server.log().count_status(0), 4U);
}

TEST(FetchCommand, GivesUpWhenEveryAttemptTimesOut) {
  Harness harness("fetch-timeout");
  harness.server.inject(Fault(FaultKind::slow_response).times(2).lasting(10s));
  const auto started = std::chrono::steady_clock::now();
  const ProcessResult failed = harness.fetch({{"--timeout", "0.3"}, {"--max-attempts", "2"}});
  // Waiting out even one slow answer would take 10 s; the margin above two 0.3 s timeouts is
  // for a loaded machine and the sanitizer build.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(failed.exit_code, 4);
  EXPECT_THAT(failed.err, HasSubstr("timed out"));
  EXPECT_THAT(failed.err, HasSubstr("gave up after 2 attempts"));
  EXPECT_EQ(harness.stored_count(), 0U);
}

// UTC+13 (Auckland in summer): a local day starts at 11:00 UTC the day before, so the UTC
// date of its window's midpoint is the day before.

std::vector<std::pair<std::string, std::string>> everything_written(const Harness& harness) {
  std::vector<std::pair<std::string, std::string>> texts;
  for (const auto& file : std::filesystem::directory_iterator(harness.dir)) {
    if (file.path().filename() != "key.txt") {
      texts.emplace_back(file.path().filename().string(), read_text(file.path()));
    }
  }
  for (const LoggedRequest& request : harness.server.log().entries()) {
    texts.emplace_back("server log", request.method + " " + request.path + "?" + request.query +
                                         " " + request.body);
  }
  return texts;
}

TEST(FetchCommand, NeverWritesTheKeyAnywhere) {
  const std::string key = "sk-live-DO-NOT-LEAK-7f3a9c";
  const std::string marker = "DO-NOT-LEAK";
  IntelligemsServerOptions options;
  options.api_key = key;
  options.time_scale = 0.001;
  options.rate_limits.harsh.enabled = true; // 429s, and their waits on the progress line
  Harness harness("fetch-secret", options);
  harness.server.inject(Fault(FaultKind::status_500).from_request(15).times(2));
  harness.server.inject(Fault(FaultKind::truncated_body).from_request(30));
  harness.server.inject(Fault(FaultKind::connection_reset).from_request(45));
  harness.server.inject(Fault(FaultKind::slow_response).from_request(60).lasting(2s));

  std::vector<std::pair<std::string, std::string>> outputs;
  ProcessOptions terminal = with_key(key);
  terminal.stderr_on_terminal = true; // the progress bar draws
  const ProcessResult fetched = run_process(
      k_binary, harness.fetch_args({{"--timeout", "0.5"}}, {"-v"}), harness.dir, terminal);
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  EXPECT_THAT(fetched.err, HasSubstr(" requests"));          // progress was drawn
  EXPECT_THAT(fetched.err, HasSubstr("rate limited (429)")); // and so were the waits
  outputs.emplace_back("stdout", fetched.out);
  outputs.emplace_back("progress and stderr", fetched.err);

  // A wrong key from a file, and one from the environment.
  std::ofstream(harness.dir / "key.txt") << "sk-live-DO-NOT-LEAK-0000\n";
  for (const ProcessOptions& process : {with_key("sk-live-DO-NOT-LEAK-1111"), terminal}) {
    FetchOptions changes;
    if (process.stderr_on_terminal) {
      changes["--api-key-file"] = "key.txt";
    }
    const ProcessResult refused =
        run_process(k_binary, harness.fetch_args(changes, {"-v"}), harness.dir, process);
    EXPECT_EQ(refused.exit_code, 4) << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("401"));
    outputs.emplace_back("stdout of a refused fetch", refused.out);
    outputs.emplace_back("stderr of a refused fetch", refused.err);
  }
  for (const auto& written : everything_written(harness)) {
    outputs.push_back(written);
  }
  ASSERT_TRUE(std::any_of(outputs.begin(), outputs.end(),
                          [](const auto& output) { return output.first == "reckon.db"; }));
  for (const auto& [where, text] : outputs) {
    EXPECT_THAT(text, Not(HasSubstr(marker))) << "the key leaked into " << where;
  }
}

} // namespace
} // namespace reckon::test::fetch_tests
