#include "reckon/stats/comparison.hpp"

#include "reckon/stats/exact.hpp"

#include "exact_answers.hpp"

#include <cmath>
#include <variant>

namespace reckon::stats {
namespace {

ArmAnswer answer_of(const ArmSummary& summary) {
  ArmAnswer answer;
  answer.credible = IntervalEstimate{summary.credible, summary.credible_se};
  answer.prob_best = Estimate{summary.prob_best.value, summary.prob_best.standard_error};
  if (summary.prob_beat_control) {
    answer.prob_beat_control =
        Estimate{summary.prob_beat_control->value, summary.prob_beat_control->standard_error};
  }
  if (summary.uplift) {
    answer.uplift = IntervalEstimate{*summary.uplift, summary.uplift_se};
  }
  if (summary.expected_loss) {
    answer.expected_loss = Estimate{*summary.expected_loss, summary.expected_loss_se};
  }
  return answer;
}

// The q-quantile of N draws has standard error sqrt(q (1 - q) / N) / f(x_q) asymptotically;
// a Beta's density is known, so the bounds need no estimate from the draws' spacing.
void use_density_errors(std::span<const BetaParams> betas, const SamplingPlan& plan,
                        std::vector<ArmAnswer>& arms) {
  const double tail = (1.0 - plan.level) / 2.0;
  const double spread = std::sqrt(tail * (1.0 - tail) / static_cast<double>(plan.draws));
  for (std::size_t i = 0; i < arms.size(); ++i) {
    IntervalEstimate& credible = arms[i].credible;
    const double low_density = beta_pdf(betas[i], credible.value.low);
    const double high_density = beta_pdf(betas[i], credible.value.high);
    if (low_density > 0.0 && high_density > 0.0 && std::isfinite(low_density) &&
        std::isfinite(high_density)) {
      credible.standard_error = Interval{spread / low_density, spread / high_density};
    }
  }
}

} // namespace

Comparison compare(std::span<const ArmPosterior> arms, std::size_t control,
                   const SamplingPlan& plan, std::uint64_t stream, Direction direction,
                   Answers answers) {
  Comparison comparison;
  if (answers == Answers::exact_where_known) {
    if (std::optional<detail::ExactCell> exact =
            detail::answer_exactly(arms, control, plan.level, direction)) {
      comparison.arms = std::move(exact->arms);
      comparison.exact = true;
      comparison.loss_by_monte_carlo = exact->loss_by_monte_carlo;
      comparison.uplift_by_monte_carlo = exact->uplift_by_monte_carlo;
      if (exact->loss_by_monte_carlo || exact->uplift_by_monte_carlo) {
        const std::vector<ArmSummary> sampled =
            compare_arms(arms, control, plan, stream, direction);
        for (std::size_t i = 0; i < arms.size(); ++i) {
          const ArmAnswer drawn = answer_of(sampled[i]);
          if (exact->loss_by_monte_carlo) {
            comparison.arms[i].expected_loss = drawn.expected_loss;
          }
          if (exact->uplift_by_monte_carlo) {
            comparison.arms[i].uplift = drawn.uplift;
          }
        }
      }
      return comparison;
    }
  }
  for (const ArmSummary& summary : compare_arms(arms, control, plan, stream, direction)) {
    comparison.arms.push_back(answer_of(summary));
  }
  std::vector<BetaParams> betas;
  for (const ArmPosterior& arm : arms) {
    if (const BetaParams* beta = std::get_if<BetaParams>(&arm)) {
      betas.push_back(*beta);
    }
  }
  if (betas.size() == arms.size()) {
    use_density_errors(betas, plan, comparison.arms);
  }
  return comparison;
}

} // namespace reckon::stats
