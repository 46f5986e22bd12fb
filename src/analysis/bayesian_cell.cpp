#include "cell_analysis.hpp"

#include "reckon/stats/beta.hpp"
#include "reckon/stats/comparison.hpp"
#include "reckon/util/number_format.hpp"

namespace reckon::analysis::detail {
namespace {

std::string describe_sampling(const AnalysisOptions& options) {
  return "Monte Carlo: " + std::to_string(options.sampling.draws) +
         " joint draws of independent posteriors";
}

// Which route answered each number: every number exact but those the comparison drew.
std::string describe_answers(const stats::Comparison& comparison, const AnalysisOptions& options) {
  if (!comparison.exact) {
    return describe_sampling(options);
  }
  std::string note = "exact: interval, p2bc, p2bb";
  std::string drawn;
  const auto place = [&](bool by_monte_carlo, const std::string& name) {
    if (!by_monte_carlo) {
      note += ", " + name;
    } else {
      drawn += (drawn.empty() ? "" : " and ") + name;
    }
  };
  place(comparison.uplift_by_monte_carlo, "uplift interval");
  place(comparison.loss_by_monte_carlo, "expected loss");
  note += " in closed form or by quadrature, with no Monte Carlo error";
  if (!drawn.empty()) {
    note += "; " + drawn + " by " + describe_sampling(options);
  }
  return note;
}

// A variation as people know it: its name, its id only when it has none.
std::string variation_label(const model::Experiment& experiment, std::size_t arm) {
  const model::Variation& variation = experiment.variations[arm];
  return variation.name.empty() ? "variation " + variation.id : variation.name;
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
      note_all(results, "not re-analysed: " + variation_label(*task.experiment, i) +
                            " has no posterior for " + std::string(task.metric.name));
      return;
    }
    posteriors.push_back(*choice.posterior);
  }

  const std::size_t control = task.control();
  const stats::Comparison comparison = stats::compare(
      posteriors, control, options.sampling, task.stream(), task.metric.direction,
      options.exact ? stats::Answers::exact_where_known : stats::Answers::monte_carlo);
  note_all(results, describe_answers(comparison, options));
  for (std::size_t i = 0; i < results.size(); ++i) {
    CellResult& result = results[i];
    const stats::ArmAnswer& answer = comparison.arms[i];
    result.ci_low = answer.credible.value.low;
    result.ci_high = answer.credible.value.high;
    result.ci_se = answer.credible.standard_error;
    result.prob_best = answer.prob_best.value;
    result.prob_best_se = answer.prob_best.standard_error;
    if (answer.expected_loss) {
      result.expected_loss = answer.expected_loss->value;
      result.expected_loss_se = answer.expected_loss->standard_error;
    } else {
      result.assumptions.push_back("expected_loss: not finite, the control's value has too "
                                   "much posterior mass near zero");
    }
    if (i == control) {
      continue;
    }
    result.prob_beat_control = answer.prob_beat_control->value;
    result.prob_beat_control_se = answer.prob_beat_control->standard_error;
    if (answer.uplift) {
      result.uplift->ci_low = answer.uplift->value.low;
      result.uplift->ci_high = answer.uplift->value.high;
      result.uplift_ci_se = answer.uplift->standard_error;
    } else {
      result.assumptions.push_back("uplift interval: not finite, the control's value has too "
                                   "much posterior mass near zero");
    }
  }
}

} // namespace reckon::analysis::detail
