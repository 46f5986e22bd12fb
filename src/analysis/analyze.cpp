#include "reckon/analysis/analyze.hpp"

#include "cell_analysis.hpp"

#include "reckon/analysis/verdict.hpp"

#include "reckon/stats/parallel.hpp"
#include "reckon/stats/srm.hpp"

#include <algorithm>

namespace reckon::analysis {
namespace {

bool asked_for(const AnalysisOptions& options, std::string_view name) {
  return options.metrics.empty() ||
         std::find(options.metrics.begin(), options.metrics.end(), name) != options.metrics.end();
}

bool has_reported(const model::CountsCell& cell) {
  return !cell.arms.empty() && !cell.arms.front().reported.empty();
}

// Whether the source reported the metric in this cell with something to compare.
bool reports(const model::CountsCell& cell, std::string_view name) {
  return std::any_of(cell.arms.begin(), cell.arms.end(), [&](const model::ArmCounts& arm) {
    const model::ReportedMetric* reported = detail::find_reported(arm, name);
    return reported != nullptr && !reported->whole_null;
  });
}

struct ExperimentMetrics {
  std::vector<MetricDefinition> analysed;
  std::vector<MetricCoverage> coverage;
};

// From a counts CSV: the metrics counts can answer, profit ones only where profit is known.
// From an API: every metric the source reported that has a model; the others are listed with
// the reason they were not re-analysed.
ExperimentMetrics choose_metrics(const model::Experiment& experiment,
                                 const AnalysisOptions& options) {
  ExperimentMetrics chosen;
  std::vector<std::string_view> reported_names;
  bool profit_known = false;
  bool any_reported = false;
  for (const model::CountsCell& cell : experiment.cells) {
    any_reported = any_reported || has_reported(cell);
    for (const model::ArmCounts& arm : cell.arms) {
      profit_known = profit_known || arm.profit.has_value();
      for (const model::ReportedMetric& metric : arm.reported) {
        if (std::find(reported_names.begin(), reported_names.end(), metric.name) ==
            reported_names.end()) {
          reported_names.push_back(metric.name);
        }
      }
    }
  }
  if (!any_reported) {
    for (const MetricDefinition& metric : metric_catalogue()) {
      if (!asked_for(options, metric.name)) {
        continue;
      }
      const std::string reason = !analysable_from_counts(metric) ? "counts hold no data for it"
                                 : metric.amount == Amount::profit && !profit_known
                                     ? "the data have no profit column"
                                 : metric.amount == Amount::revenue && !experiment.revenue_known
                                     ? "the data have no revenue column"
                                     : "";
      if (reason.empty()) {
        chosen.analysed.push_back(metric);
        chosen.coverage.push_back({std::string(metric.name), true, {}});
      } else if (!options.metrics.empty() || metric.amount == Amount::revenue) {
        // Listed when asked for by name, and revenue always: its absence is news.
        chosen.coverage.push_back({std::string(metric.name), false, reason});
      }
    }
    return chosen;
  }
  for (const std::string_view name : reported_names) {
    const std::optional<MetricDefinition> metric = find_metric(name);
    const bool ever_reported =
        std::any_of(experiment.cells.begin(), experiment.cells.end(),
                    [&](const model::CountsCell& cell) { return reports(cell, name); });
    std::string reason;
    if (!metric) {
      reason = "no model: a metric Reckon does not know";
    } else if (!metric->modelled()) {
      reason = "no model: " + std::string(metric->no_model_reason);
    } else if (!ever_reported) {
      reason = "the source reported it as null everywhere (for profit: costs not configured)";
    } else if (!asked_for(options, name)) {
      reason = "not asked for (--metric)";
    }
    if (reason.empty()) {
      chosen.analysed.push_back(*metric);
    }
    chosen.coverage.push_back({std::string(name), reason.empty(), std::move(reason)});
  }
  return chosen;
}

std::optional<SampleRatioCheck> check_sample_ratio(const model::Experiment& experiment) {
  const auto overall =
      std::find_if(experiment.cells.begin(), experiment.cells.end(),
                   [](const model::CountsCell& c) { return c.slice.is_overall(); });
  if (overall == experiment.cells.end() || experiment.adaptive_allocation) {
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

// The cell whose reported order-value spread cells without an interval borrow: the source's
// overall, also when the overall analysed is a sum of some days.
const model::CountsCell* spread_source(const model::Experiment& experiment) {
  if (experiment.rebuilt_window && experiment.rebuilt_window->source_overall) {
    return &*experiment.rebuilt_window->source_overall;
  }
  const auto overall =
      std::find_if(experiment.cells.begin(), experiment.cells.end(),
                   [](const model::CountsCell& cell) { return cell.slice.is_overall(); });
  return overall == experiment.cells.end() ? nullptr : &*overall;
}

ExperimentResult describe(const model::Experiment& experiment) {
  ExperimentResult out;
  out.id = experiment.id;
  out.name = experiment.name;
  out.status = experiment.status;
  out.source = experiment.source;
  out.currency = experiment.currency;
  out.runtime_days = experiment.runtime_days();
  out.variations = experiment.variations;
  out.srm = check_sample_ratio(experiment);
  out.adaptive_allocation = experiment.adaptive_allocation;
  out.notes = experiment.source_notes;
  return out;
}

} // namespace

Results analyze_counts(const model::Dataset& dataset, const AnalysisOptions& options) {
  struct Job {
    std::size_t experiment;
    detail::CellTask task;
  };
  std::vector<Job> jobs;
  Results results;
  results.options = options;
  for (std::size_t e = 0; e < dataset.experiments.size(); ++e) {
    const model::Experiment& experiment = dataset.experiments[e];
    ExperimentMetrics metrics = choose_metrics(experiment, options);
    const model::CountsCell* spreads = spread_source(experiment);
    for (const model::CountsCell& cell : experiment.cells) {
      const model::CountsCell* parent = &cell == spreads ? nullptr : spreads;
      for (const MetricDefinition& metric : metrics.analysed) {
        // A cell of API data answers only the metrics its response reported.
        if (!has_reported(cell) || reports(cell, metric.name)) {
          jobs.push_back({e, {&experiment, &cell, metric, parent}});
        }
      }
    }
    results.experiments.push_back(describe(experiment));
    results.experiments.back().metrics = std::move(metrics.coverage);
  }

  // Each job writes only its own slot, so the assembled results do not depend on scheduling.
  std::vector<std::vector<CellResult>> slots(jobs.size());
  stats::parallel_for(
      jobs.size(), [&](std::size_t j) { slots[j] = detail::analyze_cell(jobs[j].task, options); });

  for (std::size_t j = 0; j < jobs.size(); ++j) {
    std::vector<CellResult>& cells = results.experiments[jobs[j].experiment].cells;
    std::move(slots[j].begin(), slots[j].end(), std::back_inserter(cells));
  }
  for (std::size_t e = 0; e < dataset.experiments.size(); ++e) {
    results.experiments[e].verdict =
        decide_test(dataset.experiments[e], results.experiments[e], options);
  }
  return results;
}

std::vector<MetricCoverage> metric_coverage(const model::Experiment& experiment,
                                            const AnalysisOptions& options) {
  return choose_metrics(experiment, options).coverage;
}

} // namespace reckon::analysis
