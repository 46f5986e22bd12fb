#include "cell_analysis.hpp"

#include "reckon/stats/gaussian_effect.hpp"

#include <cmath>

namespace reckon::analysis::detail {
namespace {

// The arm's mean and the variance of that mean, as gbstats would form them from counts.
std::optional<stats::MeanEstimate> mean_estimate(const MetricDefinition& metric,
                                                 const model::ArmCounts& arm) {
  if (metric.kind == MetricKind::rate_over_visitors) {
    const std::optional<std::uint64_t> count = successes(metric, arm).count;
    if (!count || *count > arm.visitors) {
      return std::nullopt;
    }
    return stats::proportion_estimate(*count, arm.visitors);
  }
  const AmountSums sums = amount_sums(metric.amount, arm);
  if (!sums.sum || !sums.sum_sq) {
    return std::nullopt;
  }
  // Per visitor, one order per converting visitor: the per-visitor values are the orders'
  // amounts and zeros, so the orders' sums are the visitors' sums.
  const std::uint64_t units =
      metric.kind == MetricKind::value_per_order ? arm.conversions : arm.visitors;
  return stats::sample_mean_estimate(units, *sums.sum, *sums.sum_sq);
}

} // namespace

void analyze_normal_delta(const CellTask& task, const AnalysisOptions& options,
                          std::vector<CellResult>& results) {
  std::vector<stats::MeanEstimate> estimates;
  std::vector<stats::ArmPosterior> posteriors;
  for (std::size_t i = 0; i < task.cell->arms.size(); ++i) {
    results[i].model = "normal_delta";
    const std::optional<stats::MeanEstimate> estimate =
        mean_estimate(task.metric, task.cell->arms[i]);
    if (!estimate || estimate->variance <= 0.0) {
      note_all(results, "not re-analysed: variation " + task.cell->arms[i].variation_id +
                            " has no mean with a positive variance (values need their sums of "
                            "squares)");
      return;
    }
    estimates.push_back(*estimate);
    posteriors.push_back(stats::NormalParams{estimate->mean, std::sqrt(estimate->variance)});
  }

  // Probability to be best and expected loss over k arms have no closed form: Monte Carlo
  // over the arms' Normal posteriors, as gbstats does for bandits.
  const std::size_t control = task.control();
  const std::vector<stats::ArmSummary> summaries = stats::compare_arms(
      posteriors, control, options.sampling, task.stream(), task.metric.direction);
  const double z = stats::normal_two_sided_z(options.sampling.level);
  stats::EffectOptions effect_options;
  effect_options.level = options.sampling.level;
  effect_options.direction = task.metric.direction;
  note_all(results, "Normal posterior of each arm's mean (delta method, flat prior); p2bc and "
                    "the uplift interval in closed form; p2bb and expected loss by Monte Carlo "
                    "over the arms' Normal posteriors");

  for (std::size_t i = 0; i < results.size(); ++i) {
    CellResult& result = results[i];
    const double sd = std::sqrt(estimates[i].variance);
    result.ci_low = estimates[i].mean - z * sd;
    result.ci_high = estimates[i].mean + z * sd;
    result.prob_best = summaries[i].prob_best.value;
    result.prob_best_se = summaries[i].prob_best.standard_error;
    result.expected_loss = summaries[i].expected_loss;
    result.expected_loss_se = summaries[i].expected_loss_se;
    if (i == control) {
      continue;
    }
    const std::optional<stats::GaussianEffect> effect =
        stats::gaussian_effect(estimates[control], estimates[i], effect_options);
    if (!effect) {
      result.assumptions.push_back("p2bc and uplift interval: undefined for a control mean of 0");
      continue;
    }
    result.prob_beat_control = effect->chance_to_win;
    result.uplift->ci_low = effect->credible.low;
    result.uplift->ci_high = effect->credible.high;
  }
}

} // namespace reckon::analysis::detail
