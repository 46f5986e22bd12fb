// `reckon fetch --source platform` end to end: the binary against the local experimentation
// platform server serving the demo account's platform experiments, then `check` and `analyze`
// on the store it wrote.
#include "support/paths.hpp"
#include "support/platform_server.hpp"
#include "support/process.hpp"
#include "support/recorded_account.hpp"

#include "reckon/contract/platform.hpp"
#include "reckon/store/store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>

namespace reckon::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::filesystem::path k_binary = RECKON_BINARY;
constexpr const char* k_key = "test-platform-key";
// data/demo/scenario.json's Free returns banner, whose reported confidence is planted 35 points
// off, by its id at the platform.
const std::string k_free_returns = "Free returns banner";

ProcessOptions with_platform_key(const std::string& key) {
  ProcessOptions options;
  options.environment["PLATFORM_API_KEY"] = key;
  options.environment["INTELLIGEMS_API_KEY"] = std::nullopt;
  return options;
}

struct Harness {
  explicit Harness(const char* purpose, PlatformServerOptions options = {})
      : dir(fresh_temp_dir(purpose)), server(data_dir() / "demo", std::move(options)) {
    server.start();
  }

  ProcessResult fetch(std::vector<std::string> extra = {}, const std::string& key = k_key) const {
    std::vector<std::string> args{
        "fetch",   "--source",  "platform", "--base-url", server.base_url(),
        "--store", "reckon.db", "--rate",   "0",          "--first-backoff",
        "0.01",    "--timeout", "10"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_process(k_binary, args, dir, with_platform_key(key));
  }

  std::vector<contract::ApiExchange> stored() const {
    auto store = store::Store::open_existing(dir / "reckon.db");
    EXPECT_TRUE(store) << store.error().describe();
    if (!store) {
      return {};
    }
    auto all = store->latest_all("platform");
    EXPECT_TRUE(all) << all.error().describe();
    return all ? *all : std::vector<contract::ApiExchange>{};
  }

  std::filesystem::path dir;
  PlatformServer server;
};

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

TEST(PlatformFetch, StoresTheAccountByteForByteThroughPagesCutSmallerThanAsked) {
  PlatformServerOptions options;
  options.max_page_size = 3;           // the client asks 100; pages hold 3
  options.rate_limited_arrivals = {4}; // one 429, with its headers and envelope
  Harness harness("platform-fetch", options);
  ASSERT_EQ(harness.server.experiments(), 6U); // so the last page is exactly full
  const ProcessResult fetched = harness.fetch();
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  EXPECT_EQ(fetched.out, "");
  EXPECT_THAT(fetched.err, HasSubstr("1 rate-limited answers"));
  EXPECT_THAT(fetched.err, HasSubstr("1 drafts without results"));

  // Page 1 as asked, page 2 with the limit the server said it used, and no page 3.
  std::vector<std::string> list_queries;
  for (const LoggedRequest& request : harness.server.log().entries()) {
    if (request.path == contract::platform::experiments_list_path()) {
      list_queries.push_back(request.query);
    }
  }
  EXPECT_EQ(list_queries, (std::vector<std::string>{"limit=100&page=1", "limit=3&page=2"}));
  EXPECT_EQ(harness.server.writes(), 0U);
  EXPECT_EQ(harness.server.log().count_status(429), 1U);

  // Every recorded detail and result, byte for byte; nothing else but the two list pages.
  const RecordedAccount account = RecordedAccount::load(data_dir() / "demo", "platform");
  const std::vector<contract::ApiExchange> stored = harness.stored();
  std::size_t recorded = 0;
  for (const RecordedResponse& response : account.responses()) {
    if (response.path == contract::platform::experiments_list_path()) {
      continue;
    }
    ++recorded;
    const auto found = std::find_if(stored.begin(), stored.end(), [&](const auto& exchange) {
      return exchange.request.path == response.path;
    });
    ASSERT_NE(found, stored.end()) << response.path;
    EXPECT_TRUE(found->body == response.bytes) << response.path;
  }
  EXPECT_EQ(recorded, 11U); // 6 experiments, 5 with results
  EXPECT_EQ(stored.size(), recorded + 2);
  for (const contract::ApiExchange& exchange : stored) {
    EXPECT_THAT(exchange.body + exchange.request.path, Not(HasSubstr(k_key)));
  }
  EXPECT_THAT(fetched.err, Not(HasSubstr(k_key)));

  // A second fetch reuses the completed experiments' results.
  const ProcessResult again = harness.fetch();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.err, HasSubstr("reused 3 settled ones"));
}

TEST(PlatformFetch, CheckIdentifiesTheVendorMethodAndFlagsOnlyThePlantedConfidence) {
  Harness harness("platform-check");
  ASSERT_EQ(harness.fetch().exit_code, 0);
  const ProcessResult checked =
      run_process(k_binary, {"check", "--store", "reckon.db"}, harness.dir);
  EXPECT_THAT(checked.out, HasSubstr("Vendor method (platform, identified from 5 experiments): "
                                     "two-sided z-test"));
  EXPECT_THAT(checked.out, HasSubstr("Wald 90 % intervals"));
  EXPECT_THAT(checked.out, HasSubstr("not checked: "));
  EXPECT_EQ(count_of(checked.out, "  FAIL "), 1U) << checked.out;
  EXPECT_THAT(checked.out, HasSubstr("FAIL " + k_free_returns));
  EXPECT_THAT(checked.out, HasSubstr("vendor_method: overall conversion_rate variation"));
  EXPECT_THAT(checked.out, HasSubstr("confidence reported"));

  // The recomputed rates reproduce the reported ones within their rounding (0.05 points), and
  // lie within sampling error of the simulator's true rates.
  const ProcessResult analyzed = run_process(
      k_binary, {"analyze", "--store", "reckon.db", "--format", "json", "--draws", "20000"},
      harness.dir);
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.err;
  simdjson::dom::parser parser;
  simdjson::dom::element results;
  ASSERT_EQ(parser.parse(analyzed.out).get(results), simdjson::SUCCESS);
  std::size_t cells = 0;
  for (const simdjson::dom::element experiment : results["experiments"].get_array()) {
    EXPECT_EQ(std::string_view(experiment["source"].get_string().value()), "platform");
    for (const simdjson::dom::element cell : experiment["cells"].get_array()) {
      if (std::string_view(cell["metric"].get_string().value()) != "conversion_rate") {
        continue;
      }
      const double value = cell["value"].get_double().value();
      const double reported = cell["reported"]["value"].get_double().value();
      EXPECT_LE(std::abs(value - reported), 0.0005 + 1e-12);
      ++cells;
    }
  }
  EXPECT_EQ(cells, 10U); // two arms of the five experiments with results
}

TEST(PlatformFetch, AWrongKeyIsFinalAndNeverPrinted) {
  Harness harness("platform-401");
  const ProcessResult refused = harness.fetch({}, "not-the-key");
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_THAT(refused.err, HasSubstr("401 Unauthorized: UNAUTHORIZED: Authentication failed"));
  EXPECT_THAT(refused.err, HasSubstr("PLATFORM_API_KEY"));
  EXPECT_THAT(refused.err, Not(HasSubstr("not-the-key")));
  EXPECT_EQ(harness.server.log().size(), 1U); // never retried
}

TEST(PlatformFetch, AValidationErrorGivesTheEnvelopesMessage) {
  PlatformServerOptions options;
  options.max_limit = 50;
  Harness harness("platform-422", options);
  const ProcessResult refused = harness.fetch();
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_THAT(refused.err, HasSubstr("422 Unprocessable: VALIDATION_ERROR: Request validation"));
  EXPECT_EQ(harness.server.log().size(), 1U);
  // With a page size the server accepts, the fetch goes through.
  EXPECT_EQ(harness.fetch({"--page-size", "50"}).exit_code, 0);
}

TEST(PlatformFetch, StatusFiltersTheListAndAnUnknownIdIsA404) {
  Harness harness("platform-status");
  ASSERT_EQ(harness.fetch({"--status", "started"}).exit_code, 0);
  const std::vector<contract::ApiExchange> stored = harness.stored();
  const auto list = std::find_if(stored.begin(), stored.end(), [](const auto& exchange) {
    return exchange.request.path == contract::platform::experiments_list_path();
  });
  ASSERT_NE(list, stored.end());
  EXPECT_EQ(list->request.query.front(), (std::pair<std::string, std::string>{"status", "ACTIVE"}));
  EXPECT_EQ(stored.size(), 3U); // the list page, the one active experiment and its results

  const ProcessResult missing = harness.fetch({"--experience", "exp_unknown"});
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_THAT(missing.err, HasSubstr("404 Not Found: NOT_FOUND"));
}

} // namespace
} // namespace reckon::test
