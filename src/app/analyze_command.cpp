#include "analysis_run.hpp"
#include "analysis_stream.hpp"
#include "commands.hpp"
#include "counts_feed.hpp"
#include "dataset_input.hpp"
#include "mpi_ranks.hpp"
#include "run_notes.hpp"

#include "reckon/report/results_output.hpp"
#include "reckon/stats/parallel.hpp"
#include "reckon/util/file.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>

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

std::unique_ptr<report::ResultsPieces> pieces_for(const AnalysisSettings& settings,
                                                  const report::RunInfo& run) {
  switch (settings.format) {
  case OutputFormat::json:
    return report::results_json_pieces(settings.options, run);
  case OutputFormat::csv:
    return report::results_csv_pieces();
  case OutputFormat::table:
    break;
  }
  return report::results_table_pieces(
      settings.options,
      {settings.detail ? report::TableScope::every_slice : report::TableScope::overall_only,
       table_width(settings)});
}

// Analyses the feed experiment by experiment and writes each one's piece of the document as
// it is done, shared among the ranks of an MPI job; only rank 0 writes.
Result<void> stream_analysis(const ExperimentFeed& feed, const AnalysisSettings& settings,
                             const LaunchPlace& place, const Console& console) {
  report::RunInfo run = run_info(settings);
  run.ranks = place.ranks;
  const std::unique_ptr<report::ResultsPieces> pieces = pieces_for(settings, run);
  const MakePiece make = [&](std::size_t i) -> Result<std::string> {
    Result<analysis::ExperimentResult> experiment = analyze_experiment(feed, i, settings);
    if (!experiment) {
      return experiment.error();
    }
    return pieces->experiment(*experiment, i);
  };
  if (place.rank != 0) {
    return share_pieces(feed.count, make, {});
  }
  Stopwatch clock;
  const auto produce = [&](const PutPiece& put) -> Result<void> {
    if (auto begun = put(pieces->begin()); !begun) {
      return begun;
    }
    if (auto shared = share_pieces(feed.count, make, put); !shared) {
      return shared;
    }
    console.detail("analysed in " + clock.lap());
    return put(pieces->end(feed.count));
  };
  return write_output(produce, settings, console);
}

} // namespace

Result<void> run_analyze(const AnalysisSettings& settings, const Console& console) {
  const LaunchPlace place = launch_place();
  silence_other_ranks(place);
  if (auto alone = refuse_ranks_without_mpi(place); !alone) {
    return alone;
  }
  Result<StreamedInput> input =
      open_streamed_input(settings, {{"-o", settings.output_path}}, console);
  if (!input) {
    return input.error();
  }
  const ExperimentFeed feed = input->feed.read ? input->feed : whole_feed(input->loaded.dataset);
  if (!settings.options.metrics.empty()) {
    auto coverage = feed_coverage(feed, settings);
    if (!coverage) {
      return coverage.error();
    }
    if (auto answered = refuse_unanswered_metrics(*coverage, settings, input->loaded.source_name);
        !answered) {
      return answered;
    }
  }
  const stats::ThreadLimit thread_limit(run_info(settings).threads);
  if (auto written = stream_analysis(feed, settings, place, console); !written) {
    return written;
  }
  return place.rank == 0 ? report_unreadable(input->loaded, console) : Result<void>();
}

} // namespace reckon::app
