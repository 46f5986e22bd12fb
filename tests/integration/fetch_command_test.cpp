// `reckon fetch` end to end: the binary against the local Intelligems server (SPEC §7) serving
// the demo account, checked through the store it writes, the server's request log and the
// command's own summary line.
#include "support/intelligems_server.hpp"
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include "reckon/contract/intelligems.hpp"
#include "reckon/store/store.hpp"
#include "reckon/util/time_zone.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace reckon::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

const std::filesystem::path k_binary = RECKON_BINARY;
constexpr const char* k_key = "test-intelligems-key";
const std::string k_prefix(contract::intelligems::k_prefix);
const std::string k_legacy_sitewide = k_prefix + "/analytics/sitewide";
// The experience data/demo/scenario.json plants a vendor error in (its overview p2bc).
const std::string k_cart_upsell_drawer = "10238c92-794f-4eb0-9dc1-a075e7efe593";

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string text_of(simdjson::dom::element element, const char* key) {
  std::string_view value;
  EXPECT_EQ(element[key].get_string().get(value), simdjson::SUCCESS) << key;
  return std::string(value);
}

// One Intelligems response of the demo account: the request exactly as recorded (query in
// order, body text as sent) and the response file's bytes.
struct RecordedExchange {
  std::string file;
  contract::ApiRequest request;
  std::string bytes;
};

std::vector<RecordedExchange> read_demo_account() {
  const std::filesystem::path dir = data_dir() / "demo";
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array responses;
  const std::string manifest = read_bytes(dir / "manifest.json");
  EXPECT_EQ(parser.parse(manifest).get(root), simdjson::SUCCESS);
  EXPECT_EQ(root["responses"].get_array().get(responses), simdjson::SUCCESS);
  std::vector<RecordedExchange> exchanges;
  for (const simdjson::dom::element item : responses) {
    if (text_of(item, "source") != "intelligems") {
      continue;
    }
    RecordedExchange exchange;
    exchange.file = text_of(item, "file");
    exchange.request = {"intelligems", text_of(item, "method"), text_of(item, "path"), {}, {}};
    simdjson::dom::object query;
    EXPECT_EQ(item["query"].get_object().get(query), simdjson::SUCCESS);
    for (const simdjson::dom::key_value_pair field : query) {
      std::string_view value;
      EXPECT_EQ(field.value.get_string().get(value), simdjson::SUCCESS);
      exchange.request.query.emplace_back(std::string(field.key), std::string(value));
    }
    simdjson::dom::element body;
    EXPECT_EQ(item["body"].get(body), simdjson::SUCCESS);
    if (!body.is_null()) {
      exchange.request.body = text_of(item, "body");
    }
    exchange.bytes = read_bytes(dir / exchange.file);
    exchanges.push_back(std::move(exchange));
  }
  return exchanges;
}

const std::vector<RecordedExchange>& demo_account() {
  static const std::vector<RecordedExchange> exchanges = read_demo_account();
  return exchanges;
}

// What a fetch with the current API asks for: everything recorded but the legacy flat sitewide.
std::vector<RecordedExchange> current_api_exchanges() {
  std::vector<RecordedExchange> chosen;
  for (const RecordedExchange& exchange : demo_account()) {
    if (exchange.request.path != k_legacy_sitewide) {
      chosen.push_back(exchange);
    }
  }
  return chosen;
}

bool is_sitewide(std::string_view path) {
  return path.starts_with(k_legacy_sitewide);
}

std::string experience_of(std::string_view path) {
  for (const std::string& part :
       {k_prefix + "/analytics/resource/", k_prefix + "/analytics/experience/",
        k_prefix + "/experiences/"}) {
    if (path.starts_with(part)) {
      const std::string_view rest = path.substr(part.size());
      return std::string(rest.substr(0, rest.find('/')));
    }
  }
  return {};
}

// The demo's experiences by status, from their recorded details.
std::set<std::string> experiences_with_status(const std::string& status) {
  std::set<std::string> ids;
  simdjson::dom::parser parser;
  for (const RecordedExchange& exchange : demo_account()) {
    if (!exchange.request.path.starts_with(k_prefix + "/experiences/")) {
      continue;
    }
    simdjson::dom::element experience;
    EXPECT_EQ(parser.parse(exchange.bytes)["experience"].get(experience), simdjson::SUCCESS);
    if (text_of(experience, "status") == status) {
      ids.insert(text_of(experience, "id"));
    }
  }
  return ids;
}

// Whether an answer to this request never changes once fetched now: a closed day window, the
// sitewide window (it ended on 2026-09-28), or any analytics of an ended experience.
bool is_settled(const RequestKey& key) {
  static const std::set<std::string> ended = experiences_with_status("ended");
  return key.body.find("\"startTs\"") != std::string::npos || is_sitewide(key.target) ||
         (key.target.find("/analytics/") != std::string::npos &&
          ended.contains(experience_of(key.target)));
}

// The line fetch ends with on stderr.
struct Summary {
  std::uint64_t fetched = 0;
  std::uint64_t reused = 0;
  std::uint64_t waits = 0;
  std::uint64_t rate_limited = 0;
  std::uint64_t sent = 0;
};

// The number right after the next `anchor` at or after `at`, moving `at` past it. (No
// std::regex: GCC 12 misreads it under ASan.)
std::optional<std::uint64_t> number_after(const std::string& text, std::size_t& at,
                                          const std::string& anchor) {
  at = text.find(anchor, at);
  if (at == std::string::npos) {
    return std::nullopt;
  }
  at += anchor.size();
  const std::size_t end = text.find_first_not_of("0123456789", at);
  if (end == at) {
    return std::nullopt;
  }
  const std::uint64_t number = std::stoull(text.substr(at, end - at));
  at = end;
  return number;
}

std::optional<Summary> summary_of(const std::string& err) {
  std::size_t at = 0;
  const auto fetched = number_after(err, at, "reckon: fetched ");
  const auto reused = number_after(err, at, ", reused ");
  const auto waits = number_after(err, at, " settled ones; ");
  const auto rate_limited = number_after(err, at, "), ");
  const auto sent = number_after(err, at, " rate-limited answers, ");
  if (!fetched || !reused || !waits || !rate_limited || !sent ||
      err.compare(at, 19, " requests sent, in ") != 0) {
    return std::nullopt;
  }
  return Summary{*fetched, *reused, *waits, *rate_limited, *sent};
}

// Option -> value of a fetch command line; nullopt drops an option, "" makes it a bare flag.
using FetchOptions = std::map<std::string, std::optional<std::string>>;

ProcessOptions with_key(const std::string& key) {
  ProcessOptions options;
  options.environment["INTELLIGEMS_API_KEY"] = key;
  return options;
}

IntelligemsServerOptions without_rate_limits() {
  IntelligemsServerOptions options;
  options.rate_limits.enabled = false;
  return options;
}

// The demo account served on 127.0.0.1, and a folder to run `reckon` in.
struct Harness {
  explicit Harness(const char* purpose, IntelligemsServerOptions options = without_rate_limits(),
                   const std::filesystem::path& account = data_dir() / "demo")
      : dir(fresh_temp_dir(purpose)), server(account, std::move(options)) {
    server.start();
  }

  // A fetch that asks exactly what the demo account recorded, without pacing and with short
  // backoffs, changed by `changes`; `global` goes before the subcommand (-q, -v).
  std::vector<std::string> fetch_args(const FetchOptions& changes = {},
                                      const std::vector<std::string>& global = {}) const {
    FetchOptions options{{"--base-url", server.base_url()},
                         {"--store", "reckon.db"},
                         {"--page-size", "5"},
                         {"--days", ""},
                         {"--to", "2026-09-28"},
                         {"--tz", "UTC"},
                         {"--rate", "0"},
                         {"--first-backoff", "0.01"},
                         {"--timeout", "10"}};
    for (const auto& [option, value] : changes) {
      options[option] = value;
    }
    std::vector<std::string> args = global;
    args.emplace_back("fetch");
    for (const auto& [option, value] : options) {
      if (value) {
        args.push_back(option);
        if (!value->empty()) {
          args.push_back(*value);
        }
      }
    }
    return args;
  }

  ProcessResult fetch(const FetchOptions& changes = {},
                      const ProcessOptions& process = with_key(k_key)) const {
    return run_process(k_binary, fetch_args(changes), dir, process);
  }

  std::filesystem::path store_path() const { return dir / "reckon.db"; }

  util::Result<store::Store> store() const { return store::Store::open_existing(store_path()); }

  // Every version of every exchange in the store.
  std::size_t stored_count() const {
    auto opened = store();
    if (!opened) {
      ADD_FAILURE() << opened.error().describe();
      return 0;
    }
    auto all = opened->all();
    if (!all) {
      ADD_FAILURE() << all.error().describe();
      return 0;
    }
    return all->size();
  }

  std::filesystem::path dir;
  IntelligemsServer server;
};

// The store's newest answer to each recorded request is the recorded file, byte for byte, and
// the store holds no other Intelligems request.
void expect_store_holds_exactly(const Harness& harness,
                                const std::vector<RecordedExchange>& expected) {
  const auto store = harness.store();
  ASSERT_TRUE(store) << store.error().describe();
  for (const RecordedExchange& exchange : expected) {
    auto latest = store->latest(exchange.request);
    ASSERT_TRUE(latest) << latest.error().describe();
    ASSERT_TRUE(latest->has_value()) << "not stored: " << exchange.file;
    EXPECT_EQ((*latest)->status, 200) << exchange.file;
    EXPECT_TRUE((*latest)->body == exchange.bytes) << "differs: " << exchange.file;
  }
  auto stored = store->latest_all("intelligems");
  ASSERT_TRUE(stored) << stored.error().describe();
  EXPECT_EQ(stored->size(), expected.size());
}

// The requests of a full current-API fetch of the demo account: 2 list pages, 7 details,
// 7 x (overview, 6 audiences, timeseries), 128 day windows and 10 sitewide ones.
std::size_t full_fetch_requests() {
  return current_api_exchanges().size();
}

TEST(FetchCommand, StoresEveryRecordedResponseByteForByteAndAnalyzesIt) {
  Harness harness("fetch-full");
  const ProcessResult fetched = harness.fetch();
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  EXPECT_EQ(fetched.out, "");
  const std::size_t requests = full_fetch_requests();
  ASSERT_EQ(requests, 203U);
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
    if (is_sitewide(exchange.request.path) && exchange.request.path != k_legacy_sitewide) {
      continue; // the current generation's sitewide endpoints
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
  ASSERT_EQ(expected.size(), 194U);
  expect_store_holds_exactly(harness, expected);
  const auto entries = harness.server.log().entries();
  EXPECT_EQ(std::count_if(entries.begin(), entries.end(),
                          [](const LoggedRequest& entry) {
                            return entry.method == "GET" &&
                                   entry.path.find("/analytics/resource/") != std::string::npos;
                          }),
            7 * 7 + 128);
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
  // every fifth request of the experiences group (193 requests) and of the sitewide group (10)
  // is refused once; a slower client finds some cooldowns over already.
  const std::size_t most_refusals = (193 - 1) / 4 + (10 - 1) / 4;
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
  ASSERT_EQ(running, 5U);
  EXPECT_EQ(refetched.size(), 2 + 7 + running * (1 + 6 + 1));
  for (const LoggedRequest& request : refetched) {
    EXPECT_FALSE(is_settled(key_of(request))) << request.path << " " << request.body;
  }
  const auto second = summary_of(again.err);
  ASSERT_TRUE(second) << again.err;
  EXPECT_EQ(second->fetched, refetched.size());
  EXPECT_EQ(second->reused, full_fetch_requests() - refetched.size());
  expect_store_holds_exactly(harness, current_api_exchanges());
}

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
  harness.server.inject(Fault(FaultKind::slow_response).times(2).lasting(3s));
  const auto started = std::chrono::steady_clock::now();
  const ProcessResult failed = harness.fetch({{"--timeout", "0.3"}, {"--max-attempts", "2"}});
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_EQ(failed.exit_code, 4);
  EXPECT_THAT(failed.err, HasSubstr("timed out"));
  EXPECT_THAT(failed.err, HasSubstr("gave up after 2 attempts"));
  EXPECT_EQ(harness.stored_count(), 0U);
}

// UTC+13 (Auckland in summer): a local day starts at 11:00 UTC the day before, so the UTC
// date of its window's midpoint is the day before.
constexpr std::int64_t k_plus_13_seconds = 13 * 3600;

// The demo account as a store at UTC+13 would have recorded it: each day window recorded for a
// UTC day D (startTs and endTs in the request bodies) moved 13 hours earlier, onto D in
// +13:00, and answered by the same file.
std::filesystem::path demo_account_at_plus_13() {
  const std::filesystem::path dir = fresh_temp_dir("account-plus-13");
  std::filesystem::copy(data_dir() / "demo", dir, std::filesystem::copy_options::recursive);
  std::string manifest = read_bytes(dir / "manifest.json");
  for (const std::string field : {"startTs", "endTs"}) {
    const std::string anchor = field + R"(\":\")"; // inside the escaped body text
    for (std::size_t at = manifest.find(anchor); at != std::string::npos;
         at = manifest.find(anchor, at)) {
      at += anchor.size();
      const std::size_t end = manifest.find_first_not_of("0123456789", at);
      const std::int64_t seconds = std::stoll(manifest.substr(at, end - at));
      manifest.replace(at, end - at, std::to_string(seconds - k_plus_13_seconds));
    }
  }
  std::ofstream(dir / "manifest.json", std::ios::binary | std::ios::trunc) << manifest;
  return dir;
}

// Each started experience's dates of day slices in an analysis (JSON), by experience id.
std::map<std::string, std::set<std::string>> day_slices(const std::string& results) {
  simdjson::dom::parser parser;
  simdjson::dom::array experiments;
  EXPECT_EQ(parser.parse(results)["experiments"].get_array().get(experiments), simdjson::SUCCESS);
  std::map<std::string, std::set<std::string>> days;
  for (const simdjson::dom::element experiment : experiments) {
    for (const simdjson::dom::element cell : experiment["cells"].get_array()) {
      if (text_of(cell, "segment_type") == "day") {
        days[text_of(experiment, "id")].insert(text_of(cell, "segment")); // the date
      }
    }
  }
  return days;
}

TEST(FetchCommand, DayWindowsCarryTheirLocalDateThroughTheStoreExportAndImport) {
  Harness harness("fetch-plus-13", without_rate_limits(), demo_account_at_plus_13());
  const ProcessResult fetched =
      harness.fetch({{"--tz", "+13:00"}, {"--status", "started"}, {"--no-sitewide", ""}});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  EXPECT_EQ(harness.server.log().count_status(404), 0U);

  // Every day window is stored with its local date, the UTC date it was recorded for.
  std::map<std::string, std::set<std::string>> expected;
  const std::set<std::string> started = experiences_with_status("started");
  ASSERT_EQ(started.size(), 5U);
  {
    const auto store = harness.store();
    ASSERT_TRUE(store) << store.error().describe();
    const auto stored = store->latest_all("intelligems");
    ASSERT_TRUE(stored) << stored.error().describe();
    std::size_t windows = 0;
    for (const contract::ApiExchange& exchange : *stored) {
      const std::size_t at = exchange.request.body.find(R"("startTs":")");
      if (at == std::string::npos) {
        EXPECT_FALSE(exchange.request.day) << exchange.request.path;
        continue;
      }
      ++windows;
      const std::int64_t start = std::stoll(exchange.request.body.substr(at + 11, 10));
      const std::string date = util::TimeZone::utc().date_of(start + k_plus_13_seconds).to_string();
      ASSERT_TRUE(exchange.request.day) << exchange.request.body;
      EXPECT_EQ(*exchange.request.day, (contract::DayWindow{date, "+13:00"}));
      expected[experience_of(exchange.request.path)].insert(date);
    }
    EXPECT_GT(windows, 60U);
  }
  ASSERT_EQ(expected.size(), started.size());

  // analyze needs no --tz: every window is dated on its local day (the UTC midpoints would date
  // each one a day early).
  const std::vector<std::string> analyze = {"analyze", "--store", "reckon.db", "--format",
                                            "json",    "--draws", "20000"};
  const ProcessResult analyzed = run_process(k_binary, analyze, harness.dir);
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.err;
  EXPECT_EQ(day_slices(analyzed.out), expected);

  // --tz is accepted for one release, says so, and changes nothing.
  std::vector<std::string> with_zone = analyze;
  with_zone.insert(with_zone.end(), {"--tz", "Europe/Berlin"});
  const ProcessResult zoned = run_process(k_binary, with_zone, harness.dir);
  ASSERT_EQ(zoned.exit_code, 0) << zoned.err;
  EXPECT_EQ(zoned.out, analyzed.out);
  EXPECT_THAT(zoned.err, HasSubstr("reckon: --tz is no longer needed: day windows carry their "
                                   "date and zone since fetch stored them; ignored"));
  EXPECT_THAT(analyzed.err, Not(HasSubstr("--tz")));

  // Exported and imported into a new store, the windows keep their dates.
  const ProcessResult exported =
      run_process(k_binary, {"export", "--store", "reckon.db", "--out", "saved"}, harness.dir);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(read_bytes(harness.dir / "saved" / "manifest.json"),
              HasSubstr(R"("time_zone": "+13:00")"));
  const ProcessResult imported =
      run_process(k_binary, {"import", "saved", "--store", "imported.db"}, harness.dir);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  std::vector<std::string> reimported = analyze;
  reimported[2] = "imported.db";
  const ProcessResult again = run_process(k_binary, reimported, harness.dir);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, analyzed.out);
}

// Every file in `dir` and everything the server logged, for a secret to be looked for.
std::vector<std::pair<std::string, std::string>> everything_written(const Harness& harness) {
  std::vector<std::pair<std::string, std::string>> texts;
  for (const auto& file : std::filesystem::directory_iterator(harness.dir)) {
    if (file.path().filename() != "key.txt") {
      texts.emplace_back(file.path().filename().string(), read_bytes(file.path()));
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
  // Spread out, not sent in a burst after a sleep (a margin for the requests' own latency).
  EXPECT_GE(entries.back().received - entries.front().received, (entries.size() - 1) * 50ms - 25ms);
  for (std::size_t i = 1; i < entries.size(); ++i) {
    EXPECT_GE(entries[i].received - entries[i - 1].received, 25ms) << i;
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
} // namespace reckon::test
