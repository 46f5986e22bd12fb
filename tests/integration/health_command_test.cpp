#include "support/alert_receiver.hpp"
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include <gtest/gtest.h>

#include <simdjson.h>

#include <map>
#include <string>

namespace reckon::test {
namespace {

const std::filesystem::path k_binary = RECKON_BINARY;

// Two tests over 21 days: "crash" loses 30 % of its conversions (critical), "calm" is an honest
// A/A with day slices up to the last day.
std::string counts_csv() {
  std::string csv = "experiment,variation,is_control,segment_type,segment,date,visitors,"
                    "conversions,revenue,revenue_sq,allocation\n"
                    "crash,control,true,,,,21000,630,31500,2000000,50\n"
                    "crash,variant,false,,,,21000,441,22050,1400000,50\n"
                    "calm,control,true,,,,21000,630,31500,2000000,50\n"
                    "calm,variant,false,,,,21000,630,31500,2000000,50\n";
  for (int day = 1; day <= 21; ++day) {
    const std::string date = "2026-09-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
    for (const char* test : {"crash", "calm"}) {
      csv += std::string(test) + ",control,true,,," + date + ",1000,30,1500,95238,50\n";
      csv += std::string(test) + ",variant,false,,," + date + ",1000," +
             (std::string(test) == "crash" ? "21,1050,66667" : "30,1500,95238") + ",50\n";
    }
  }
  return csv;
}

TEST(HealthCommand, APlantedCrashIsCriticalAndFailsTheRunWhenAsked) {
  const std::filesystem::path dir = fresh_temp_dir("health");
  write_text(dir / "counts.csv", counts_csv());
  const ProcessResult json = run_process(k_binary,
                                         {"health", "--counts", "counts.csv", "--format", "json",
                                          "--draws", "20000", "--fail-on", "critical"},
                                         dir);
  EXPECT_EQ(json.exit_code, 1) << json.err;
  simdjson::dom::parser parser;
  const simdjson::dom::element document = parser.parse(json.out);
  EXPECT_EQ(std::string_view(document["schema"]), "reckon.health/v1");
  EXPECT_EQ(std::string_view(document["as_of"]), "2026-09-21");
  const simdjson::dom::array experiments = document["experiments"];
  ASSERT_EQ(experiments.size(), 2U);
  EXPECT_EQ(std::string_view(experiments.at(0)["id"]), "crash");
  EXPECT_EQ(std::string_view(experiments.at(0)["status"]), "critical");
  EXPECT_EQ(std::string_view(experiments.at(0)["reasons"].at(0)["rule"]), "conversion_drop");
  EXPECT_NEAR(double(experiments.at(0)["reasons"].at(0)["drop"]), 0.30, 1e-12);
  EXPECT_EQ(int64_t(experiments.at(0)["runtime_days"]), 21);
  EXPECT_EQ(std::string_view(experiments.at(1)["status"]), "healthy");

  // Without --fail-on the same findings exit 0; the table answers first.
  const ProcessResult table =
      run_process(k_binary, {"health", "--counts", "counts.csv", "--draws", "20000"}, dir);
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("Health as of 2026-09-21: critical\n", 0), 0U) << table.out;
  for (std::size_t start = 0, end = 0; start < table.out.size(); start = end + 1) {
    end = table.out.find('\n', start);
    EXPECT_LE(end - start, 100U) << table.out.substr(start, end - start);
    const std::string line = table.out.substr(start, end - start);
    if (line.empty()) {
      break; // the answers end at the first blank line after the header
    }
  }
}

TEST(HealthCommand, AsOfMovesTheStalledRuleAndTheRuntime) {
  const std::filesystem::path dir = fresh_temp_dir("health-as-of");
  write_text(dir / "counts.csv", counts_csv());
  const ProcessResult json =
      run_process(k_binary,
                  {"health", "--counts", "counts.csv", "--format", "json", "--draws", "20000",
                   "--as-of", "2026-09-24", "--experience", "calm"},
                  dir);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  simdjson::dom::parser parser;
  const simdjson::dom::element calm = parser.parse(json.out)["experiments"].at(0);
  // A counts CSV gives no status: three idle days are on watch ("ended?"), not critical.
  EXPECT_EQ(std::string_view(calm["status"]), "watch");
  EXPECT_EQ(std::string_view(calm["reasons"].at(0)["rule"]), "stalled");
  EXPECT_EQ(int64_t(calm["reasons"].at(0)["idle_days"]), 3);
}

// The end to end: the demo account's health, sent to a signed webhook on 127.0.0.1,
// arrives as one message, signed over its exact bytes, naming every test that is not healthy
// and none that is.
TEST(HealthCommand, TheDemoAccountsUnhealthyTestsArriveAsOneSignedWebhookAlert) {
  AlertReceiver receiver;
  const std::filesystem::path dir = fresh_temp_dir("health-webhook");
  ProcessOptions options;
  options.environment["RECKON_WEBHOOK_URL"] = receiver.webhook_url();
  options.environment["RECKON_WEBHOOK_SECRET"] = receiver.secrets().webhook_secret;
  const ProcessResult run =
      run_process(k_binary,
                  {"health", "--counts", (data_dir() / "demo" / "counts.csv").string(), "--format",
                   "json", "--draws", "20000", "--notify", "webhook"},
                  dir, options);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto hooks = receiver.requests(Route::webhook);
  ASSERT_EQ(hooks.size(), 1U);
  EXPECT_EQ(hooks[0].status, 204); // the receiver's own HMAC check passed

  simdjson::dom::parser parser;
  const simdjson::dom::element health = parser.parse(run.out);
  std::size_t unhealthy = 0;
  for (const simdjson::dom::element experiment : health["experiments"].get_array()) {
    const std::string id{std::string_view(experiment["id"])};
    const bool healthy = std::string_view(experiment["status"]) == "healthy";
    unhealthy += healthy ? 0 : 1;
    EXPECT_EQ(hooks[0].body.find("\"id\":\"" + id + "\"") == std::string::npos, healthy) << id;
  }
  EXPECT_GT(unhealthy, 0U);
  // Among them the demo's planted conversion crash and sample-ratio mismatch, each critical by
  // the rule that found it.
  const std::map<std::string, std::string> planted = {{"one-page-checkout", "conversion_drop"},
                                                      {"free-returns-bar", "srm"}};
  std::size_t found = 0;
  for (const simdjson::dom::element experiment : health["experiments"].get_array()) {
    const auto rule = planted.find(std::string(std::string_view(experiment["id"])));
    if (rule == planted.end()) {
      continue;
    }
    ++found;
    EXPECT_EQ(std::string_view(experiment["status"]), "critical") << rule->first;
    bool fired = false;
    for (const simdjson::dom::element reason : experiment["reasons"].get_array()) {
      fired = fired || (std::string_view(reason["rule"]) == rule->second &&
                        std::string_view(reason["severity"]) == "critical");
    }
    EXPECT_TRUE(fired) << rule->first << " lacks a critical " << rule->second;
  }
  EXPECT_EQ(found, planted.size());
  EXPECT_EQ((run.out + run.err).find(receiver.secrets().webhook_secret), std::string::npos);
}

} // namespace
} // namespace reckon::test
