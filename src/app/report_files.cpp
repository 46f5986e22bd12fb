#include "report_files.hpp"

#include "analysis_run.hpp"

#include "reckon/report/markdown_report.hpp"
#include "reckon/report/result_tables.hpp"
#include "reckon/report/results_output.hpp"
#include "reckon/stats/parallel.hpp"
#include "reckon/store/table_database.hpp"
#include "reckon/util/file.hpp"

namespace reckon::app {

analysis::SegmentOptions segment_options(const AnalysisSettings& settings) {
  analysis::SegmentOptions options;
  options.rule = settings.options.verdict;
  options.level = settings.options.sampling.level;
  options.metrics = settings.options.metrics;
  options.seed = settings.options.sampling.seed;
  return options;
}

ReportAnalyses analyse_for_report(const model::Dataset& dataset, const AnalysisSettings& settings) {
  ReportAnalyses analyses;
  analyses.results = analyze_dataset(dataset, settings);
  const stats::ThreadLimit thread_limit(run_info(settings).threads);
  analyses.segments = analysis::analyze_segments(analyses.results, segment_options(settings));
  analyses.temporal = analysis::analyze_temporal(dataset, settings.options);
  return analyses;
}

report::ReportInputs report_inputs(const ReportAnalyses& analyses) {
  return report::ReportInputs{
      .results = analyses.results, .segments = &analyses.segments, .temporal = &analyses.temporal};
}

std::vector<util::FolderFile> report_files(const report::ReportInputs& inputs) {
  return {
      util::text_file("report.md", [&inputs] { return report::render_report_markdown(inputs); }),
      util::text_file("cells.csv", [&inputs] { return report::render_cells_csv(inputs.results); }),
      {"results.sqlite",
       [&inputs](const std::filesystem::path& path) {
         return store::write_table_database(path, report::result_tables(inputs));
       }},
  };
}

} // namespace reckon::app
