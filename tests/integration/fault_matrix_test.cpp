// The fault matrix (issue 12): `reckon fetch` of the demo account against the local Intelligems
// server while the server misbehaves. One row per fault; each row runs the real binary, then
// checks the outcome the row names:
//   completes        exit 0 after retries, and the store holds every recorded answer, whole;
//   exits 4, resumes exit 4 naming the request that failed and saying how to resume, every
//                    answer stored before it kept (and nothing else stored); then the same
//                    command, against a healed server, completes without asking again for
//                    anything that had settled.
// Retry budgets and timeouts are short (--first-backoff 0.01 s, --timeout 1 s or less), so the
// whole matrix takes seconds. Kills of the process are in fault_matrix_kill_test.cpp.
#include "fault_matrix.hpp"

namespace reckon::test::fetch_tests {
namespace {

enum class Outcome { completes, exits_4_resumes };

struct FaultRow {
  const char* name;
  std::vector<Fault> faults;
  FetchOptions options;
  Outcome outcome;
  std::vector<std::string> said;      // in the message of a fetch that exits 4
  std::optional<std::uint64_t> waits; // the retries a completing fetch waits out
};

// Names the row in test listings and failures.
void PrintTo(const FaultRow& row, std::ostream* out) {
  *out << row.name;
}

// A fault that hits `count` requests from the `from_request`-th on.
Fault hit(FaultKind kind, int count, std::uint64_t from_request,
          std::chrono::milliseconds delay = 0ms) {
  return Fault(kind).times(count).from_request(from_request).lasting(delay);
}

// The rows' two outcomes: retried until complete after `waits` waits, or exit 4 saying `said`.
FaultRow completes(const char* name, std::vector<Fault> faults, FetchOptions options,
                   std::uint64_t waits) {
  return {name, std::move(faults), std::move(options), Outcome::completes, {}, waits};
}
FaultRow exits_4_resumes(const char* name, std::vector<Fault> faults, FetchOptions options,
                         std::vector<std::string> said) {
  FaultRow row{name, std::move(faults), std::move(options), Outcome::exits_4_resumes, {}, {}};
  row.said = std::move(said);
  return row;
}

using enum FaultKind;

// The matrix: the fault the server plays (kind, requests hit, from the n-th request on, delay),
// the fetch's retry options, and how the fetch must end.
const std::vector<FaultRow> k_matrix = {
    completes("ServerErrorStormWithinBudget",
              {hit(status_503, 5, 20), hit(status_500, 5, 80), hit(status_503, 3, 150)},
              {{"--max-attempts", "6"}}, 13),
    exits_4_resumes("ServerErrorStormBeyondBudget", {hit(status_500, 50, 60)},
                    {{"--max-attempts", "4"}}, {"server error 500", "gave up after 4 attempts"}),
    completes("RateLimitStormWithinBudget",
              {hit(status_429, 5, 30, 20ms), hit(status_429, 3, 120, 10ms)},
              {{"--max-attempts", "6"}}, 8),
    exits_4_resumes("RateLimitStormBeyondBudget", {hit(status_429, 100, 40, 10ms)},
                    {{"--max-attempts", "5"}}, {"rate limited (429)", "gave up after 5 attempts"}),
    completes("StallBeforeAnyByte", {hit(slow_response, 1, 30, 5s)}, {{"--timeout", "1"}}, 1),
    exits_4_resumes("StallBeforeAnyByteOnEveryAttempt", {hit(slow_response, 3, 30, 2s)},
                    {{"--timeout", "0.5"}, {"--max-attempts", "3"}},
                    {"timed out", "gave up after 3 attempts"}),
    completes("StallMidBody", {hit(stalled_body, 1, 50, 5s)}, {{"--timeout", "1"}}, 1),
    exits_4_resumes("StallMidBodyOnEveryAttempt", {hit(stalled_body, 3, 50, 2s)},
                    {{"--timeout", "0.5"}, {"--max-attempts", "3"}},
                    {"timed out", "bytes received", "gave up after 3 attempts"}),
    completes("ResetMidBody", {hit(reset_mid_body, 2, 90)}, {}, 2),
    exits_4_resumes("ResetMidBodyOnEveryAttempt", {hit(reset_mid_body, 3, 90)},
                    {{"--max-attempts", "3"}}, {"Connection reset", "gave up after 3 attempts"}),
    // libcurl silently resends a request once when a reused connection dies before any answer,
    // so an attempt may take two of these resets.
    exits_4_resumes("ResetBeforeAnyByteOnEveryAttempt", {hit(connection_reset, 10, 110)},
                    {{"--max-attempts", "3"}}, {"Connection reset", "gave up after 3 attempts"}),
};

class FaultMatrix : public ::testing::TestWithParam<FaultRow> {};

void expect_completes(const FaultRow& row, const Harness& harness, const ProcessResult& fetched) {
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  expect_store_holds_exactly(harness, current_api_exchanges());
  EXPECT_EQ(expect_only_whole_recorded_answers(harness.store_path()), full_fetch_requests());
  EXPECT_EQ(harness.server.pending_faults(), 0) << "the faults did not all happen";
  const auto summary = summary_of(fetched.err);
  ASSERT_TRUE(summary) << fetched.err;
  EXPECT_EQ(summary->fetched, full_fetch_requests());
  if (row.waits) {
    EXPECT_EQ(summary->waits, *row.waits);
  }
}

void expect_exits_4_then_resumes(const FaultRow& row, Harness& harness,
                                 const ProcessResult& failed) {
  EXPECT_EQ(failed.exit_code, 4) << failed.err;
  // The fetch stops at the request the first fault hit; nothing after it is asked.
  const std::uint64_t failing = row.faults.front().at_request;
  // A stalled request is logged when its stall ends, after the client gave up on it.
  EXPECT_TRUE(harness.server.log().wait_for(failing, 5s));
  const std::vector<LoggedRequest> asked = harness.server.log().entries();
  ASSERT_GE(asked.size(), failing);
  const LoggedRequest& request = asked[failing - 1];
  for (std::size_t at = failing; at < asked.size(); ++at) {
    EXPECT_EQ(key_of(asked[at]), key_of(request)) << "asked after the failing request";
  }
  EXPECT_THAT(failed.err, HasSubstr(request.method + " " + request.path));
  EXPECT_THAT(failed.err, HasSubstr("run the same command again to resume"));
  for (const std::string& words : row.said) {
    EXPECT_THAT(failed.err, HasSubstr(words));
  }
  // Every answer before the failing request is kept, whole; nothing of the failing one is.
  EXPECT_EQ(expect_only_whole_recorded_answers(harness.store_path()), failing - 1);
  std::size_t settled = 0;
  for (std::size_t at = 0; at + 1 < failing; ++at) {
    settled += is_settled(key_of(asked[at])) ? 1 : 0;
  }

  harness.server.clear_faults();
  const ProcessResult resumed = harness.fetch(row.options);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  expect_store_holds_exactly(harness, current_api_exchanges());
  const auto summary = summary_of(resumed.err);
  ASSERT_TRUE(summary) << resumed.err;
  EXPECT_EQ(summary->reused, settled);
  EXPECT_EQ(summary->fetched + summary->reused, full_fetch_requests());
}

TEST_P(FaultMatrix, EndsAsTheRowSays) {
  const FaultRow& row = GetParam();
  Harness harness(row.name);
  for (const Fault& fault : row.faults) {
    harness.server.inject(fault);
  }
  const ProcessResult fetched = harness.fetch(row.options);
  if (row.outcome == Outcome::completes) {
    expect_completes(row, harness, fetched);
  } else {
    expect_exits_4_then_resumes(row, harness, fetched);
  }
}

INSTANTIATE_TEST_SUITE_P(Fetch, FaultMatrix, ::testing::ValuesIn(k_matrix),
                         [](const ::testing::TestParamInfo<FaultRow>& row) {
                           return std::string(row.param.name);
                         });

} // namespace
} // namespace reckon::test::fetch_tests
