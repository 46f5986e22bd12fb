#include "reckon/analysis/conversion.hpp"

#include "reckon/stats/beta.hpp"
#include "reckon/stats/monte_carlo.hpp"
#include "reckon/stats/parallel.hpp"
#include "reckon/stats/srm.hpp"
#include "reckon/util/number_format.hpp"
#include "reckon/util/stable_hash.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace reckon::analysis {
namespace {

std::string describe_prior(const stats::BetaPrior& prior) {
  return "Beta(" + util::format_round_trip(prior.alpha) + ", " +
         util::format_round_trip(prior.beta) + ")";
}

std::optional<double> observed_rate(const model::ArmCounts& arm) {
  if (arm.visitors == 0) {
    return std::nullopt;
  }
  return static_cast<double>(arm.conversions) / static_cast<double>(arm.visitors);
}

std::optional<double> ratio_minus_one(std::optional<double> numerator,
                                      std::optional<double> denominator) {
  if (!numerator || !denominator || *denominator <= 0.0) {
    return std::nullopt;
  }
  return *numerator / *denominator - 1.0;
}

std::vector<CellResult> analyze_cell(const model::Experiment& experiment,
                                     const model::CountsCell& cell, std::size_t control,
                                     const AnalysisOptions& options) {
  std::vector<stats::BetaParams> posteriors;
  posteriors.reserve(cell.arms.size());
  for (const model::ArmCounts& arm : cell.arms) {
    posteriors.push_back(stats::beta_posterior(options.prior, arm.conversions, arm.visitors));
  }
  const std::uint64_t stream =
      util::stable_hash({experiment.id, cell.slice.segment_type, cell.slice.segment,
                         cell.slice.date, k_conversion_rate});
  const std::vector<stats::ArmSummary> summaries =
      stats::compare_beta_arms(posteriors, control, options.sampling, stream);

  const std::optional<double> control_rate = observed_rate(cell.arms[control]);
  const std::string draws_note = "Monte Carlo: " + std::to_string(options.sampling.draws) +
                                 " joint draws from independent Beta posteriors, prior " +
                                 describe_prior(options.prior);

  std::vector<CellResult> results;
  results.reserve(cell.arms.size());
  for (std::size_t i = 0; i < cell.arms.size(); ++i) {
    const model::ArmCounts& arm = cell.arms[i];
    const stats::ArmSummary& summary = summaries[i];
    CellResult result;
    result.slice = cell.slice;
    result.metric = k_conversion_rate;
    result.variation_id = arm.variation_id;
    result.is_control = i == control;
    result.n_visitors = arm.visitors;
    result.n_orders = arm.conversions;
    result.model = "beta_binomial";
    result.assumptions.push_back(draws_note);

    result.value = observed_rate(arm);
    if (!result.value) {
      result.assumptions.push_back("value: no visitors, so no observed rate; the posterior is "
                                   "the prior");
    }
    result.ci_low = summary.credible.low;
    result.ci_high = summary.credible.high;
    result.prob_best = summary.prob_best.value;
    result.prob_best_se = summary.prob_best.standard_error;
    result.expected_loss = summary.expected_loss;
    if (!summary.expected_loss) {
      result.assumptions.push_back(
          "expected_loss: not finite, the control's rate has too much posterior mass near zero");
    }
    if (!result.is_control) {
      result.prob_beat_control = summary.prob_beat_control->value;
      result.prob_beat_control_se = summary.prob_beat_control->standard_error;
      UpliftEstimate uplift;
      uplift.value = ratio_minus_one(result.value, control_rate);
      if (!uplift.value) {
        result.assumptions.push_back("uplift.value: the control has no observed conversions");
      }
      if (summary.uplift) {
        uplift.ci_low = summary.uplift->low;
        uplift.ci_high = summary.uplift->high;
      } else {
        result.assumptions.push_back("uplift interval: not finite, the control's rate has too much "
                                     "posterior mass near zero");
      }
      result.uplift = uplift;
    }
    results.push_back(std::move(result));
  }
  return results;
}

std::optional<SampleRatioCheck> check_sample_ratio(const model::Experiment& experiment) {
  const model::CountsCell* overall = nullptr;
  for (const model::CountsCell& cell : experiment.cells) {
    if (cell.slice.is_overall()) {
      overall = &cell;
    }
  }
  if (overall == nullptr) {
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

} // namespace

Results analyze_conversion(const model::Dataset& dataset, const AnalysisOptions& options) {
  struct Job {
    std::size_t experiment;
    std::size_t cell;
  };
  std::vector<Job> jobs;
  for (std::size_t e = 0; e < dataset.experiments.size(); ++e) {
    for (std::size_t c = 0; c < dataset.experiments[e].cells.size(); ++c) {
      jobs.push_back({e, c});
    }
  }

  // Each job writes only its own slot, so the assembled results do not depend on scheduling.
  std::vector<std::vector<CellResult>> slots(jobs.size());
  stats::parallel_for(jobs.size(), [&](std::size_t j) {
    const model::Experiment& experiment = dataset.experiments[jobs[j].experiment];
    slots[j] = analyze_cell(experiment, experiment.cells[jobs[j].cell], experiment.control_index(),
                            options);
  });

  Results results;
  results.options = options;
  for (const model::Experiment& experiment : dataset.experiments) {
    ExperimentResult out;
    out.id = experiment.id;
    out.name = experiment.name;
    out.status = experiment.status;
    out.source = experiment.source;
    out.runtime_days = experiment.runtime_days();
    out.variations = experiment.variations;
    out.srm = check_sample_ratio(experiment);
    results.experiments.push_back(std::move(out));
  }
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    std::vector<CellResult>& cells = results.experiments[jobs[j].experiment].cells;
    for (CellResult& cell : slots[j]) {
      cells.push_back(std::move(cell));
    }
  }
  return results;
}

} // namespace reckon::analysis
