#include "analysis_run.hpp"
#include "commands.hpp"
#include "dataset_input.hpp"

#include "reckon/report/list_output.hpp"

namespace reckon::app {

util::Result<void> run_list(const AnalysisSettings& settings, const Console& console) {
  util::Result<LoadedDataset> input =
      load_dataset_for(settings, {{"-o", settings.output_path}}, console);
  if (!input) {
    return input.error();
  }
  const std::vector<report::TestListing> tests = report::list_tests(input->dataset);
  const std::string text = settings.format == OutputFormat::json ? report::render_list_json(tests)
                           : settings.format == OutputFormat::csv
                               ? report::render_list_csv(tests)
                               : report::render_list_table(tests);
  if (auto written = write_output(text, settings, console); !written) {
    return written;
  }
  return report_unreadable(*input, console);
}

} // namespace reckon::app
