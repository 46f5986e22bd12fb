#include "run_notes.hpp"
#include "analysis_run.hpp"
#include "progress.hpp"

#include "reckon/util/number_format.hpp"

namespace reckon::app {

std::string Stopwatch::lap() {
  const auto now = std::chrono::steady_clock::now();
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_last);
  m_last = now;
  return format_duration(took);
}

void note_input(const LoadedDataset& input, const std::string& took, const Console& console) {
  std::size_t variations = 0;
  std::uint64_t rows = 0; // one per variation of each slice, as a counts CSV has them
  for (const model::Experiment& experiment : input.dataset.experiments) {
    variations += experiment.variations.size();
    for (const model::CountsCell& cell : experiment.cells) {
      rows += cell.arms.size();
    }
  }
  const std::size_t experiments = input.dataset.experiments.size();
  console.detail("read " + input.source_name + ": " + util::format_count(experiments) +
                 (experiments == 1 ? " experiment, " : " experiments, ") +
                 util::format_count(variations) + " variations, " + util::format_count(rows) +
                 " rows of counts (" + took + ")");
}

void note_options(const AnalysisSettings& settings, const Console& console) {
  const analysis::AnalysisOptions& options = settings.options;
  std::string metrics;
  for (const std::string& metric : options.metrics) {
    metrics += (metrics.empty() ? "" : ", ") + metric;
  }
  std::string models;
  for (const auto& [metric, route] : options.routes) {
    models += ", " + metric + " " +
              (route == analysis::ModelRoute::normal_delta ? "normal_delta" : "bayesian");
  }
  console.detail("options: draws " + util::format_count(options.sampling.draws) + ", seed " +
                 std::to_string(options.sampling.seed) + ", threads " +
                 std::to_string(run_info(settings).threads) + ", level " +
                 util::format_round_trip(options.sampling.level) + ", prior Beta(" +
                 util::format_round_trip(options.prior.alpha) + ", " +
                 util::format_round_trip(options.prior.beta) + "), metrics " +
                 (metrics.empty() ? "all the data support" : metrics) +
                 (options.exact ? "" : ", Monte Carlo only") + models);
}

} // namespace reckon::app
