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
#include <iterator>

namespace reckon::app {
namespace {

// The files of the report folder, each written when the folder is assembled; a renderer added
// later is one more line here.
std::vector<util::FolderFile> folder_files(const report::HtmlReportInput& page) {
  std::vector<util::FolderFile> files{
      util::text_file("index.html", [&page] { return report::render_html_report(page); }),
      util::text_file(
          "results.json",
          [&page] { return report::render_results_json(page.report.results, page.run); }),
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
