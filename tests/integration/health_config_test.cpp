// `reckon health --config FILE` through the real binary: a file's value applies, a flag
// overrides it, a credential in it is refused unshown, and a run that notifies every sink and
// pauses a test leaves no secret in its output, its diagnostics or any file it wrote.
#include "support/alert_receiver.hpp"
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include <gtest/gtest.h>

#include <simdjson.h>

#include <string>

namespace reckon::test {
namespace {

const std::filesystem::path k_binary = RECKON_BINARY;
const std::string k_demo_counts = (data_dir() / "demo" / "counts.csv").string();
// In the demo's counts CSV, the sticky cart test has run 19 days.
constexpr std::string_view k_sticky_cart = "mobile-sticky-cart";

struct HealthJson {
  simdjson::dom::parser parser;
  simdjson::dom::element document;
};

// The reasons' rules of the test named `name` in a reckon.health/v1 document.
std::vector<std::string> rules_of(const simdjson::dom::element& document, std::string_view name) {
  std::vector<std::string> rules;
  for (const simdjson::dom::element test : document["experiments"].get_array()) {
    if (std::string_view(test["name"]) == name) {
      for (const simdjson::dom::element reason : test["reasons"].get_array()) {
        rules.emplace_back(std::string_view(reason["rule"]));
      }
    }
  }
  return rules;
}

bool has(const std::vector<std::string>& rules, std::string_view rule) {
  return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

TEST(HealthConfig, AFileValueAppliesAndAFlagOverridesIt) {
  const std::filesystem::path dir = fresh_temp_dir("health-config");
  write_text(dir / "health.toml", "# the morning check\n"
                                  "[health]\n"
                                  "min_runtime = 20   # days\n"
                                  "srm_p = 1e-4\n");
  // One test, and few draws: the thresholds are what is under test, not the statistics.
  const std::vector<std::string> common{
      "health",     "--counts", k_demo_counts, "--experience", std::string(k_sticky_cart),
      "--format",   "json",     "--draws",     "2000",         "--config",
      "health.toml"};
  const ProcessResult from_file = run_process(k_binary, common, dir);
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  simdjson::dom::parser parser;
  simdjson::dom::element document = parser.parse(from_file.out);
  EXPECT_EQ(int64_t(document["thresholds"]["min_runtime"]), 20);
  EXPECT_EQ(double(document["thresholds"]["srm_p_value"]), 1e-4);
  EXPECT_TRUE(has(rules_of(document, k_sticky_cart), "min_runtime"));

  std::vector<std::string> overridden = common;
  overridden.insert(overridden.end(), {"--min-runtime", "19", "-v"});
  const ProcessResult from_flag = run_process(k_binary, overridden, dir);
  ASSERT_EQ(from_flag.exit_code, 0) << from_flag.err;
  document = parser.parse(from_flag.out);
  EXPECT_EQ(int64_t(document["thresholds"]["min_runtime"]), 19);
  EXPECT_EQ(double(document["thresholds"]["srm_p_value"]), 1e-4); // the file's still
  EXPECT_FALSE(has(rules_of(document, k_sticky_cart), "min_runtime"));
  EXPECT_NE(from_flag.err.find("reckon: --config health.toml (TOML): health.srm_p; the command "
                               "line overrides health.min_runtime\n"),
            std::string::npos)
      << from_flag.err;

  // The same in JSON, read by its content: fail_on from the file makes a watch test fail the run.
  write_text(dir / "settings", R"({"health": {"min_runtime": 20, "fail_on": "watch"}})");
  const std::vector<std::string> sticky{
      "health",  "--counts", k_demo_counts, "--experience", std::string(k_sticky_cart),
      "--draws", "2000",     "--config",    "settings"};
  const ProcessResult json = run_process(k_binary, sticky, dir);
  EXPECT_EQ(json.exit_code, 1) << json.err;
  std::vector<std::string> critical_only = sticky;
  critical_only.insert(critical_only.end(), {"--fail-on", "critical"});
  const ProcessResult flag_wins = run_process(k_binary, critical_only, dir);
  EXPECT_EQ(flag_wins.exit_code, 0) << flag_wins.err;
}

TEST(HealthConfig, ACredentialInTheFileIsRefusedAndNeverShown) {
  const std::filesystem::path dir = fresh_temp_dir("health-config-secret");
  const std::string secret = "whsec-never-in-a-file-31f9";
  write_text(dir / "health.toml",
             "[notify]\ntargets = [\"webhook\"]\nwebhook_secret = \"" + secret + "\"\n");
  const ProcessResult run =
      run_process(k_binary, {"health", "--counts", k_demo_counts, "--config", "health.toml"}, dir);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "reckon: health.toml:3:1: notify.webhook_secret: credentials and the sinks' "
                     "addresses are read from the environment only, never from a file (files get "
                     "copied, committed and shared): set the environment variable "
                     "RECKON_WEBHOOK_SECRET instead; the value is not shown here\n");
}

// Every sink and the pause, configured from a file, with the credentials in the environment:
// each is used, and none is in stdout, stderr (with -v), the output file or the store.
TEST(HealthConfig, NoSecretReachesTheOutputTheDiagnosticsOrTheStore) {
  AlertReceiver receiver;
  const std::filesystem::path dir = fresh_temp_dir("health-config-no-secret");
  const ProcessResult imported = run_process(
      k_binary, {"import", (data_dir() / "demo").string(), "--store", "reckon.db"}, dir);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  // P(drop >= 20 %) of the demo's Checkout reassurance copy is 0.84: critical from 0.8 on.
  write_text(dir / "health.toml", "[health]\n"
                                  "drop_evidence = 0.8\n"
                                  "fail_on = \"critical\"\n"
                                  "[notify]\n"
                                  "targets = [\"slack\", \"webhook\", \"inteliworks\"]\n"
                                  "notify_on = \"always\"\n"
                                  "agent = \"agent_7\"\n"
                                  "inteliworks_url = \"" +
                                      receiver.agents_url() +
                                      "\"\n"
                                      "intelligems_url = \"" +
                                      receiver.base_url() +
                                      "\"\n"
                                      "attempts = 2\n"
                                      "backoff = 0.001\n");
  ProcessOptions options;
  const ReceiverSecrets& secrets = receiver.secrets();
  options.environment["SLACK_WEBHOOK_URL"] = receiver.slack_url();
  options.environment["RECKON_WEBHOOK_URL"] = receiver.webhook_url();
  options.environment["RECKON_WEBHOOK_SECRET"] = secrets.webhook_secret;
  options.environment["INTELIWORKS_API_KEY"] = secrets.agent_api_key;
  options.environment["INTELLIGEMS_API_KEY"] = secrets.intelligems_key;
  const ProcessResult run =
      run_process(k_binary,
                  {"health", "--store", "reckon.db", "--draws", "2000", "--config", "health.toml",
                   "--pause-on-critical", "-v", "--format", "json", "-o", "health.json"},
                  dir, options);
  EXPECT_EQ(run.exit_code, 1) << run.err; // --fail-on critical, from the file
  EXPECT_EQ(receiver.requests(Route::slack).size(), 1U);
  ASSERT_EQ(receiver.requests(Route::webhook).size(), 1U);
  EXPECT_EQ(receiver.requests(Route::webhook)[0].status, 204); // signed with the secret
  ASSERT_EQ(receiver.requests(Route::agent_trigger).size(), 1U);
  EXPECT_EQ(receiver.requests(Route::agent_trigger)[0].path, "/v2/agents/agent_7/trigger");
  // The demo's critical tests under this file's thresholds: the planted conversion crash and
  // sample-ratio mismatch, and the four-day-old reassurance copy, whose 52 % drop has
  // P(drop >= 20 %) 0.84, above the file's drop_evidence of 0.8.
  ASSERT_EQ(receiver.requests(Route::pause).size(), 3U);
  for (const auto& request : receiver.requests(Route::pause)) {
    EXPECT_EQ(request.status, 200) << request.path;
  }

  std::string everything = run.out + run.err;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    everything += read_text(entry.path()); // the store and its journal included
  }
  EXPECT_NE(everything.find("paused Checkout reassurance copy"), std::string::npos) << run.err;
  for (const std::string* secret : {&secrets.slack_token, &secrets.webhook_secret,
                                    &secrets.agent_api_key, &secrets.intelligems_key}) {
    EXPECT_EQ(everything.find(*secret), std::string::npos) << *secret << " in:\n" << run.err;
  }
}

} // namespace
} // namespace reckon::test
