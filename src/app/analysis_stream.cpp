#include "analysis_stream.hpp"

#include "reckon/analysis/analyze.hpp"

#include <utility>

namespace reckon::app {

ExperimentFeed whole_feed(const model::Dataset& dataset) {
  return {dataset.experiments.size(), [&dataset](std::size_t i) -> util::Result<model::Experiment> {
            return dataset.experiments[i];
          }};
}

util::Result<std::vector<analysis::MetricCoverage>>
feed_coverage(const ExperimentFeed& feed, const AnalysisSettings& settings) {
  std::vector<analysis::MetricCoverage> coverage;
  for (std::size_t i = 0; i < feed.count; ++i) {
    util::Result<model::Experiment> experiment = feed.read(i);
    if (!experiment) {
      return experiment.error();
    }
    for (analysis::MetricCoverage& metric :
         analysis::metric_coverage(*experiment, settings.options)) {
      coverage.push_back(std::move(metric));
    }
  }
  return coverage;
}

util::Result<analysis::ExperimentResult> analyze_experiment(const ExperimentFeed& feed,
                                                            std::size_t index,
                                                            const AnalysisSettings& settings) {
  util::Result<model::Experiment> experiment = feed.read(index);
  if (!experiment) {
    return experiment.error();
  }
  model::Dataset alone;
  alone.experiments.push_back(std::move(*experiment));
  analysis::Results results = analysis::analyze_counts(alone, settings.options);
  return std::move(results.experiments.front());
}

} // namespace reckon::app
