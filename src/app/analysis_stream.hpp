#pragma once

#include "settings.hpp"

#include "reckon/analysis/results.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/util/result.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace reckon::app {

// The experiments an analysis works through one at a time, so that memory holds the
// experiments in flight rather than the account: `read(i)` gives the i-th in output order,
// from memory or from its file, as often as asked.
struct ExperimentFeed {
  std::size_t count = 0;
  std::function<util::Result<model::Experiment>(std::size_t)> read;
};

// The experiments of a dataset held whole (a store, an interleaved counts CSV, the demo).
ExperimentFeed whole_feed(const model::Dataset& dataset);

// The metrics each experiment of `feed` re-analyses and why not the others, in order: for
// refuse_unanswered_metrics before any result is written.
util::Result<std::vector<analysis::MetricCoverage>> feed_coverage(const ExperimentFeed& feed,
                                                                  const AnalysisSettings& settings);

// The results of the feed's i-th experiment, analysed alone: its cells' random streams are
// keyed by experiment, slice and metric, so alone or among others it gets the same numbers.
util::Result<analysis::ExperimentResult>
analyze_experiment(const ExperimentFeed& feed, std::size_t index, const AnalysisSettings& settings);

} // namespace reckon::app
