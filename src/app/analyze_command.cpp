#include "commands.hpp"
#include "demo_data.hpp"

#include "reckon/analysis/analyze.hpp"
#include "reckon/parse/counts_csv.hpp"
#include "reckon/report/results_output.hpp"
#include "reckon/stats/parallel.hpp"
#include "reckon/util/file.hpp"

#include <algorithm>
#include <filesystem>
#include <thread>

#ifndef RECKON_VERSION
#error "RECKON_VERSION must be defined by the build"
#endif

namespace reckon::app {
namespace {

using util::ErrorCode;
using util::Result;

std::size_t effective_threads(std::size_t requested) {
  return requested != 0 ? requested : std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

// Keeps only the experiments the user named; naming one that is absent is a usage error.
Result<model::Dataset> select_experiments(model::Dataset dataset,
                                          const std::vector<std::string>& wanted,
                                          const std::string& source_name) {
  if (wanted.empty()) {
    return dataset;
  }
  model::Dataset selected;
  for (const std::string& id : wanted) {
    const auto found = std::find_if(dataset.experiments.begin(), dataset.experiments.end(),
                                    [&](const model::Experiment& e) { return e.id == id; });
    if (found == dataset.experiments.end()) {
      return util::make_error(ErrorCode::usage, "--experience",
                              "no experiment \"" + id + "\" in " + source_name);
    }
    selected.experiments.push_back(std::move(*found));
    dataset.experiments.erase(found);
  }
  return selected;
}

Result<analysis::Results> analyze_text(std::string_view csv, const std::string& source_name,
                                       const AnalysisSettings& settings) {
  Result<model::Dataset> dataset = parse::parse_counts_csv(csv, source_name);
  if (!dataset) {
    return dataset.error();
  }
  Result<model::Dataset> selected =
      select_experiments(std::move(dataset).value(), settings.experiences, source_name);
  if (!selected) {
    return selected.error();
  }
  const stats::ThreadLimit thread_limit(effective_threads(settings.threads));
  return analysis::analyze_counts(*selected, settings.options);
}

std::string render(const analysis::Results& results, OutputFormat format,
                   const report::RunInfo& run) {
  switch (format) {
  case OutputFormat::json:
    return report::render_results_json(results, run);
  case OutputFormat::csv:
    return report::render_results_csv(results);
  case OutputFormat::table:
    break;
  }
  return report::render_results_table(results);
}

report::RunInfo run_info(const AnalysisSettings& settings) {
  return {RECKON_VERSION, effective_threads(settings.threads)};
}

} // namespace

Result<void> run_analyze(const AnalysisSettings& settings, const Console& console) {
  Result<std::string> csv = util::read_file(settings.counts_path);
  if (!csv) {
    return csv.error();
  }
  Result<analysis::Results> results = analyze_text(*csv, settings.counts_path, settings);
  if (!results) {
    return results.error();
  }
  const std::string text = render(*results, settings.format, run_info(settings));
  if (settings.output_path.empty()) {
    console.out << text;
    return {};
  }
  return util::write_file_atomically(settings.output_path, text);
}

Result<void> run_demo(AnalysisSettings settings, const std::string& out_dir,
                      const Console& console) {
  Result<analysis::Results> results = analyze_text(demo_counts_csv(), "demo/counts.csv", settings);
  if (!results) {
    return results.error();
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    return util::make_error(ErrorCode::io, out_dir,
                            "cannot create the report folder: " + ec.message());
  }
  const report::RunInfo run = run_info(settings);
  const std::string table = report::render_results_table(*results);
  const std::filesystem::path dir(out_dir);
  for (const auto& [name, text] : {std::pair<std::string, std::string>{
                                       "results.json", report::render_results_json(*results, run)},
                                   {"results.csv", report::render_results_csv(*results)},
                                   {"results.txt", table}}) {
    if (Result<void> written = util::write_file_atomically(dir / name, text); !written) {
      return written;
    }
  }
  // The whole population of each test on screen; every segment and day in the folder.
  console.out << report::render_results_table(*results, report::TableScope::overall_only);
  console.info("demo report written to " +
               std::filesystem::absolute(dir).lexically_normal().string() +
               " (results.json, results.csv, and results.txt with every segment and day)");
  return {};
}

} // namespace reckon::app
