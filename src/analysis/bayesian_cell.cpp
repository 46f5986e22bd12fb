#include "cell_analysis.hpp"

#include "reckon/stats/beta.hpp"
#include "reckon/stats/exact.hpp"
#include "reckon/util/number_format.hpp"

#include <cmath>

namespace reckon::analysis::detail {
namespace {

std::string describe_sampling(const AnalysisOptions& options) {
  return "Monte Carlo: " + std::to_string(options.sampling.draws) +
         " joint draws of independent posteriors";
}

// p2bc, p2bb and the interval of a Beta-Binomial cell in closed form or by quadrature: no
// Monte Carlo error, so their standard errors are dropped.
void apply_exact(const CellTask& task, const AnalysisOptions& options,
                 const std::vector<stats::BetaParams>& posteriors,
                 std::vector<CellResult>& results) {
  const std::size_t control = task.control();
  const bool lower_is_better = task.metric.direction == stats::Direction::lower_is_better;
  std::vector<double> best = stats::prob_best(posteriors);
  if (lower_is_better) {
    // The smallest of k Betas is the largest of their mirror images, Beta(beta, alpha).
    std::vector<stats::BetaParams> mirrored;
    for (const stats::BetaParams& p : posteriors) {
      mirrored.push_back({p.beta, p.alpha});
    }
    best = stats::prob_best(mirrored);
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    CellResult& result = results[i];
    const stats::Interval interval =
        stats::beta_credible_interval(posteriors[i], options.sampling.level);
    result.ci_low = interval.low;
    result.ci_high = interval.high;
    result.ci_se.reset();
    result.prob_best = best[i];
    result.prob_best_se.reset();
    if (i != control) {
      const double greater = stats::prob_greater(posteriors[i], posteriors[control]);
      result.prob_beat_control = lower_is_better ? 1.0 - greater : greater;
      result.prob_beat_control_se.reset();
    }
    result.assumptions.push_back("exact: p2bb by quadrature, p2bc in closed form, interval by "
                                 "the inverse incomplete beta; uplift interval and expected "
                                 "loss by Monte Carlo");
  }
}

// A Beta posterior's density is known, so the Monte Carlo error of an interval bound needs no
// estimate from the draws' spacing: the q-quantile of N draws has standard error
// sqrt(q (1 - q) / N) / f(x_q) (asymptotically). The spacing estimate scatters by about 10%,
// which the drift rule would pass on to every rate's tolerance.
void use_exact_quantile_errors(const AnalysisOptions& options,
                               const std::vector<stats::BetaParams>& posteriors,
                               std::vector<CellResult>& results) {
  const double tail = (1.0 - options.sampling.level) / 2.0;
  const double spread =
      std::sqrt(tail * (1.0 - tail) / static_cast<double>(options.sampling.draws));
  for (std::size_t i = 0; i < results.size(); ++i) {
    CellResult& result = results[i];
    if (!result.ci_low || !result.ci_high) {
      continue;
    }
    const double low_density = stats::beta_pdf(posteriors[i], *result.ci_low);
    const double high_density = stats::beta_pdf(posteriors[i], *result.ci_high);
    if (low_density > 0.0 && high_density > 0.0 && std::isfinite(low_density) &&
        std::isfinite(high_density)) {
      result.ci_se = stats::Interval{spread / low_density, spread / high_density};
    }
  }
}

} // namespace

ArmPosteriorChoice bayesian_posterior(const MetricDefinition& metric, const model::ArmCounts& arm,
                                      const model::ArmCounts* parent,
                                      const stats::BetaPrior& prior) {
  ArmPosteriorChoice choice;
  if (metric.kind == MetricKind::rate_over_visitors) {
    const Successes count = successes(metric, arm);
    if (!count.count || *count.count > arm.visitors) {
      choice.notes.push_back(std::string(metric.name) + ": the count of " +
                             std::string(metric.count_field) + " is unknown or above visitors");
      return choice;
    }
    choice.posterior = stats::beta_posterior(prior, *count.count, arm.visitors);
    choice.model = "beta_binomial";
    choice.notes.push_back("prior Beta(" + util::format_round_trip(prior.alpha) + ", " +
                           util::format_round_trip(prior.beta) + ")");
    if (!count.note.empty()) {
      choice.notes.push_back(count.note);
    }
    return choice;
  }
  const stats::BetaParams rate = stats::beta_posterior(prior, arm.conversions, arm.visitors);
  PerOrderPosterior per_order = per_order_posterior(metric, arm, parent);
  choice.notes = std::move(per_order.notes);
  if (!per_order.posterior) {
    return choice;
  }
  if (metric.kind == MetricKind::value_per_order) {
    choice.posterior =
        std::visit([](const auto& p) { return stats::ArmPosterior(p); }, *per_order.posterior);
    choice.model = per_order.model;
    return choice;
  }
  choice.posterior = stats::RateTimesValue{rate, *per_order.posterior};
  choice.model = "conversion_x_" + per_order.model;
  choice.notes.push_back("one order per converting visitor (orders = conversions)");
  return choice;
}

void analyze_bayesian(const CellTask& task, const AnalysisOptions& options,
                      std::vector<CellResult>& results) {
  std::vector<stats::ArmPosterior> posteriors;
  for (std::size_t i = 0; i < task.cell->arms.size(); ++i) {
    const model::ArmCounts* parent = task.parent != nullptr ? &task.parent->arms[i] : nullptr;
    ArmPosteriorChoice choice =
        bayesian_posterior(task.metric, task.cell->arms[i], parent, options.prior);
    for (std::string& note : choice.notes) {
      results[i].assumptions.push_back(std::move(note));
    }
    results[i].model = choice.model;
    if (!choice.posterior) {
      note_all(results, "not re-analysed: variation " + task.cell->arms[i].variation_id +
                            " has no posterior for " + std::string(task.metric.name));
      return;
    }
    posteriors.push_back(*choice.posterior);
  }

  const std::size_t control = task.control();
  const std::vector<stats::ArmSummary> summaries = stats::compare_arms(
      posteriors, control, options.sampling, task.stream(), task.metric.direction);
  note_all(results, describe_sampling(options));
  for (std::size_t i = 0; i < results.size(); ++i) {
    CellResult& result = results[i];
    const stats::ArmSummary& summary = summaries[i];
    result.ci_low = summary.credible.low;
    result.ci_high = summary.credible.high;
    result.ci_se = summary.credible_se;
    result.prob_best = summary.prob_best.value;
    result.prob_best_se = summary.prob_best.standard_error;
    result.expected_loss = summary.expected_loss;
    result.expected_loss_se = summary.expected_loss_se;
    if (!summary.expected_loss) {
      result.assumptions.push_back("expected_loss: not finite, the control's value has too "
                                   "much posterior mass near zero");
    }
    if (i == control) {
      continue;
    }
    result.prob_beat_control = summary.prob_beat_control->value;
    result.prob_beat_control_se = summary.prob_beat_control->standard_error;
    if (summary.uplift) {
      result.uplift->ci_low = summary.uplift->low;
      result.uplift->ci_high = summary.uplift->high;
      result.uplift_ci_se = summary.uplift_se;
    } else {
      result.assumptions.push_back("uplift interval: not finite, the control's value has too "
                                   "much posterior mass near zero");
    }
  }

  if (task.metric.kind == MetricKind::rate_over_visitors) {
    std::vector<stats::BetaParams> betas;
    for (const stats::ArmPosterior& posterior : posteriors) {
      betas.push_back(std::get<stats::BetaParams>(posterior));
    }
    if (options.exact) {
      apply_exact(task, options, betas, results);
    } else {
      use_exact_quantile_errors(options, betas, results);
    }
  }
}

} // namespace reckon::analysis::detail
