#include "analysis_run.hpp"
#include "commands.hpp"
#include "dataset_input.hpp"
#include "health_runs.hpp"

#include "reckon/analysis/health.hpp"
#include "reckon/report/health_output.hpp"

#include <chrono>

namespace reckon::app {
namespace {

util::Date today_utc() {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return util::Date{days.time_since_epoch().count()};
}

std::string render(const analysis::HealthReport& report, OutputFormat format) {
  switch (format) {
  case OutputFormat::json:
    return report::render_health_json(report);
  case OutputFormat::csv:
    return report::render_health_csv(report);
  case OutputFormat::table:
    break;
  }
  return report::render_health_table(report);
}

analysis::HealthReport check(const LoadedDataset& input, const HealthSettings& settings) {
  const analysis::Results results = analyze_dataset(input.dataset, settings.analysis);
  analysis::HealthInputs inputs;
  inputs.thresholds = settings.thresholds;
  inputs.as_of = settings.as_of.value_or(default_health_day(input.dataset));
  inputs.adaptive.insert(settings.adaptive.begin(), settings.adaptive.end());
  return analysis::check_health(input.dataset, results, inputs);
}

// Keeps the run in the store, unless there is none (a counts CSV), --no-save or --dry-run says
// not to (a dry run that kept its statuses would silence the real run's changes). A store that
// cannot be written is warned about at once; the error then becomes the run's outcome (exit
// 3) after the alerts went out.
util::Result<void> keep_run(const analysis::HealthReport& report, const HealthSettings& settings,
                            const Console& console) {
  const AnalysisSettings& analysis_settings = settings.analysis;
  if (!analysis_settings.counts_path.empty() || !settings.save_run) {
    return {};
  }
  if (settings.notify.dry_run) {
    console.info("dry run: this health run is not kept, so the next run compares with the last "
                 "kept one");
    return {};
  }
  const util::Result<void> kept = keep_health_run(report, analysis_settings.store_path, console);
  if (kept) {
    return {};
  }
  console.warn("this health run was not kept: " + kept.error().describe() +
               "; the alerts compare with the last kept run");
  return util::make_error(util::ErrorCode::io, "",
                          "the health run could not be kept in " + analysis_settings.store_path +
                              " (see above); the result was written and the alerts sent; "
                              "pass --no-save to look without keeping the run");
}

} // namespace

util::Date default_health_day(const model::Dataset& dataset) {
  return analysis::last_data_day(dataset).value_or(today_utc());
}

util::Result<bool> run_health(const HealthSettings& settings, const Console& console) {
  if (!settings.history.empty()) {
    if (auto shown = run_health_history(settings, console); !shown) {
      return shown.error();
    }
    return false;
  }
  const AnalysisSettings& analysis_settings = settings.analysis;
  const bool from_store = analysis_settings.counts_path.empty();
  if (settings.notify.pause_on_critical && !from_store) {
    return util::make_error(util::ErrorCode::usage, "--pause-on-critical",
                            "needs a store (--store): a counts CSV names no Intelligems "
                            "experience to pause");
  }
  util::Result<LoadedDataset> input =
      load_dataset_for(analysis_settings, {{"-o", analysis_settings.output_path}});
  if (!input) {
    return input.error();
  }
  const util::Result<HealthMemory> memory = recall_health(analysis_settings);
  if (!memory) {
    return memory.error();
  }
  analysis::HealthReport report = check(*input, settings);
  if (from_store) {
    add_milestones(report, input->dataset, *memory, analysis_settings);
  } else if (!settings.notify.sinks.empty()) {
    console.info("a counts CSV keeps no health runs: every test is new to --notify-on change, "
                 "and milestones need a store (--store)");
  }
  if (auto written =
          write_output(render(report, analysis_settings.format), analysis_settings, console);
      !written) {
    return written.error();
  }
  if (auto reported = report_unreadable(*input, console); !reported) {
    return reported.error();
  }
  // The result is written first and the run kept before any alert goes out, so that neither a
  // failed notification nor a store that cannot be written costs the other.
  const util::Result<void> kept = keep_run(report, settings, console);
  const std::vector<notify::Alert> alerts = alerts_of(report, memory->previous);
  if (auto sent = send_alerts(settings.notify, alerts, console); !sent) {
    return sent.error();
  }
  if (auto paused =
          pause_critical_tests(settings.notify, alerts, analysis_settings.store_path, console);
      !paused) {
    return paused.error();
  }
  if (!kept) {
    return kept.error();
  }
  return settings.fail_on && report.worst() >= *settings.fail_on;
}

} // namespace reckon::app
