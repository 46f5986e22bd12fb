#include "analysis_run.hpp"
#include "commands.hpp"
#include "dataset_input.hpp"

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

} // namespace

util::Date default_health_day(const model::Dataset& dataset) {
  return analysis::last_data_day(dataset).value_or(today_utc());
}

util::Result<bool> run_health(const HealthSettings& settings, const Console& console) {
  const AnalysisSettings& analysis_settings = settings.analysis;
  if (settings.notify.pause_on_critical && !analysis_settings.counts_path.empty()) {
    return util::make_error(util::ErrorCode::usage, "--pause-on-critical",
                            "needs a store (--store): a counts CSV names no Intelligems "
                            "experience to pause");
  }
  util::Result<LoadedDataset> input =
      load_dataset_for(analysis_settings, {{"-o", analysis_settings.output_path}});
  if (!input) {
    return input.error();
  }
  const analysis::Results results = analyze_dataset(input->dataset, analysis_settings);
  analysis::HealthInputs inputs;
  inputs.thresholds = settings.thresholds;
  inputs.as_of = settings.as_of.value_or(default_health_day(input->dataset));
  inputs.adaptive.insert(settings.adaptive.begin(), settings.adaptive.end());
  const analysis::HealthReport report = analysis::check_health(input->dataset, results, inputs);
  if (auto written =
          write_output(render(report, analysis_settings.format), analysis_settings, console);
      !written) {
    return written.error();
  }
  if (auto reported = report_unreadable(*input, console); !reported) {
    return reported.error();
  }
  // The result is written first, so that a failed notification never costs it. No health run
  // is kept yet, so every test counts as new to `--notify-on change`.
  const std::vector<notify::Alert> alerts = alerts_of(report, {});
  if (auto sent = send_alerts(settings.notify, alerts, console); !sent) {
    return sent.error();
  }
  if (auto paused =
          pause_critical_tests(settings.notify, alerts, analysis_settings.store_path, console);
      !paused) {
    return paused.error();
  }
  return settings.fail_on && report.worst() >= *settings.fail_on;
}

} // namespace reckon::app
