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

void InputSize::add(const model::Experiment& experiment) {
  ++experiments;
  variations += experiment.variations.size();
  for (const model::CountsCell& cell : experiment.cells) {
    rows += cell.arms.size();
  }
}

void note_input(const LoadedDataset& input, const std::string& took, const Console& console) {
  InputSize size;
  for (const model::Experiment& experiment : input.dataset.experiments) {
    size.add(experiment);
  }
  note_input(input.source_name, size, took, console);
}

void note_input(const std::string& source_name, const InputSize& size, const std::string& took,
                const Console& console) {
  const std::size_t experiments = size.experiments;
  console.detail("read " + source_name + ": " + util::format_count(experiments) +
                 (experiments == 1 ? " experiment, " : " experiments, ") +
                 util::format_count(size.variations) + " variations, " +
                 util::format_count(size.rows) + " rows of counts (" + took + ")");
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
