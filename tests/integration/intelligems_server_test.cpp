#include "support/intelligems_server.hpp"
#include "support/text_files.hpp"

#include "reckon/contract/intelligems.hpp"
#include "support/paths.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <simdjson.h>

#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace reckon::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

constexpr const char* k_key = "test-intelligems-key";
constexpr const char* k_overview_body = R"({"view":"overview","testResult":true})";

// One Intelligems entry of data/demo/manifest.json, body text as recorded.
struct ManifestEntry {
  std::string file;
  std::string method;
  std::string path;
  httplib::Params query;
  std::optional<std::string> body;
};

std::string text_of(simdjson::dom::element element, const char* key) {
  std::string_view value;
  EXPECT_EQ(element[key].get_string().get(value), simdjson::SUCCESS) << key;
  return std::string(value);
}

std::vector<ManifestEntry> intelligems_entries() {
  const std::string text = read_text(data_dir() / "demo" / "manifest.json");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array responses;
  EXPECT_EQ(parser.parse(text).get(root), simdjson::SUCCESS);
  EXPECT_EQ(root["responses"].get_array().get(responses), simdjson::SUCCESS);
  std::vector<ManifestEntry> entries;
  for (const simdjson::dom::element item : responses) {
    if (text_of(item, "source") != "intelligems") {
      continue;
    }
    ManifestEntry entry;
    entry.file = text_of(item, "file");
    entry.method = text_of(item, "method");
    entry.path = text_of(item, "path");
    simdjson::dom::object query;
    EXPECT_EQ(item["query"].get_object().get(query), simdjson::SUCCESS);
    for (const simdjson::dom::key_value_pair field : query) {
      std::string_view value;
      EXPECT_EQ(field.value.get_string().get(value), simdjson::SUCCESS);
      entry.query.emplace(std::string(field.key), std::string(value));
    }
    simdjson::dom::element body;
    EXPECT_EQ(item["body"].get(body), simdjson::SUCCESS);
    if (!body.is_null()) {
      entry.body = text_of(item, "body");
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string experience_id_of(const ManifestEntry& entry) {
  return entry.path.substr(entry.path.rfind('/') + 1);
}

IntelligemsServerOptions without_rate_limits() {
  IntelligemsServerOptions options;
  options.rate_limits.enabled = false;
  return options;
}

// A started server on the demo account and a client that sends the key.
struct Harness {
  explicit Harness(IntelligemsServerOptions options = without_rate_limits())
      : server(data_dir() / "demo", std::move(options)) {
    server.start();
    client = std::make_unique<httplib::Client>(server.base_url());
    client->set_keep_alive(true);
    client->set_tcp_nodelay(true); // as curl does; POST headers and body are separate writes
    client->set_read_timeout(5s);
  }

  httplib::Result get(const std::string& path, const httplib::Params& query = {}) const {
    return client->Get(path, query, {{"intelligems-access-token", k_key}});
  }
  httplib::Result post(const std::string& path, const std::string& body) const {
    return client->Post(path, {{"intelligems-access-token", k_key}}, body, "application/json");
  }

  IntelligemsServer server;
  std::unique_ptr<httplib::Client> client;
};

std::string first_id() {
  for (const ManifestEntry& entry : intelligems_entries()) {
    if (entry.path.find("/analytics/resource/") != std::string::npos) {
      return experience_id_of(entry);
    }
  }
  return {};
}

std::string resource_path(const std::string& id) {
  return contract::intelligems::analytics_resource_path(id);
}

bool has_rate_headers(const httplib::Response& res) {
  return res.has_header("x-ratelimit-limit") || res.has_header("x-ratelimit-remaining") ||
         res.has_header("x-ratelimit-reset");
}

double retry_after_of(const std::string& body) {
  simdjson::dom::parser parser;
  double seconds = -1;
  EXPECT_EQ(parser.parse(body)["retryAfter"].get_double().get(seconds), simdjson::SUCCESS) << body;
  return seconds;
}

// The ids of one experiences-list page, and its page, limit, total and totalPages.
struct ListPage {
  std::vector<std::string> ids;
  std::vector<std::string> statuses;
  std::int64_t page = 0, limit = 0, total = 0, total_pages = 0;
};

std::int64_t integer_of(simdjson::dom::element element, const char* key) {
  std::int64_t value = 0;
  EXPECT_EQ(element[key].get_int64().get(value), simdjson::SUCCESS) << key;
  return value;
}

ListPage parse_list(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array items;
  EXPECT_EQ(parser.parse(body).get(root), simdjson::SUCCESS) << body;
  EXPECT_EQ(root["experiencesList"].get_array().get(items), simdjson::SUCCESS) << body;
  ListPage page;
  for (const simdjson::dom::element item : items) {
    page.ids.push_back(text_of(item, "id"));
    page.statuses.push_back(text_of(item, "status"));
  }
  page.page = integer_of(root, "page");
  page.limit = integer_of(root, "limit");
  page.total = integer_of(root, "total");
  page.total_pages = integer_of(root, "totalPages");
  return page;
}

TEST(IntelligemsServer, ServesEveryRecordedResponseByteForByte) {
  Harness harness;
  const auto entries = intelligems_entries();
  ASSERT_GT(entries.size(), 150U);
  for (const ManifestEntry& entry : entries) {
    const auto res = entry.method == "GET" ? harness.get(entry.path, entry.query)
                                           : harness.post(entry.path, entry.body.value_or(""));
    ASSERT_TRUE(res) << entry.file;
    EXPECT_EQ(res->status, 200) << entry.file;
    EXPECT_THAT(res->get_header_value("Content-Type"), HasSubstr("application/json"));
    EXPECT_TRUE(res->body == read_text(data_dir() / "demo" / entry.file)) << entry.file;
  }
  EXPECT_EQ(harness.server.log().size(), entries.size());
  EXPECT_TRUE(harness.server.log().repeated().empty());
}

TEST(IntelligemsServer, DeprecatedGetFindsTheSameResponseAsThePost) {
  Harness harness;
  int checked = 0;
  for (const ManifestEntry& entry : intelligems_entries()) {
    if (entry.path.find("/analytics/resource/") == std::string::npos) {
      continue;
    }
    simdjson::dom::parser parser;
    simdjson::dom::object body;
    ASSERT_EQ(parser.parse(*entry.body).get_object().get(body), simdjson::SUCCESS);
    httplib::Params query;
    for (const simdjson::dom::key_value_pair field : body) {
      const std::string key(field.key);
      const std::map<std::string, std::string> renamed{{"startTs", "start"}, {"endTs", "end"}};
      if (key == "testResult" || key == "topN") { // POST only
        continue;
      }
      std::string_view text;
      const std::string value = field.value.get_string().get(text) == simdjson::SUCCESS
                                    ? std::string(text)
                                    : simdjson::minify(field.value);
      query.emplace(renamed.contains(key) ? renamed.at(key) : key, value);
    }
    const auto res = harness.get(entry.path, query);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << entry.file;
    EXPECT_TRUE(res->body == read_text(data_dir() / "demo" / entry.file)) << entry.file;
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

TEST(IntelligemsServer, MatchesBodiesWhateverTheirSpacingAndKeyOrder) {
  Harness harness;
  const std::string id = first_id();
  const auto res = harness.post(resource_path(id), R"({ "testResult" : true, "view":"overview" })");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  // Without testResult the POST asks for something else, which was not recorded.
  const auto other = harness.post(resource_path(id), R"({"view":"overview"})");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
  EXPECT_EQ(other->body, R"({"error":"Not Found"})");
}

TEST(IntelligemsServer, PaginatesEveryRecordedItemOnRequest) {
  Harness harness;
  const auto recorded =
      harness.get(contract::intelligems::experiences_list_path(), {{"page", "1"}, {"limit", "5"}});
  ASSERT_TRUE(recorded);
  EXPECT_EQ(recorded->body,
            read_text(data_dir() / "demo" / "intelligems" / "experiences-list.page-1.json"));
  const std::int64_t total = parse_list(recorded->body).total;

  std::vector<std::string> ids;
  for (std::int64_t page = 1; page <= 5; ++page) {
    const auto res = harness.get(contract::intelligems::experiences_list_path(),
                                 {{"page", std::to_string(page)}, {"limit", "2"}});
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    const ListPage list = parse_list(res->body);
    EXPECT_EQ(list.page, page);
    EXPECT_EQ(list.limit, 2);
    EXPECT_EQ(list.total, total);
    EXPECT_EQ(list.total_pages, (total + 1) / 2);
    EXPECT_EQ(static_cast<std::int64_t>(list.ids.size()),
              std::clamp<std::int64_t>(total - 2 * (page - 1), 0, 2));
    ids.insert(ids.end(), list.ids.begin(), list.ids.end());
  }
  EXPECT_EQ(static_cast<std::int64_t>(ids.size()), total);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());

  const auto everything = harness.get(contract::intelligems::experiences_list_path());
  ASSERT_TRUE(everything);
  const ListPage all = parse_list(everything->body);
  EXPECT_EQ(all.limit, 20);
  EXPECT_EQ(all.ids, ids);

  const auto ended =
      harness.get(contract::intelligems::experiences_list_path(), {{"status", "ended"}});
  ASSERT_TRUE(ended);
  const ListPage ended_list = parse_list(ended->body);
  const auto ended_count = std::count(all.statuses.begin(), all.statuses.end(), "ended");
  EXPECT_GT(ended_count, 0);
  EXPECT_EQ(ended_list.total, ended_count);
  EXPECT_THAT(ended_list.statuses, ::testing::Each(std::string("ended")));

  const auto bad = harness.get(contract::intelligems::experiences_list_path(), {{"limit", "0"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(bad->body, R"({"errors":[],"properties":{"limit":{"errors":)"
                       R"(["limit must be an integer greater than or equal to 1"]}}})");
}

TEST(IntelligemsServer, RefusesAMissingEmptyOrWrongKeyWithoutRateHeaders) {
  Harness harness(IntelligemsServerOptions{});
  const std::string path = contract::intelligems::experiences_list_path();
  for (const httplib::Headers& headers :
       {httplib::Headers{}, httplib::Headers{{"intelligems-access-token", ""}},
        httplib::Headers{{"intelligems-access-token", "wrong-key"}}}) {
    const auto res = harness.client->Get(path, headers);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(res->body, R"({"error":"Unauthorized"})");
    EXPECT_FALSE(has_rate_headers(*res));
  }
  const auto ok = harness.get(path);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_TRUE(has_rate_headers(*ok));
}

TEST(IntelligemsServer, AnswersInvalidAnalyticsRequestsWithTheDocumented400) {
  Harness harness(IntelligemsServerOptions{});
  const std::string path = resource_path(first_id());
  const auto expect_400 = [&](const httplib::Result& res, const std::string& field,
                              const std::string& message) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_EQ(res->body, R"({"errors":[],"properties":{")" + field + R"(":{"errors":[")" + message +
                             R"("]}}})");
    EXPECT_FALSE(has_rate_headers(*res));
  };
  const std::string seconds = "must be a 10-digit Unix timestamp in seconds";
  expect_400(harness.post(path, R"({"view":"overview","startTs":"2026-09-01T00:00:00Z"})"),
             "startTs", "startTs " + seconds);
  expect_400(harness.post(path, R"({"view":"overview","endTs":"1790380799000"})"), "endTs",
             "endTs " + seconds);
  expect_400(harness.get(path, {{"view", "overview"}, {"start", "1790294400000"}}), "start",
             "start " + seconds);
  expect_400(harness.post(path, R"({"view":"overview","audience":"device_type"})"), "audience",
             "audience is not allowed when view is overview");
  expect_400(harness.post(path, R"({"view":"audience"})"), "audience",
             "audience is required when view is audience");
  expect_400(harness.get(path, {{"view", "summary"}}), "view",
             "view must be one of overview, audience, post_test");
  expect_400(harness.post(path, R"({"view":"overview","topN":1000})"), "topN",
             "topN is only allowed when view is audience");
}

TEST(IntelligemsServer, AnswersUnknownIdsPathsAndUnrecordedRequestsWith404) {
  Harness harness;
  const std::string not_found = R"({"error":"Not Found"})";
  const std::string unknown = "00000000-0000-0000-0000-000000000000";
  for (const auto& res :
       {harness.get((std::string(contract::intelligems::k_prefix) + "/experiences/") + unknown),
        harness.post(resource_path(unknown), k_overview_body),
        harness.post((std::string(contract::intelligems::k_prefix) + "/analytics/experience/") +
                         unknown + "/timeseries",
                     "{}"),
        harness.get((std::string(contract::intelligems::k_prefix) + "/no-such-endpoint")),
        harness.get("/experiences-list"),
        harness.post(resource_path(first_id()),
                     R"({"view":"overview","startTs":"1000000000","endTs":"1000086399"})")}) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_EQ(res->body, not_found);
  }
}

TEST(IntelligemsServer, AnswersLegacySitewideWithWrongKeysWithABare500) {
  Harness harness;
  const auto res =
      harness.post((std::string(contract::intelligems::k_prefix) + "/analytics/sitewide"),
                   R"({"startDate":"2026-09-15","endDate":"2026-09-28"})");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_TRUE(res->body.empty());
}

TEST(IntelligemsServer, RefusesTheRequestAfterTheBurstAndAdvertisesTheWait) {
  IntelligemsServerOptions options;
  options.time_scale = 0.02;
  options.rate_limits.experiences = {3, 1, 20s}; // one token every 0.4 s once scaled
  Harness harness(options);
  const std::string path = contract::intelligems::experiences_list_path();
  for (int i = 0; i < 3; ++i) {
    const auto res = harness.get(path);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("x-ratelimit-limit"), "3");
    EXPECT_EQ(res->get_header_value("x-ratelimit-remaining"), std::to_string(2 - i));
    EXPECT_GT(std::stoll(res->get_header_value("x-ratelimit-reset")), 0);
  }
  const auto refused = harness.get(path);
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->status, 429);
  const double retry_after = retry_after_of(refused->body);
  EXPECT_GT(retry_after, 0.0);
  EXPECT_LE(retry_after, 0.4);
  EXPECT_TRUE(refused->has_header("x-ratelimit-reset"));
  EXPECT_EQ(harness.server.log().count_status(429), 1U);

  std::this_thread::sleep_for(std::chrono::duration<double>(retry_after));
  const auto again = harness.get(path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  // Another group has a bucket of its own.
  const auto sitewide =
      harness.post((std::string(contract::intelligems::k_prefix) + "/analytics/sitewide/snapshot"),
                   R"({"start":"2026-09-15T00:00:00+00:00","end":"2026-09-28T23:59:59+00:00"})");
  ASSERT_TRUE(sitewide);
  EXPECT_EQ(sitewide->status, 200);
  EXPECT_EQ(sitewide->get_header_value("x-ratelimit-limit"), "10");
}

TEST(IntelligemsServer, HarshModeCoolsDownAfterAFewRequests) {
  IntelligemsServerOptions options;
  options.time_scale = 0.005; // cooldowns of 0.125-0.3 s
  options.rate_limits.harsh.enabled = true;
  Harness harness(options);
  const std::string path = contract::intelligems::experiences_list_path();
  for (int i = 0; i < 4; ++i) {
    const auto res = harness.get(path);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << i;
  }
  const auto refused = harness.get(path);
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->status, 429);
  const double retry_after = retry_after_of(refused->body);
  EXPECT_GT(retry_after, 0.0);
  EXPECT_LE(retry_after, 0.3);
  std::this_thread::sleep_for(std::chrono::duration<double>(retry_after));
  const auto again = harness.get(path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(again->get_header_value("x-ratelimit-remaining"), "3");
}

TEST(IntelligemsServer, CanLeaveTheWaitOutOf429s) {
  IntelligemsServerOptions options;
  options.rate_limits.experiences = {1, 1, 30s};
  options.retry_after_in_429_body = false;
  options.rate_headers_on_429 = false;
  Harness harness(options);
  ASSERT_EQ(harness.get(contract::intelligems::experiences_list_path())->status, 200);
  const auto refused = harness.get(contract::intelligems::experiences_list_path());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  EXPECT_EQ(refused->body, "{}");
  EXPECT_FALSE(has_rate_headers(*refused));
}

TEST(IntelligemsServer, WritesTheResetAsEpochMillisecondsWhenAsked) {
  IntelligemsServerOptions options;
  options.reset_header = ResetHeader::epoch_ms;
  Harness harness(options);
  const auto res = harness.get(contract::intelligems::experiences_list_path());
  ASSERT_TRUE(res);
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const long long reset = std::stoll(res->get_header_value("x-ratelimit-reset"));
  EXPECT_GT(reset, now_ms);
  EXPECT_LE(reset, now_ms + 31'000);
}

TEST(IntelligemsServer, AnswersA5xxBurstThenRecovers) {
  Harness harness;
  harness.server.inject(Fault(FaultKind::status_500).times(3));
  const std::string path = contract::intelligems::experiences_list_path();
  for (int i = 0; i < 3; ++i) {
    const auto res = harness.get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 500);
  }
  EXPECT_EQ(harness.get(path)->status, 200);

  harness.server.inject(Fault(FaultKind::status_503).on_paths_containing("/sitewide"));
  EXPECT_EQ(harness.get(path)->status, 200);
  EXPECT_EQ(
      harness
          .post((std::string(contract::intelligems::k_prefix) + "/analytics/sitewide/snapshot"),
                "{}")
          ->status,
      503);

  const std::uint64_t next = harness.server.log().size() + 1;
  harness.server.inject(Fault(FaultKind::status_500).from_request(next + 1));
  EXPECT_EQ(harness.get(path)->status, 200);
  EXPECT_EQ(harness.get(path)->status, 500);
  EXPECT_EQ(harness.get(path)->status, 200);
}

TEST(IntelligemsServer, TruncatesABodyItDeclaredInFull) {
  Harness harness;
  harness.server.inject(Fault(FaultKind::truncated_body));
  const std::string expected =
      read_text(data_dir() / "demo" / "intelligems" / "experiences-list.page-1.json");
  const auto res =
      harness.get(contract::intelligems::experiences_list_path(), {{"page", "1"}, {"limit", "5"}});
  EXPECT_TRUE(!res || res->body.size() < expected.size());
  const auto next =
      harness.get(contract::intelligems::experiences_list_path(), {{"page", "1"}, {"limit", "5"}});
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, expected);
}

TEST(IntelligemsServer, AnswersSlowlyEnoughForAClientTimeout) {
  Harness harness;
  harness.server.inject(Fault(FaultKind::slow_response).lasting(1500ms));
  harness.client->set_read_timeout(100ms);
  const auto start = std::chrono::steady_clock::now();
  const auto res = harness.get(contract::intelligems::experiences_list_path());
  EXPECT_FALSE(res);
  EXPECT_EQ(res.error(), httplib::Error::Read);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  harness.client->set_read_timeout(5s);
  const auto next = harness.get(contract::intelligems::experiences_list_path());
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST(IntelligemsServer, DropsConnectionsWithoutAnswering) {
  Harness harness;
  for (const FaultKind kind : {FaultKind::connection_reset, FaultKind::empty_reply}) {
    harness.server.inject(Fault(kind));
    const auto res = harness.get(contract::intelligems::experiences_list_path());
    EXPECT_FALSE(res);
    const auto next = harness.get(contract::intelligems::experiences_list_path());
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 200);
  }
  EXPECT_EQ(harness.server.log().count_status(0), 2U);
}

TEST(IntelligemsServer, LogsRequestsCountsRepeatsAndNeverTheKey) {
  Harness harness;
  const std::string path = resource_path(first_id());
  harness.post(path, k_overview_body);
  harness.post(path, k_overview_body);
  harness.client->Get(
      (std::string(contract::intelligems::k_prefix) + "/experiences-list?page=2&limit=5"),
      {{"intelligems-access-token", k_key}});
  harness.get(contract::intelligems::experiences_list_path(), {{"token", k_key}});
  ASSERT_TRUE(harness.server.log().wait_for(4, 1s));
  EXPECT_FALSE(harness.server.log().wait_for(5, 10ms));

  const RequestLog& log = harness.server.log();
  EXPECT_EQ(log.size(), 4U);
  const std::vector<RequestKey> repeated = log.repeated();
  ASSERT_EQ(repeated.size(), 1U);
  EXPECT_EQ(repeated[0], (RequestKey{"POST", path, k_overview_body}));
  EXPECT_EQ(log.counts_per_key(200).at(repeated[0]), 2U);
  const auto entries = log.entries();
  EXPECT_EQ(entries[2].query, "page=2&limit=5");
  EXPECT_EQ(entries[3].query, "token=[redacted]");
  for (const LoggedRequest& entry : entries) {
    for (const std::string* text : {&entry.method, &entry.path, &entry.query, &entry.body}) {
      EXPECT_EQ(text->find(k_key), std::string::npos) << *text;
    }
  }
}

} // namespace
} // namespace reckon::test
