// `reckon health`'s memory: the runs it keeps in the store, what they say before a run (the
// previous statuses `--notify-on change` compares with, the milestones already reported), and
// `--history`.
#include "health_runs.hpp"
#include "analysis_run.hpp"
#include "commands.hpp"
#include "experience_choice.hpp"
#include "report_files.hpp"
#include "wall_clock.hpp"

#include "reckon/report/health_output.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>

namespace reckon::app {
namespace {

using util::ErrorCode;

std::optional<analysis::HealthStatus> status_of_label(std::string_view label) {
  for (const auto status : {analysis::HealthStatus::healthy, analysis::HealthStatus::watch,
                            analysis::HealthStatus::critical}) {
    if (analysis::health_status_label(status) == label) {
      return status;
    }
  }
  return std::nullopt;
}

template <typename Item>
const Item* find_by_id(const std::vector<Item>& items, std::string_view id) {
  const auto found =
      std::find_if(items.begin(), items.end(), [&](const Item& item) { return item.id == id; });
  return found == items.end() ? nullptr : &*found;
}

// The tests of the kept runs, each once, under the name its newest run gave it.
std::vector<model::Experiment> tests_of(std::span<const store::KeptHealthRun> runs) {
  std::vector<model::Experiment> tests;
  for (const store::KeptHealthRun& run : runs) {
    for (const store::KeptHealthStatus& kept : run.tests) {
      auto found = std::find_if(tests.begin(), tests.end(), [&](const model::Experiment& e) {
        return e.id == kept.experiment;
      });
      if (found == tests.end()) {
        found = tests.insert(tests.end(), model::Experiment{});
        found->id = kept.experiment;
      }
      found->name = kept.name;
    }
  }
  return tests;
}

report::HealthHistory history_of(const model::Experiment& test,
                                 std::span<const store::KeptHealthRun> runs) {
  report::HealthHistory history{test.id, test.name, {}};
  for (const store::KeptHealthRun& run : runs) {
    for (const store::KeptHealthStatus& kept : run.tests) {
      if (kept.experiment != test.id) {
        continue;
      }
      report::HealthHistoryRun line{run.as_of,         run.at_ms, kept.status,   kept.verdict,
                                    kept.runtime_days, {},        kept.milestone};
      for (const store::KeptHealthReason& reason : kept.reasons) {
        line.reasons.emplace_back(reason.rule, reason.severity);
      }
      history.runs.push_back(std::move(line));
    }
  }
  return history;
}

std::string render(const report::HealthHistory& history, OutputFormat format) {
  switch (format) {
  case OutputFormat::json:
    return report::render_health_history_json(history);
  case OutputFormat::csv:
    return report::render_health_history_csv(history);
  case OutputFormat::table:
    break;
  }
  return report::render_health_history_table(history);
}

} // namespace

HealthMemory remember(std::span<const store::KeptHealthRun> runs) {
  HealthMemory memory;
  for (const store::KeptHealthRun& run : runs) {
    for (const store::KeptHealthStatus& kept : run.tests) {
      if (const auto status = status_of_label(kept.status)) {
        memory.previous[kept.experiment] = *status;
      }
      const analysis::Milestone milestone = analysis::milestone_of_label(kept.milestone);
      analysis::Milestone& reported = memory.reported[kept.experiment];
      reported = std::max(reported, milestone);
    }
  }
  return memory;
}

util::Result<HealthMemory> recall_health(const AnalysisSettings& settings) {
  if (!settings.counts_path.empty()) {
    return HealthMemory{};
  }
  auto store = store::Store::open_read_only(settings.store_path);
  if (!store) {
    return store.error();
  }
  const auto runs = store->health_runs();
  if (!runs) {
    return runs.error();
  }
  return remember(*runs);
}

void add_milestones(analysis::HealthReport& report, const model::Dataset& dataset,
                    const HealthMemory& memory, const AnalysisSettings& settings) {
  std::vector<std::pair<const analysis::ExperimentHealth*, analysis::Milestone>> due;
  model::Dataset subset;
  for (const analysis::ExperimentHealth& health : report.experiments) {
    const auto before = memory.reported.find(health.id);
    const analysis::Milestone milestone = analysis::milestone_due(
        analysis::milestone_reached(health.runtime_days, health.experiment_status),
        before == memory.reported.end() ? analysis::Milestone::none : before->second);
    const model::Experiment* experiment = find_by_id(dataset.experiments, health.id);
    if (milestone != analysis::Milestone::none && experiment != nullptr) {
      due.emplace_back(&health, milestone);
      subset.experiments.push_back(*experiment);
    }
  }
  if (due.empty()) {
    return;
  }
  // Segments and days are read for the tests at a milestone only: most days, none.
  const ReportAnalyses analyses = analyse_for_report(subset, settings);
  for (const auto& [health, milestone] : due) {
    const analysis::ExperimentResult* result = find_by_id(analyses.results.experiments, health->id);
    if (result != nullptr) {
      report.milestones.push_back(analysis::summarize_milestone(
          *result, milestone, health->verdict, settings.options.sampling.level,
          find_by_id(analyses.segments.experiments, health->id),
          find_by_id(analyses.temporal.experiments, health->id)));
    }
  }
}

store::KeptHealthRun kept_health_run(const analysis::HealthReport& report, std::int64_t at_ms) {
  store::KeptHealthRun run{0, at_ms, report.as_of.to_string(), {}};
  for (const analysis::ExperimentHealth& health : report.experiments) {
    store::KeptHealthStatus kept{health.id,
                                 health.name,
                                 std::string(analysis::health_status_label(health.status)),
                                 health.verdict,
                                 health.runtime_days,
                                 {},
                                 ""};
    for (const analysis::HealthReason& reason : health.reasons) {
      kept.reasons.push_back(
          {reason.rule, std::string(analysis::reason_severity_label(reason.severity))});
    }
    if (const analysis::MilestoneSummary* milestone = find_by_id(report.milestones, health.id)) {
      kept.milestone = analysis::milestone_label(milestone->milestone);
    }
    run.tests.push_back(std::move(kept));
  }
  return run;
}

util::Result<void> keep_health_run(const analysis::HealthReport& report,
                                   const std::string& store_path, const Console& console) {
  auto store = store::Store::open_existing(store_path);
  if (!store) {
    return store.error();
  }
  const auto id = store->add_health_run(kept_health_run(report, now_ms()));
  if (!id) {
    return id.error();
  }
  console.detail("health run " + std::to_string(*id) + " kept in " + store_path);
  return {};
}

util::Result<void> run_health_history(const HealthSettings& settings, const Console& console) {
  const AnalysisSettings& analysis_settings = settings.analysis;
  if (!analysis_settings.counts_path.empty()) {
    return util::make_error(ErrorCode::usage, "--history",
                            "health runs are kept in a store, not a counts CSV; use --store");
  }
  const std::string& path = analysis_settings.store_path;
  auto store = store::Store::open_read_only(path);
  if (!store) {
    return store.error();
  }
  const auto runs = store->health_runs();
  if (!runs) {
    return runs.error();
  }
  if (runs->empty()) {
    return util::make_error(ErrorCode::usage, "--history",
                            "no health run is kept in " + path + " yet: `reckon health --store " +
                                path + "` keeps one each time it runs (without --no-save)");
  }
  const std::vector<model::Experiment> tests = tests_of(*runs);
  const auto chosen =
      chosen_experiments(tests, {settings.history}, "the health runs kept in " + path);
  if (!chosen) {
    return util::make_error(chosen.error().code, "--history", chosen.error().message);
  }
  const report::HealthHistory history = history_of(tests[chosen->front()], *runs);
  return write_output(render(history, analysis_settings.format), analysis_settings, console);
}

void add_health_run_options(CLI::App& command, HealthSettings& settings) {
  command.add_flag("!--no-save", settings.save_run,
                   "Do not keep this run in the store (a dry run or an ad-hoc look)");
  command.add_option("--history", settings.history,
                     "Show the kept health runs of this test (id, slug or name) and stop");
}

} // namespace reckon::app
