#include "analysis_run.hpp"
#include "commands.hpp"
#include "dataset_input.hpp"
#include "report_files.hpp"
#include "report_folder.hpp"

#include "reckon/analysis/check.hpp"
#include "reckon/analysis/health.hpp"
#include "reckon/report/html_report.hpp"
#include "reckon/report/results_output.hpp"
#include "reckon/util/atomic_folder.hpp"

#include <filesystem>
#include <functional>
#include <iterator>
#include <memory>
#include <string_view>

namespace reckon::app {
namespace {

// results.json written one experiment at a time: on a large account the whole document is
// larger than everything else the report holds (2.8 GB for 500 experiences over 90 days).
util::Result<void> results_json(const report::HtmlReportInput& page,
                                const std::function<util::Result<void>(std::string_view)>& put) {
  const analysis::Results& results = page.report.results;
  const std::unique_ptr<report::ResultsPieces> pieces =
      report::results_json_pieces(results.options, page.run);
  util::Result<void> written = put(pieces->begin());
  for (std::size_t i = 0; written && i < results.experiments.size(); ++i) {
    written = put(pieces->experiment(results.experiments[i], i));
  }
  return written ? put(pieces->end(results.experiments.size())) : written;
}

// The files of the report folder, each written when the folder is assembled; a renderer added
// later is one more line here.
std::vector<util::FolderFile> folder_files(const report::HtmlReportInput& page) {
  std::vector<util::FolderFile> files{
      util::text_file("index.html", [&page] { return report::render_html_report(page); }),
      util::produced_file("results.json",
                          [&page](const auto& put) { return results_json(page, put); }),
  };
  for (util::FolderFile& file : report_files(page.report)) {
    files.push_back(std::move(file));
  }
  return files;
}

} // namespace

util::Result<WrittenReport> write_report_folder(const LoadedDataset& input,
                                                const AnalysisSettings& settings,
                                                const std::string& out_dir,
                                                std::vector<util::FolderFile> extra) {
  WrittenReport written{analyse_for_report(input.dataset, settings), {}, {}, {}};
  ReportAnalyses& analyses = written.analyses;
  // The check's drift rule marks each number the vendor reported beside Reckon's; on input
  // without reported numbers it marks nothing.
  written.check =
      analysis::check_results(analyses.results, input.dataset, analysis::CheckSettings{});
  analysis::HealthInputs health_inputs;
  health_inputs.as_of = default_health_day(input.dataset);
  written.health = analysis::check_health(input.dataset, analyses.results, health_inputs);

  report::ReportInputs inputs = report_inputs(analyses);
  for (const analysis::ExperimentHealth& health : written.health.experiments) {
    inputs.health.emplace(health.id, analysis::health_status_label(health.status));
  }
  const report::HtmlReportInput page{inputs, run_info(settings), input.source_name,
                                     input.sitewide ? &*input.sitewide : nullptr, &input.dataset};
  std::vector<util::FolderFile> files = folder_files(page);
  std::move(extra.begin(), extra.end(), std::back_inserter(files));
  if (util::Result<void> folder = util::write_folder(out_dir, files); !folder) {
    util::Error error = folder.error();
    if (error.code == util::ErrorCode::usage) {
      error.where = "--out " + error.where; // the folder refused is the one --out names
    }
    return error;
  }
  written.index =
      std::filesystem::absolute(std::filesystem::path(out_dir) / "index.html").lexically_normal();
  return written;
}

util::Result<void> run_report(const ReportSettings& settings, const Console& console) {
  if (settings.out_dir.empty()) {
    return util::make_error(util::ErrorCode::usage, "--out", "name the report folder to write");
  }
  util::Result<LoadedDataset> input =
      load_dataset_for(settings.analysis, {{"--out", settings.out_dir}});
  if (!input) {
    return input.error();
  }
  const util::Result<WrittenReport> written =
      write_report_folder(*input, settings.analysis, settings.out_dir);
  if (!written) {
    return written.error();
  }
  console.info("report written to " + written->index.string());
  return report_unreadable(*input, console);
}

} // namespace reckon::app
