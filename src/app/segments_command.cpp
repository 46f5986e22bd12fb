#include "analysis_run.hpp"
#include "commands.hpp"
#include "dataset_input.hpp"
#include "report_files.hpp"

#include "reckon/analysis/segments.hpp"
#include "reckon/report/segments_output.hpp"

namespace reckon::app {
namespace {

std::string render(const analysis::SegmentsReport& report, const SegmentsSettings& settings,
                   bool verbose) {
  switch (settings.analysis.format) {
  case OutputFormat::json:
    return report::render_segments_json(report, run_info(settings.analysis));
  case OutputFormat::csv:
    return report::render_segments_csv(report);
  case OutputFormat::table:
    break;
  }
  return report::render_segments_table(report, settings.all || verbose
                                                   ? report::SegmentScope::every_segment
                                                   : report::SegmentScope::worth_reading);
}

} // namespace

util::Result<void> run_segments(const SegmentsSettings& settings, const Console& console) {
  const AnalysisSettings& analysis_settings = settings.analysis;
  util::Result<LoadedDataset> input =
      load_dataset_for(analysis_settings, {{"-o", analysis_settings.output_path}}, console);
  if (!input) {
    return input.error();
  }
  const analysis::Results results = analyze_dataset(input->dataset, analysis_settings);
  if (auto answered = refuse_unanswered_metrics(results, analysis_settings, input->source_name);
      !answered) {
    return answered;
  }
  const analysis::SegmentsReport report =
      analysis::analyze_segments(results, segment_options(analysis_settings));
  if (util::Result<void> written =
          write_output(render(report, settings, console.verbose), analysis_settings, console);
      !written) {
    return written;
  }
  return report_unreadable(*input, console);
}

} // namespace reckon::app
