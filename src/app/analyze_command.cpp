#include "analysis_run.hpp"
#include "commands.hpp"
#include "dataset_input.hpp"
#include "run_notes.hpp"

#include "reckon/report/results_output.hpp"
#include "reckon/util/file.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <sys/ioctl.h>
#include <unistd.h>

namespace reckon::app {
namespace {

using util::ErrorCode;
using util::Result;

// Columns of the terminal stdout is (COLUMNS first, as shells export it), at most the 100 the
// tables are designed for; a file or pipe gets 100.
std::size_t table_width(const AnalysisSettings& settings) {
  constexpr std::size_t k_narrowest = 40;
  std::size_t columns = report::k_table_width;
  if (!settings.output_path.empty()) {
    return columns;
  }
  if (const char* text = std::getenv("COLUMNS"); text && util::parse_unsigned(text)) {
    columns = static_cast<std::size_t>(*util::parse_unsigned(text));
  } else if (winsize size{}; isatty(STDOUT_FILENO) == 1 &&
                             ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    columns = size.ws_col;
  }
  return std::clamp(columns, k_narrowest, report::k_table_width);
}

std::string render(const analysis::Results& results, const AnalysisSettings& settings,
                   const report::RunInfo& run) {
  switch (settings.format) {
  case OutputFormat::json:
    return report::render_results_json(results, run);
  case OutputFormat::csv:
    return report::render_results_csv(results);
  case OutputFormat::table:
    break;
  }
  return report::render_results_table(results, {settings.detail ? report::TableScope::every_slice
                                                                : report::TableScope::overall_only,
                                                table_width(settings)});
}

} // namespace

Result<void> run_analyze(const AnalysisSettings& settings, const Console& console) {
  Result<LoadedDataset> input = load_dataset_for(settings, {{"-o", settings.output_path}}, console);
  if (!input) {
    return input.error();
  }
  Stopwatch clock;
  const analysis::Results results = analyze_dataset(input->dataset, settings);
  console.detail("analysed in " + clock.lap());
  if (auto answered = refuse_unanswered_metrics(results, settings, input->source_name); !answered) {
    return answered;
  }
  if (auto written = write_output(render(results, settings, run_info(settings)), settings, console);
      !written) {
    return written;
  }
  return report_unreadable(*input, console);
}

} // namespace reckon::app
