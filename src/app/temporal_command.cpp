#include "analysis_run.hpp"
#include "commands.hpp"
#include "dataset_input.hpp"

#include "reckon/analysis/temporal.hpp"
#include "reckon/report/temporal_output.hpp"
#include "reckon/stats/parallel.hpp"

namespace reckon::app {
namespace {

std::string render(const analysis::TemporalResults& results, const TemporalSettings& settings,
                   const Console& console) {
  switch (settings.analysis.format) {
  case OutputFormat::json:
    return report::render_temporal_json(results, run_info(settings.analysis));
  case OutputFormat::csv:
    return report::render_temporal_csv(results);
  case OutputFormat::table:
    break;
  }
  return report::render_temporal_table(results, settings.all || console.verbose
                                                    ? report::TemporalDetail::everything
                                                    : report::TemporalDetail::headline_and_days);
}

} // namespace

util::Result<void> run_temporal(const TemporalSettings& settings, const Console& console) {
  const AnalysisSettings& analysis_settings = settings.analysis;
  util::Result<LoadedDataset> input =
      load_dataset_for(analysis_settings, {{"-o", analysis_settings.output_path}}, console);
  if (!input) {
    return input.error();
  }
  analysis::TemporalResults results;
  {
    const stats::ThreadLimit thread_limit(run_info(analysis_settings).threads);
    results = analysis::analyze_temporal(input->dataset, analysis_settings.options);
  }
  for (const analysis::LeftOut& left_out : results.skipped) {
    console.info("\"" + (left_out.name.empty() ? left_out.id : left_out.name) + "\" (" +
                 left_out.source + ") left out: " + left_out.reason);
  }
  if (auto written = write_output(render(results, settings, console), analysis_settings, console);
      !written) {
    return written;
  }
  return report_unreadable(*input, console);
}

} // namespace reckon::app
