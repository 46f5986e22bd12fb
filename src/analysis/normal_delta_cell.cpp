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
  }

  const double z = stats::normal_two_sided_z(options.sampling.level);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const double sd = std::sqrt(estimates[i].variance);
    results[i].ci_low = estimates[i].mean - z * sd;
    results[i].ci_high = estimates[i].mean + z * sd;
  }
  const std::optional<std::vector<stats::GaussianArm>> arms = stats::compare_gaussian_arms(
      estimates, task.control(), options.sampling.level, task.metric.direction);
  if (!arms) {
    note_all(results, "p2bc, p2bb, uplift interval and expected loss: undefined for a control "
                      "mean of 0");
    return;
  }
  note_all(results, "Normal posterior of each arm's mean (delta method, flat prior); the "
                    "variants' relative lifts jointly Normal, correlated through the shared "
                    "control; p2bc, uplift interval, p2bb and expected loss from that model in "
                    "closed form (two arms) or by quadrature");
  for (std::size_t i = 0; i < results.size(); ++i) {
    CellResult& result = results[i];
    const stats::GaussianArm& arm = (*arms)[i];
    result.prob_best = arm.prob_best;
    result.expected_loss = arm.expected_loss;
    if (arm.effect) {
      result.prob_beat_control = arm.effect->chance_to_win;
      result.uplift->ci_low = arm.effect->credible.low;
      result.uplift->ci_high = arm.effect->credible.high;
    }
  }
}

} // namespace reckon::analysis::detail
