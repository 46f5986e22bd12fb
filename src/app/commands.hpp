#pragma once

#include "demo_report.hpp"
#include "health_notify.hpp"
#include "settings.hpp"

#include "reckon/analysis/check.hpp"
#include "reckon/analysis/health.hpp"
#include "reckon/store/store.hpp"
#include "reckon/util/result.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace reckon::app {

// `reckon analyze`: re-analyse a counts CSV and write the results in the chosen format.
util::Result<void> run_analyze(const AnalysisSettings& settings, const Console& console);

// `reckon list`: one line per test of the input (name, source, status, dates, visitors).
util::Result<void> run_list(const AnalysisSettings& settings, const Console& console);

// Options of `reckon temporal`.
struct TemporalSettings {
  AnalysisSettings analysis;
  bool all = false; // every detail below each experiment's days
};

// `reckon temporal`: each experiment day by day, weekday against weekend, by day of the week,
// cumulatively, with the trend of its daily uplift.
util::Result<void> run_temporal(const TemporalSettings& settings, const Console& console);

// Options of `reckon segments`.
struct SegmentsSettings {
  AnalysisSettings analysis;
  bool all = false; // list every segment, not only those worth reading
};

// `reckon segments`: per segment of each experiment, the verdict, partial pooling, the chance
// count, SRM, contradictions and the rollout call (analysis/segments.hpp).
util::Result<void> run_segments(const SegmentsSettings& settings, const Console& console);

// Options of `reckon report`.
struct ReportSettings {
  AnalysisSettings analysis;
  std::string out_dir;
};

// `reckon report`: analyse, check the vendor's numbers, cut by segment and by day, and write a
// report folder (index.html, results.json) in place at once.
util::Result<void> run_report(const ReportSettings& settings, const Console& console);

// `reckon demo`: write_demo_report, then print what it found, test by test, and the path of
// index.html.
util::Result<void> run_demo(const DemoSettings& settings, const Console& console);

// Options of `reckon simulate`.
struct SimulateSettings {
  std::string scenario_path;
  std::string out_dir;
  std::optional<std::uint64_t> seed; // the scenario's own seed when absent
  bool honest = false;               // drop the scenario's planted vendor errors
  std::size_t threads = 0;           // 0: every core
};

// `reckon simulate`: simulate the scenario's store and write every source's responses, the
// counts CSV and the truth into the output folder.
util::Result<void> run_simulate(const SimulateSettings& settings, const Console& console);

// Options of `reckon check`.
struct CheckSettings {
  AnalysisSettings analysis;
  analysis::CheckSettings rule;
  std::string junit_path;
  bool fail_on_drift = false;
  std::optional<std::int64_t> since; // an earlier check run kept in the store
  bool save_run = true;              // keep this run in the store (when checking a store)
};

// `reckon check`: compare the vendor's reported statistics with the recomputed ones and run
// the consistency checks. True when `--fail-on drift` asks the command to fail.
util::Result<bool> run_check(const CheckSettings& settings, const Console& console);

// Options of `reckon health`.
struct HealthSettings {
  AnalysisSettings analysis;
  analysis::HealthThresholds thresholds;
  std::optional<util::Date> as_of;   // default: the data's last day, else today (UTC)
  std::vector<std::string> adaptive; // tests whose allocation adapts: no srm rule
  std::optional<analysis::HealthStatus> fail_on;
  NotifySettings notify; // alerts and the opt-in pause, after the result is written
  bool save_run = true;  // keep the run in the store (when checking a store)
  std::string history;   // --history: show this test's kept runs instead
};

// The day a health check describes unless --as-of says: the data's last day, so that a
// snapshot gives the same answer when rerun, else today (UTC).
util::Date default_health_day(const model::Dataset& dataset);

// `reckon health`: every test's status with its reasons and days to a verdict, and the
// milestones reached since the last kept run; the run is then kept in the store (unless
// --no-save) and the alerts sent. True when `--fail-on` asks the command to fail (a test at or
// past that status). With --history, the test's kept runs instead.
util::Result<bool> run_health(const HealthSettings& settings, const Console& console);

// Options of `reckon fetch`.
struct FetchSettings {
  std::string source = "intelligems";
  std::string base_url = "https://api.intelligems.io";
  std::string store_path = "reckon.db";
  std::string api_key_file; // else the source's variable (fetch_parts.hpp, SourceAccess)
  std::string auth_header = "authorization"; // the source's own header, or "x-api-key"
  std::vector<std::string> experiences;
  std::string status;
  std::string segments = "all"; // all, none, or a comma-separated list of dimensions
  bool days = false;
  std::string day_segments; // dimensions of a day's audience views; implies `days`
  std::string from;         // YYYY-MM-DD, inclusive
  std::string to;
  std::string zone = "UTC";
  std::string api = "current"; // or "legacy"
  bool sitewide = true;
  int sitewide_days = 14;
  int page_size = 50;
  double requests_per_second = 1.0;
  int max_attempts = 6;
  double first_backoff_s = 5.0;
  double max_wait_s = 80.0;
  double connect_timeout_s = 10.0;
  double timeout_s = 60.0;
  std::uint64_t max_response_mb = 256; // a larger response stops the fetch
};

// `reckon fetch`: pull the chosen experiences' analytics into the store, resuming where an
// earlier fetch stopped.
util::Result<void> run_fetch(const FetchSettings& settings, const Console& console);

// Loads a folder of saved responses (or a counts CSV) into the store as `reckon import` does
// (a response analysis could not read refuses the whole import), without saying so.
util::Result<store::SaveCounts>
import_responses(const std::string& input, const std::string& store_path, const Console& console);

// `reckon import`: load a folder of saved responses (or a counts CSV) into the store.
util::Result<void> run_import(const std::string& input, const std::string& store_path,
                              const Console& console);

// `reckon store runs`: list the check runs kept in the store.
util::Result<void> run_store_runs(const std::string& store_path, const Console& console);

// `reckon store prune --keep N`: delete all but the newest `keep` check runs and reclaim their
// space.
util::Result<void> run_store_prune(const std::string& store_path, std::int64_t keep,
                                   const Console& console);

// `reckon export`: write the store's newest responses out as a folder of saved responses.
util::Result<void> run_export(const std::string& store_path, const std::string& out_dir,
                              const Console& console);

} // namespace reckon::app
