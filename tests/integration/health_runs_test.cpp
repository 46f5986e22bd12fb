// `reckon health` on a store, run again and again as cron would (issue 15): the runs it keeps,
// the alerts `--notify-on change` sends only once, the milestones reported once each, and
// `--history`.
#include "support/alert_receiver.hpp"
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/scratch_mount.hpp"
#include "support/text_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <simdjson.h>

#include <string>
#include <vector>

namespace reckon::test {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path k_binary = RECKON_BINARY;

// Two tests with `days` day slices from 2026-09-01, 5,000 visitors an arm a day: "crash" loses
// 30 % of its conversions (critical from the first days), "calm" is an honest A/A unless
// `calm_crashes`.
std::string counts_csv(int days, bool calm_crashes = false) {
  // visitors, conversions, revenue, revenue_sq of one arm's day
  const long long honest[] = {5000, 150, 7500, 476190};
  const long long crashed[] = {5000, 105, 5250, 333335};
  std::string csv = "experiment,variation,is_control,segment_type,segment,date,visitors,"
                    "conversions,revenue,revenue_sq,allocation\n";
  const auto row = [&](const std::string& head, const long long* day, int times) {
    csv += head;
    for (int i = 0; i < 4; ++i) {
      csv += std::to_string(day[i] * times) + ",";
    }
    csv += "50\n";
  };
  for (const std::string test : {"crash", "calm"}) {
    const long long* variant = test == "crash" || calm_crashes ? crashed : honest;
    row(test + ",control,true,,,,", honest, days);
    row(test + ",variant,false,,,,", variant, days);
    for (int day = 1; day <= days; ++day) {
      const std::string date =
          "2026-09-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + ",";
      row(test + ",control,true,,," + date, honest, 1);
      row(test + ",variant,false,,," + date, variant, 1);
    }
  }
  return csv;
}

// A folder whose store holds counts_csv(days, calm_crashes), imported as `reckon import` does.
void import_counts(const std::filesystem::path& dir, int days, bool calm_crashes = false) {
  write_text(dir / "counts.csv", counts_csv(days, calm_crashes));
  const ProcessResult imported =
      run_process(k_binary, {"import", "counts.csv", "--store", "reckon.db"}, dir);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
}

// `reckon health` in `dir` on the store `store` (a path from `dir`).
ProcessResult health(const std::filesystem::path& dir, std::vector<std::string> extra,
                     const ProcessOptions& options = {},
                     const std::filesystem::path& store = "reckon.db") {
  std::vector<std::string> args{"health", "--store", store.string(), "--draws", "20000"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_process(k_binary, args, dir, options);
}

struct Webhook {
  AlertReceiver receiver;
  ProcessOptions options;
  Webhook() {
    options.environment["RECKON_WEBHOOK_URL"] = receiver.webhook_url();
    options.environment["RECKON_WEBHOOK_SECRET"] = receiver.secrets().webhook_secret;
  }
};

// "crash:7_days calm:7_days": each milestone of a health document.
std::string milestones_of(const std::string& json) {
  simdjson::dom::parser parser;
  std::string text;
  for (const simdjson::dom::element milestone : parser.parse(json)["milestones"].get_array()) {
    text += (text.empty() ? "" : " ") + std::string(std::string_view(milestone["id"])) + ":" +
            std::string(std::string_view(milestone["milestone"]));
  }
  return text;
}

TEST(HealthRuns, EachMilestoneIsReportedOnceAcrossRunsAndKeptInTheHistory) {
  const std::filesystem::path dir = fresh_temp_dir("health-milestones");
  Webhook webhook;
  import_counts(dir, 10);
  const std::vector<std::string> json_and_webhook{"--format", "json", "--notify", "webhook"};
  const ProcessResult first = health(dir, json_and_webhook, webhook.options);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(milestones_of(first.out), "crash:7_days calm:7_days");
  simdjson::dom::parser parser;
  const simdjson::dom::element calm = parser.parse(first.out)["milestones"].at(1);
  EXPECT_EQ(std::string_view(calm["verdict"]), "KEEP RUNNING");
  EXPECT_EQ(std::string_view(calm["metric"]), "net_revenue_per_visitor");
  EXPECT_EQ(calm["uplifts"].get_array().size(), 1U);
  EXPECT_NEAR(double(calm["uplifts"].at(0)["uplift"]), 0.0, 1e-12);
  EXPECT_EQ(std::string_view(calm["day_type"].at(0)["variation"]), "variant");
  // The first run tells the critical test, and the healthy one for its milestone.
  auto hooks = webhook.receiver.requests(Route::webhook);
  ASSERT_EQ(hooks.size(), 1U);
  EXPECT_EQ(hooks[0].status, 204);
  EXPECT_THAT(hooks[0].body, HasSubstr(R"("id":"crash","name":"crash","status":"critical")"));
  EXPECT_THAT(hooks[0].body, HasSubstr(R"("milestone":{"name":"7_days")"));

  // The same data again: nothing changed, no milestone is new, nothing is sent.
  const ProcessResult second = health(dir, json_and_webhook, webhook.options);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(milestones_of(second.out), "");
  EXPECT_THAT(second.err, HasSubstr("no alert to send"));
  EXPECT_EQ(webhook.receiver.requests(Route::webhook).size(), 1U);

  // A week later both tests cross 14 days: reported once, then not again.
  import_counts(dir, 16);
  const ProcessResult third = health(dir, json_and_webhook, webhook.options);
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(milestones_of(third.out), "crash:14_days calm:14_days");
  hooks = webhook.receiver.requests(Route::webhook);
  ASSERT_EQ(hooks.size(), 2U);
  EXPECT_THAT(hooks[1].body, HasSubstr(R"("milestone":{"name":"14_days")"));
  const ProcessResult table = health(dir, {});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.find("Milestone:"), std::string::npos) << table.out;

  const ProcessResult history = health(dir, {"--history", "crash", "--format", "json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  const simdjson::dom::element kept = parser.parse(history.out);
  EXPECT_EQ(std::string_view(kept["schema"]), "reckon.health_history/v1");
  std::string statuses;
  std::string milestones;
  for (const simdjson::dom::element run : kept["runs"].get_array()) {
    statuses += std::string(std::string_view(run["status"])) + " ";
    milestones += (run["milestone"].is_null() ? std::string("-")
                                              : std::string(std::string_view(run["milestone"]))) +
                  " ";
  }
  EXPECT_EQ(statuses, "critical critical critical critical ");
  EXPECT_EQ(milestones, "7_days - 14_days - ");
  EXPECT_EQ(std::string_view(kept["runs"].at(0)["as_of"]), "2026-09-10");
  EXPECT_EQ(std::string_view(kept["runs"].at(2)["as_of"]), "2026-09-16");
  EXPECT_EQ(std::string_view(kept["runs"].at(0)["reasons"].at(0)["rule"]), "conversion_drop");
}

TEST(HealthRuns, OnlyAChangedStatusIsSentAgainAndItSaysWhatItWas) {
  const std::filesystem::path dir = fresh_temp_dir("health-change");
  Webhook webhook;
  import_counts(dir, 5); // under 7 days: no milestone muddles the changes
  ASSERT_EQ(health(dir, {"--notify", "webhook"}, webhook.options).exit_code, 0);
  auto hooks = webhook.receiver.requests(Route::webhook);
  ASSERT_EQ(hooks.size(), 1U);
  EXPECT_THAT(hooks[0].body, HasSubstr(R"("id":"crash")"));
  EXPECT_THAT(hooks[0].body, HasSubstr(R"("previous_status":null,"change":null)"));
  // calm is on watch for its youth on its first run: sent too.
  EXPECT_THAT(hooks[0].body, HasSubstr(R"("id":"calm")"));

  import_counts(dir, 5, true); // calm crashes too
  const ProcessResult changed = health(dir, {"--notify", "webhook"}, webhook.options);
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  hooks = webhook.receiver.requests(Route::webhook);
  ASSERT_EQ(hooks.size(), 2U);
  EXPECT_EQ(hooks[1].body.find(R"("id":"crash")"), std::string::npos) << hooks[1].body;
  EXPECT_THAT(
      hooks[1].body,
      HasSubstr(R"("status":"critical","previous_status":"watch","change":"watch → critical")"));

  // --notify-on always sends both, unchanged or not.
  ASSERT_EQ(
      health(dir, {"--notify", "webhook", "--notify-on", "always"}, webhook.options).exit_code, 0);
  hooks = webhook.receiver.requests(Route::webhook);
  ASSERT_EQ(hooks.size(), 3U);
  EXPECT_THAT(hooks[2].body, HasSubstr(R"("id":"crash")"));
  EXPECT_THAT(hooks[2].body, HasSubstr(R"("change":"critical → critical")"));
}

TEST(HealthRuns, NoSaveAndDryRunKeepNothingAndTheHistorySaysSo) {
  const std::filesystem::path dir = fresh_temp_dir("health-no-save");
  import_counts(dir, 10);
  ASSERT_EQ(health(dir, {"--no-save"}).exit_code, 0);
  const ProcessResult dry = health(dir, {"--notify", "webhook", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 2) << dry.err; // no webhook URL: a usage error, before anything
  const ProcessResult none = health(dir, {"--history", "crash"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("--history: no health run is kept in reckon.db yet"));

  // A milestone shown by an unsaved run is shown again by the next, which keeps it.
  const ProcessResult look = health(dir, {"--no-save", "--format", "json"});
  EXPECT_EQ(milestones_of(look.out), "crash:7_days calm:7_days");
  const ProcessResult kept = health(dir, {"--format", "json"});
  EXPECT_EQ(milestones_of(kept.out), "crash:7_days calm:7_days");
  const ProcessResult table = health(dir, {"--history", "calm"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("Health history of calm (calm): 1 run kept\n"));
  const std::string line = table.out.substr(table.out.rfind("\n2026-09-10  ") + 1);
  EXPECT_EQ(line.substr(30), "healthy   KEEP RUNNING  10 d  -  [milestone 7_days]\n") << table.out;
  const ProcessResult csv = health(dir, {"--history", "calm", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("calm,calm,2026-09-10,"));

  const ProcessResult unknown = health(dir, {"--history", "nothing"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("--history: no experiment \"nothing\" in the health runs kept "
                                     "in reckon.db (by id, slug or name); the tests there: crash, "
                                     "calm"));
  const ProcessResult from_csv =
      run_process(k_binary, {"health", "--counts", "counts.csv", "--history", "calm"}, dir);
  EXPECT_EQ(from_csv.exit_code, 2);
  EXPECT_THAT(from_csv.err, HasSubstr("health runs are kept in a store, not a counts CSV"));
}

// A store that cannot be written: the result is printed and the alerts go out, the warning
// says why the run was not kept, and the exit status says it (3); --no-save reads it quietly.
TEST(HealthRuns, AReadOnlyStoreGivesTheResultThenExits3) {
  ScratchMount mount(4 * 1024 * 1024);
  if (!mount.available()) {
    GTEST_SKIP() << mount.why_not();
  }
  import_counts(mount.path(), 10);
  if (!mount.set_read_only(true)) {
    GTEST_SKIP() << mount.why_not();
  }
  // The process runs beside the mount: it may not write where it starts.
  const std::filesystem::path beside = mount.path().parent_path();
  const std::filesystem::path store = mount.path() / "reckon.db";
  const ProcessResult refused = health(beside, {"--format", "json"}, {}, store);
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_EQ(milestones_of(refused.out), "crash:7_days calm:7_days");
  EXPECT_THAT(refused.err, HasSubstr("reckon: warning: this health run was not kept: "));
  EXPECT_THAT(refused.err, HasSubstr("the store is read-only"));
  EXPECT_THAT(refused.err, HasSubstr("pass --no-save to look without keeping the run"));
  const ProcessResult quiet = health(beside, {"--no-save"}, {}, store);
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
}

} // namespace
} // namespace reckon::test
