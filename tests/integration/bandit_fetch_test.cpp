// `reckon fetch --source bandit` against a local bandit API serving the demo account: every
// event page into the store byte for byte, through short pages, an exactly full last page and a
// 429; a fetch killed mid-pages resumes; nothing with side effects is ever asked; the key never
// shows.

#include "support/bandit_server.hpp"
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include "reckon/parse/bandit.hpp"
#include "reckon/parse/saved_responses.hpp"
#include "reckon/store/store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <signal.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace reckon::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::filesystem::path k_binary = RECKON_BINARY;
constexpr const char* k_key = "test-bandit-key";
constexpr const char* k_experiment = "exp_01b56eae"; // the demo's bandit

ProcessOptions with_key(const std::string& key) {
  ProcessOptions options;
  options.environment["BANDIT_API_KEY"] = key;
  options.environment["INTELLIGEMS_API_KEY"] = std::nullopt;
  return options;
}

struct BanditHarness {
  explicit BanditHarness(const char* purpose, BanditServerOptions options = {})
      : dir(fresh_temp_dir(purpose)), server(data_dir() / "demo", std::move(options)) {
    server.start();
  }

  std::vector<std::string> args(const std::vector<std::string>& more = {}) const {
    std::vector<std::string> line = {
        "fetch",   "--source",  "bandit", "--base-url", server.base_url(),
        "--store", "reckon.db", "--rate", "0",          "--first-backoff",
        "0.01",    "--timeout", "10"};
    line.insert(line.end(), more.begin(), more.end());
    return line;
  }

  ProcessResult fetch(const std::vector<std::string>& more = {},
                      const ProcessOptions& process = with_key(k_key)) const {
    return run_process(k_binary, args(more), dir, process);
  }

  std::filesystem::path dir;
  BanditServer server;
};

// The offsets of the events requests the server answered with 200, in order.
std::vector<std::string> event_offsets(const BanditServer& server) {
  std::vector<std::string> offsets;
  for (const LoggedRequest& request : server.log().entries()) {
    if (request.path.starts_with("/events/") && request.status == 200) {
      offsets.push_back(request.query.substr(request.query.find("offset=") + 7));
    }
  }
  return offsets;
}

std::vector<contract::ApiExchange> stored_bandit(const std::filesystem::path& store_path) {
  auto store = store::Store::open_existing(store_path);
  EXPECT_TRUE(store) << store.error().describe();
  if (!store) {
    return {};
  }
  auto all = store->latest_all("bandit");
  EXPECT_TRUE(all) << all.error().describe();
  return all ? *all : std::vector<contract::ApiExchange>{};
}

// Each treatment's users and converters recounted from these exchanges.
std::vector<std::pair<std::uint64_t, std::uint64_t>>
recount(const std::vector<contract::ApiExchange>& exchanges) {
  auto parsed = parse::parse_bandit(exchanges);
  EXPECT_TRUE(parsed) << parsed.error().describe();
  std::vector<std::pair<std::uint64_t, std::uint64_t>> counts;
  if (parsed && !parsed->dataset.experiments.empty() &&
      !parsed->dataset.experiments[0].cells.empty()) {
    for (const model::ArmCounts& arm : parsed->dataset.experiments[0].cells[0].arms) {
      counts.emplace_back(arm.visitors, arm.conversions);
    }
    EXPECT_TRUE(parsed->tallies.at(0).complete);
  }
  return counts;
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> demo_counts() {
  auto saved = parse::read_saved_responses(data_dir() / "demo");
  EXPECT_TRUE(saved) << saved.error().describe();
  return saved ? recount(*saved) : std::vector<std::pair<std::uint64_t, std::uint64_t>>{};
}

// Every 200 the server sent is in the store, byte for byte, and nothing else of the bandit.
void expect_store_holds_what_was_sent(const BanditHarness& harness) {
  const std::vector<contract::ApiExchange> stored = stored_bandit(harness.dir / "reckon.db");
  std::map<std::string, std::string> by_target;
  for (const contract::ApiExchange& exchange : stored) {
    std::string query;
    for (const auto& [name, value] : exchange.request.query) {
      query += (query.empty() ? "" : "&") + name + "=" + value;
    }
    by_target[exchange.request.path + (query.empty() ? "" : "?" + query)] = exchange.body;
  }
  EXPECT_EQ(by_target, harness.server.sent_bodies());
}

TEST(BanditFetch, StoresEveryPageByteForByteAndRecountsTheDemo) {
  BanditServerOptions options;
  options.max_page_events = 300; // fewer than the 1,000 asked
  options.rate_limited_requests = {3};
  BanditHarness harness("bandit-fetch", options);
  const ProcessResult result = harness.fetch();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("1 rate-limited answers"));
  EXPECT_THAT(result.err + result.out, Not(HasSubstr(k_key)));
  expect_store_holds_what_was_sent(harness);
  const std::size_t events = harness.server.event_count(k_experiment);
  ASSERT_GT(events, 300u);
  std::vector<std::string> expected;
  for (std::size_t offset = 0; offset < events; offset += 300) {
    expected.push_back(std::to_string(offset));
  }
  expected.push_back(std::to_string(events)); // the empty page that ends the history
  EXPECT_EQ(event_offsets(harness.server), expected);
  EXPECT_TRUE(harness.server.violations().empty());
  EXPECT_EQ(recount(stored_bandit(harness.dir / "reckon.db")), demo_counts());
  EXPECT_THAT(read_text(harness.dir / "reckon.db"), Not(HasSubstr(k_key)));

  // Analysed beside everything else, with its source and its notes.
  const ProcessResult analyzed = run_process(
      k_binary, {"analyze", "--store", "reckon.db", "--format", "json", "--draws", "2000"},
      harness.dir);
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.err;
  EXPECT_THAT(analyzed.out, HasSubstr(R"("source": "bandit")"));
  EXPECT_THAT(analyzed.out, HasSubstr("no sample-ratio test applies"));
}

TEST(BanditFetch, AnExactlyFullLastPageIsFollowedByAnEmptyOne) {
  BanditServerOptions options;
  options.events_served = 1000;
  BanditHarness harness("bandit-full-page", options);
  const ProcessResult result = harness.fetch({"--auth-header", "x-api-key"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(event_offsets(harness.server), (std::vector<std::string>{"0", "1000"}));
  expect_store_holds_what_was_sent(harness);
  EXPECT_TRUE(harness.server.violations().empty());
}

TEST(BanditFetch, AWrongKeyIsRefusedWithoutShowingIt) {
  BanditHarness harness("bandit-wrong-key");
  const ProcessResult result = harness.fetch({}, with_key("wrong-key-123"));
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_THAT(result.err, HasSubstr("GET /experiments"));
  EXPECT_THAT(result.err, HasSubstr("BANDIT_API_KEY"));
  EXPECT_THAT(result.err + result.out, Not(HasSubstr("wrong-key-123")));
  ProcessOptions without = with_key("");
  without.environment["BANDIT_API_KEY"] = std::nullopt;
  const ProcessResult missing = harness.fetch({}, without);
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("no API key: set BANDIT_API_KEY"));
}

TEST(BanditFetch, TheServerValidatesPagingAndRecordsWrites) {
  BanditHarness harness("bandit-server");
  httplib::Client client(harness.server.base_url());
  const httplib::Headers auth = {{"Authorization", std::string("Bearer ") + k_key}};
  const auto bad = client.Get("/events/" + std::string(k_experiment) + "?limit=0&offset=0", auth);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, HasSubstr(R"("success":false)"));
  const auto unauthorised = client.Get("/experiments");
  ASSERT_TRUE(unauthorised);
  EXPECT_EQ(unauthorised->status, 401);
  const auto limited = client.Get("/experiments", auth);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 200);
  ASSERT_TRUE(client.Post("/assignments", auth, "{}", "application/json"));
  ASSERT_TRUE(client.Get("/assignments/" + std::string(k_experiment) + "?userId=u", auth));
  EXPECT_EQ(harness.server.violations().size(), 2u); // the fetch tests assert none
}

TEST(BanditFetch, AFetchKilledMidPagesResumesAtTheLastSavedPage) {
  BanditServerOptions stalling;
  stalling.max_page_events = 300;
  stalling.stall_after_event_pages = 2;
  BanditHarness first("bandit-kill", stalling);
  {
    ChildProcess child(k_binary, first.args(), first.dir, with_key(k_key));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (first.server.stalled() == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(first.server.stalled(), 1u) << "the fetch never reached its third page";
    child.kill(SIGKILL);
    EXPECT_EQ(child.wait().signal, SIGKILL);
  }
  first.server.stop();
  EXPECT_EQ(event_offsets(first.server), (std::vector<std::string>{"0", "300"}));

  BanditServerOptions steady;
  steady.max_page_events = 300;
  BanditServer second(data_dir() / "demo", steady);
  second.start();
  std::vector<std::string> args = first.args();
  args[4] = second.base_url();
  const ProcessResult resumed = run_process(k_binary, args, first.dir, with_key(k_key));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const std::vector<std::string> offsets = event_offsets(second);
  ASSERT_FALSE(offsets.empty());
  EXPECT_EQ(offsets.front(), "300"); // page 0 was final; the last saved one is asked again
  EXPECT_THAT(resumed.err, HasSubstr("reused 1 settled ones"));
  EXPECT_TRUE(second.violations().empty());
  EXPECT_EQ(recount(stored_bandit(first.dir / "reckon.db")), demo_counts());
  EXPECT_THAT(read_text(first.dir / "reckon.db"), Not(HasSubstr(k_key)));
}

} // namespace
} // namespace reckon::test
