#include "analysis_run.hpp"

#include "reckon/analysis/analyze.hpp"
#include "reckon/stats/parallel.hpp"
#include "reckon/util/file.hpp"

#include <algorithm>
#include <thread>

#ifndef RECKON_VERSION
#error "RECKON_VERSION must be defined by the build"
#endif

namespace reckon::app {
namespace {

std::size_t effective_threads(std::size_t requested) {
  return requested != 0 ? requested : std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

} // namespace

analysis::Results analyze_dataset(const model::Dataset& dataset, const AnalysisSettings& settings) {
  const stats::ThreadLimit thread_limit(effective_threads(settings.threads));
  return analysis::analyze_counts(dataset, settings.options);
}

report::RunInfo run_info(const AnalysisSettings& settings) {
  return {RECKON_VERSION, effective_threads(settings.threads)};
}

util::Result<void> write_output(const std::string& text, const AnalysisSettings& settings,
                                const Console& console) {
  if (settings.output_path.empty()) {
    console.out << text;
    return {};
  }
  return util::write_file_atomically(settings.output_path, text);
}

} // namespace reckon::app
