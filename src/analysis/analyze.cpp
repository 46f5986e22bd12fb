#include "reckon/analysis/analyze.hpp"

#include "cell_analysis.hpp"

#include "reckon/stats/parallel.hpp"
#include "reckon/stats/srm.hpp"

#include <algorithm>

namespace reckon::analysis {
namespace {

bool has_profit(const model::Dataset& dataset) {
  for (const model::Experiment& experiment : dataset.experiments) {
    for (const model::CountsCell& cell : experiment.cells) {
      for (const model::ArmCounts& arm : cell.arms) {
        if (arm.profit) {
          return true;
        }
      }
    }
  }
  return false;
}

// The metrics asked for, or every metric the data can speak to: profit metrics only where
// some row carries profit.
std::vector<MetricDefinition> chosen_metrics(const AnalysisOptions& options,
                                             const model::Dataset& dataset) {
  const bool profit_known = has_profit(dataset);
  std::vector<MetricDefinition> chosen;
  for (const MetricDefinition& metric : counts_metrics()) {
    const bool asked = std::find(options.metrics.begin(), options.metrics.end(), metric.name) !=
                       options.metrics.end();
    const bool available = metric.amount != Amount::profit || profit_known;
    if (options.metrics.empty() ? available : asked) {
      chosen.push_back(metric);
    }
  }
  return chosen;
}

std::optional<SampleRatioCheck> check_sample_ratio(const model::Experiment& experiment) {
  const auto overall =
      std::find_if(experiment.cells.begin(), experiment.cells.end(),
                   [](const model::CountsCell& c) { return c.slice.is_overall(); });
  if (overall == experiment.cells.end()) {
    return std::nullopt;
  }
  std::vector<std::uint64_t> visitors;
  std::vector<double> allocation;
  bool assumed_equal = false;
  for (std::size_t i = 0; i < experiment.variations.size(); ++i) {
    visitors.push_back(overall->arms[i].visitors);
    const std::optional<double>& share = experiment.variations[i].allocation;
    assumed_equal = assumed_equal || !share;
    allocation.push_back(share.value_or(1.0));
  }
  if (assumed_equal) {
    allocation.assign(allocation.size(), 1.0);
  }
  const std::optional<stats::SampleRatioTest> test = stats::sample_ratio_test(visitors, allocation);
  if (!test) {
    return std::nullopt;
  }
  return SampleRatioCheck{test->chi2, test->p_value, test->flagged, assumed_equal};
}

ExperimentResult describe(const model::Experiment& experiment) {
  ExperimentResult out;
  out.id = experiment.id;
  out.name = experiment.name;
  out.status = experiment.status;
  out.source = experiment.source;
  out.runtime_days = experiment.runtime_days();
  out.variations = experiment.variations;
  out.srm = check_sample_ratio(experiment);
  return out;
}

} // namespace

Results analyze_counts(const model::Dataset& dataset, const AnalysisOptions& options) {
  const std::vector<MetricDefinition> metrics = chosen_metrics(options, dataset);
  struct Job {
    std::size_t experiment;
    detail::CellTask task;
  };
  std::vector<Job> jobs;
  for (std::size_t e = 0; e < dataset.experiments.size(); ++e) {
    const model::Experiment& experiment = dataset.experiments[e];
    for (const model::CountsCell& cell : experiment.cells) {
      for (const MetricDefinition& metric : metrics) {
        jobs.push_back({e, {&experiment, &cell, metric}});
      }
    }
  }

  // Each job writes only its own slot, so the assembled results do not depend on scheduling.
  std::vector<std::vector<CellResult>> slots(jobs.size());
  stats::parallel_for(
      jobs.size(), [&](std::size_t j) { slots[j] = detail::analyze_cell(jobs[j].task, options); });

  Results results;
  results.options = options;
  for (const model::Experiment& experiment : dataset.experiments) {
    results.experiments.push_back(describe(experiment));
  }
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    std::vector<CellResult>& cells = results.experiments[jobs[j].experiment].cells;
    std::move(slots[j].begin(), slots[j].end(), std::back_inserter(cells));
  }
  return results;
}

} // namespace reckon::analysis
