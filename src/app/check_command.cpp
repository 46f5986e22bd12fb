#include "analysis_run.hpp"
#include "commands.hpp"
#include "dataset_input.hpp"
#include "kept_figures.hpp"
#include "wall_clock.hpp"

#include "reckon/analysis/check.hpp"
#include "reckon/analysis/history.hpp"
#include "reckon/parse/results_document.hpp"
#include "reckon/report/check_output.hpp"
#include "reckon/store/store.hpp"
#include "reckon/util/file.hpp"

#include <chrono>

namespace reckon::app {
namespace {

using util::Result;

// Keeps this run's recomputed numbers, with the vendor's beside them, in the store; returns
// the run's id.
Result<std::int64_t> keep_run(const std::string& store_path, const analysis::Results& results) {
  auto store = store::Store::open_existing(store_path);
  if (!store) {
    return store.error();
  }
  return store->add_run("check", now_ms(), "reckon check", kept_cells(results));
}

// The vendor's figures as run `run_id` kept them. A run kept by schema version 1 holds its
// whole results document instead, read as it was written.
Result<std::vector<model::ReportedFigure>> figures_of_run(const std::string& store_path,
                                                          std::int64_t run_id) {
  auto store = store::Store::open_read_only(store_path);
  if (!store) {
    return store.error();
  }
  auto run = store->run(run_id);
  if (!run) {
    return run.error();
  }
  if (!*run) {
    return util::make_error(util::ErrorCode::usage, "--since",
                            "no check run " + std::to_string(run_id) + " in " + store_path);
  }
  if ((*run)->document) {
    return parse::read_reported_figures(*(*run)->document,
                                        store_path + " run " + std::to_string(run_id));
  }
  return reported_figures((*run)->cells);
}

Result<std::string> describe_moves_since(const std::string& store_path, std::int64_t run_id,
                                         const analysis::Results& results) {
  auto figures = figures_of_run(store_path, run_id);
  if (!figures) {
    return figures.error();
  }
  return report::render_reported_moves(analysis::reported_moves(*figures, results),
                                       "run " + std::to_string(run_id));
}

} // namespace

Result<bool> run_check(const CheckSettings& settings, const Console& console) {
  const AnalysisSettings& analysis_settings = settings.analysis;
  Result<LoadedDataset> input = load_dataset_for(
      analysis_settings, {{"-o", analysis_settings.output_path}, {"--junit", settings.junit_path}},
      console);
  if (!input) {
    return input.error();
  }
  analysis::Results results = analyze_dataset(input->dataset, analysis_settings);
  if (auto answered = refuse_unanswered_metrics(results, analysis_settings, input->source_name);
      !answered) {
    return answered.error();
  }
  const analysis::CheckReport report =
      analysis::check_results(results, input->dataset, settings.rule);

  std::string text = analysis_settings.format == OutputFormat::json
                         ? report::render_check_json(report)
                         : report::render_check_table(report);
  const bool from_store = analysis_settings.counts_path.empty();
  if (settings.since) {
    if (!from_store) {
      return util::make_error(util::ErrorCode::usage, "--since",
                              "earlier runs are kept in a store; use --store");
    }
    auto moves = describe_moves_since(analysis_settings.store_path, *settings.since, results);
    if (!moves) {
      return moves.error();
    }
    text += "\n" + *moves;
  }
  if (!settings.junit_path.empty()) {
    if (auto written =
            util::write_file_atomically(settings.junit_path, report::render_check_junit(report));
        !written) {
      return written.error();
    }
  }
  if (auto written = write_output(text, analysis_settings, console); !written) {
    return written.error();
  }
  if (from_store && settings.save_run) {
    auto run = keep_run(analysis_settings.store_path, results);
    if (!run) {
      return run.error();
    }
    console.info("check run " + std::to_string(*run) + " kept in " + analysis_settings.store_path +
                 " (compare later with --since " + std::to_string(*run) + ")");
  }
  if (auto reported = report_unreadable(*input, console); !reported) {
    return reported.error();
  }
  return settings.fail_on_drift && report.any_failure();
}

} // namespace reckon::app
