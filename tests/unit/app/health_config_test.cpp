// `reckon health --config FILE`, in process: each way a file's keys can be wrong, and every key
// reaching the settings it names.
#include "reckon/app/run.hpp"

#include "support/paths.hpp"
#include "support/text_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <simdjson.h>

#include <cstdlib>
#include <sstream>

namespace reckon::app {
namespace {

using ::testing::HasSubstr;

struct Captured {
  int code;
  std::string out;
  std::string err;
};

class HealthConfig : public ::testing::Test {
protected:
  // Runs `reckon health --config FILE` with `text` as the file, named `name`, and `flags`.
  Captured run_config(const std::string& text, std::vector<std::string> flags = {},
                      const std::string& name = "h.toml") {
    m_file = (m_dir / name).string();
    test::write_text(m_file, text);
    std::vector<std::string> argv{"reckon",   "health", "--counts", (m_dir / "counts.csv").string(),
                                  "--config", m_file};
    argv.insert(argv.end(), flags.begin(), flags.end());
    std::ostringstream out;
    std::ostringstream err;
    const int code = run(argv, out, err);
    return {code, out.str(), err.str()};
  }
  // The one line of a refused file: "reckon: FILE:WHERE: MESSAGE".
  void expect_refused(const std::string& text, const std::string& where_and_message,
                      std::vector<std::string> flags = {}) {
    const Captured run = run_config(text, std::move(flags));
    EXPECT_EQ(run.code, k_exit_bad_input) << text;
    EXPECT_EQ(run.err, "reckon: " + m_file + ":" + where_and_message + "\n") << text;
    EXPECT_EQ(run.out, "");
  }

  std::filesystem::path m_dir = test::fresh_temp_dir("health-config-unit");
  std::string m_file = (m_dir / "h.toml").string();
};

TEST_F(HealthConfig, AnUnknownKeyOrTableNamesTheNearestKnownOne) {
  expect_refused("[health]\nmin_runtim = 3\n",
                 "2:1: health.min_runtim: unknown key; did you mean min_runtime?");
  expect_refused("[notify]\nwhen = \"always\"\n",
                 "2:1: notify.when: unknown key; the keys of [notify] are targets, notify_on, "
                 "agent, agent_webhook, inteliworks_url, agent_webhook_url, intelligems_url, "
                 "attempts, backoff");
  expect_refused("[notify]\nsrm_p = 0.01\n",
                 "2:1: notify.srm_p: not a key of [notify]; it belongs in [health]");
  expect_refused("min_runtime = 3\n", "1:1: min_runtime: outside a table; it belongs in [health]");
  expect_refused("[helth]\nmin = 3\n", "2:1: helth.min: unknown table [helth]; did you mean "
                                       "[health]? The tables are [health] and [notify]");
  expect_refused("[notify]\npause_on_critical = true\n",
                 "2:1: notify.pause_on_critical: a flag only (--pause-on-critical, --dry-run): a "
                 "pause, or its rehearsal, is asked for on the command line or not at all");
  expect_refused("[alerts]\nx = 3\n",
                 "2:1: alerts.x: unknown table [alerts] The tables are [health] and [notify]");
}

TEST_F(HealthConfig, ACredentialIsRefusedWithItsVariableAndNeverShown) {
  const std::string because = "credentials and the sinks' addresses are read from the "
                              "environment only, never from a file (files get copied, committed "
                              "and shared): ";
  expect_refused("[notify]\nslack_webhook_url = \"https://hooks.example/T0/B0/tok-1\"\n",
                 "2:1: notify.slack_webhook_url: " + because +
                     "set the environment variable SLACK_WEBHOOK_URL instead; the value is not "
                     "shown here");
  expect_refused("[notify]\napi_key = \"iw-1\"\n",
                 "2:1: notify.api_key: " + because +
                     "set the environment variable INTELIWORKS_API_KEY instead; the value is not "
                     "shown here");
  // Anywhere, and by the look of its name: before the table or the key is judged.
  expect_refused("[anything]\nbearer_token = 12\n",
                 "2:1: anything.bearer_token: " + because +
                     "set it in the environment (SLACK_WEBHOOK_URL, RECKON_WEBHOOK_URL, "
                     "RECKON_WEBHOOK_SECRET, INTELIWORKS_API_KEY, INTELIWORKS_WEBHOOK_KEY, "
                     "INTELLIGEMS_API_KEY); the value is not shown here");
  const Captured json = run_config(R"({"notify": {"webhook_secret": "whsec-9"}})", {}, "h.json");
  EXPECT_EQ(json.code, k_exit_bad_input);
  EXPECT_THAT(json.err, HasSubstr(":$.notify.webhook_secret: notify.webhook_secret: "));
  EXPECT_THAT(json.err, HasSubstr("RECKON_WEBHOOK_SECRET"));
  EXPECT_THAT(json.err, ::testing::Not(HasSubstr("whsec-9")));
}

TEST_F(HealthConfig, AValueOfTheWrongKindOrOutOfRangeIsRefusedAsItsFlagWouldBe) {
  expect_refused("[health]\nmin_runtime = \"ten\"\n",
                 "2:1: health.min_runtime: expected a number, got a string");
  expect_refused("[health]\nfail_on = 1\n",
                 "2:1: health.fail_on: expected a string in quotes, got a number");
  expect_refused("[notify]\ntargets = \"slack\"\n",
                 "2:1: notify.targets: expected an array of strings such as [\"a\", \"b\"], got a "
                 "string");
  expect_refused("[health]\nadaptive = true\n",
                 "2:1: health.adaptive: expected an array of strings such as [\"a\", \"b\"], got "
                 "true or false");
  expect_refused("[health]\nmin_runtime = 5000\n",
                 "2:1: health.min_runtime: expected a whole number in [0, 3650], got 5000 (as "
                 "--min-runtime would be)");
  expect_refused("[health]\nconversion_drop = 1.5\n",
                 "2:1: health.conversion_drop: expected a finite number in [0.01, 0.99], got 1.5 "
                 "(as --drop-threshold would be)");
  expect_refused("[notify]\ntargets = [\"slack\", \"email\"]\n",
                 "2:1: notify.targets: email not in {slack,webhook,inteliworks} (as --notify "
                 "would be)");
  expect_refused("[notify]\ninteliworks_url = \"ftp://x\"\n",
                 "2:1: notify.inteliworks_url: ftp://x: it must start with http:// or https:// "
                 "(expected a URL such as https://api.intelligems.io) (as --inteliworks-url "
                 "would be)");
}

TEST_F(HealthConfig, TwoKeysThatExcludeEachOtherAreRefusedUnlessAFlagDecides) {
  const std::string both = "[notify]\nagent = \"a1\"\nagent_webhook = \"w1\"\n";
  expect_refused(both, "3:1: notify.agent_webhook: cannot be given with notify.agent (" + m_file +
                           ":2:1); give one of them");
  // A flag overrides the file, and with it the key its option excludes.
  test::write_text(m_dir / "counts.csv", "experiment,variation,is_control,visitors,conversions\n"
                                         "t,a,true,1000,30\nt,b,false,1000,31\n");
  ::setenv("INTELIWORKS_WEBHOOK_KEY", "iw-webhook-key-1", 1); // this test's own process
  const Captured flag =
      run_config(both, {"--notify", "inteliworks", "--agent-webhook", "w2", "--notify-on", "always",
                        "--dry-run", "-v", "--draws", "2000"});
  EXPECT_EQ(flag.code, k_exit_success) << flag.err;
  EXPECT_THAT(flag.err, HasSubstr("(TOML): no setting; the command line overrides notify.agent, "
                                  "notify.agent_webhook\n"));
  EXPECT_THAT(flag.err, HasSubstr("/webhook/w2\n")); // the flag's agent, not the file's
}

TEST_F(HealthConfig, AMissingOrMalformedFileIsBadInputAtItsPlace) {
  std::ostringstream out;
  std::ostringstream err;
  const std::string missing = (m_dir / "nope.toml").string();
  EXPECT_EQ(run({"reckon", "health", "--counts", "c.csv", "--config", missing}, out, err),
            k_exit_bad_input);
  EXPECT_EQ(err.str(), "reckon: " + missing +
                           ": cannot open for reading: No such file or "
                           "directory\n");
  expect_refused("[health]\nmin_runtime = 1 # ok\nsrm_p = [\n",
                 "3:9: the array is not closed: a ] is missing");
}

TEST_F(HealthConfig, EveryThresholdKeyReachesTheReport) {
  test::write_text(m_dir / "counts.csv", "experiment,variation,is_control,visitors,conversions\n"
                                         "t,a,true,1000,30\nt,b,false,1000,31\n");
  const Captured run =
      run_config("[health]\nmin_runtime = 12\nmin_visitors = 1_500\nmin_orders = 40\n"
                 "conversion_drop = 0.3\ndrop_evidence = 0.9\nsrm_p = 0.0005\nstalled_days = 3\n"
                 "verdict_threshold = 0.9\nverdict_band = 0.02\nverdict_min_days = 7\n"
                 "verdict_min_visitors = 10\nverdict_min_orders = 2\nadaptive = [\"t\"]\n"
                 "fail_on = \"watch\"\n[notify]\ntargets = []\nnotify_on = \"always\"\n"
                 "attempts = 2\nbackoff = 0.5\n",
                 {"--format", "json", "--draws", "2000"});
  EXPECT_EQ(run.code, k_exit_findings) << run.err; // fail_on = "watch": too few visitors
  simdjson::dom::parser parser;
  const simdjson::dom::element document = parser.parse(run.out);
  const simdjson::dom::element thresholds = document["thresholds"];
  EXPECT_EQ(int64_t(thresholds["min_runtime"]), 12);
  EXPECT_EQ(int64_t(thresholds["min_visitors"]), 1500);
  EXPECT_EQ(int64_t(thresholds["min_orders"]), 40);
  EXPECT_EQ(double(thresholds["conversion_drop"]), 0.3);
  EXPECT_EQ(double(thresholds["drop_evidence"]), 0.9);
  EXPECT_EQ(double(thresholds["srm_p_value"]), 0.0005);
  EXPECT_EQ(int64_t(thresholds["stalled_days"]), 3);
  // The test named adaptive gets the note instead of the srm rule.
  const simdjson::dom::element reasons = document["experiments"].at(0)["reasons"];
  bool srm_note = false;
  for (const simdjson::dom::element reason : reasons.get_array()) {
    srm_note = srm_note || (std::string_view(reason["rule"]) == "srm" &&
                            std::string_view(reason["severity"]) == "note");
  }
  EXPECT_TRUE(srm_note) << run.out;
}

} // namespace
} // namespace reckon::app
