#include "reckon/analysis/verdict.hpp"

#include "reckon/analysis/metrics.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace reckon::analysis {
namespace {

constexpr std::int64_t k_day_ms = 86'400'000;

std::string percent(double fraction) {
  return util::format_signed_percent(fraction);
}

std::string probability(double p) {
  return util::format_fixed(p, 2);
}

const CellResult* find_cell(const ExperimentResult& result, std::string_view metric,
                            std::string_view variation) {
  const auto found = std::find_if(result.cells.begin(), result.cells.end(), [&](const auto& c) {
    return c.slice.is_overall() && c.metric == metric && c.variation_id == variation;
  });
  return found == result.cells.end() ? nullptr : &*found;
}

// Whether every variant of the metric's overall slice carries the statistics a verdict reads.
bool decidable(const ExperimentResult& result, std::string_view metric) {
  bool any = false;
  for (const CellResult& cell : result.cells) {
    if (cell.slice.is_overall() && cell.metric == metric && !cell.is_control) {
      any = true;
      if (!cell.prob_beat_control || !cell.uplift || !cell.uplift->value) {
        return false;
      }
    }
  }
  return any;
}

bool analysed(const ExperimentResult& result, std::string_view metric) {
  return std::any_of(result.cells.begin(), result.cells.end(), [&](const CellResult& cell) {
    return cell.slice.is_overall() && cell.metric == metric;
  });
}

struct MetricChoice {
  std::string metric;
  std::string reason;
};

MetricChoice choose_primary_metric(const model::Experiment& experiment,
                                   const ExperimentResult& result, const AnalysisOptions& options) {
  if (!options.metrics.empty()) {
    return {options.metrics.front(), "chosen with --metric"};
  }
  std::string passed_over;
  if (!experiment.primary_metric.empty()) {
    if (decidable(result, experiment.primary_metric)) {
      return {experiment.primary_metric, "the test's primary metric at the vendor"};
    }
    passed_over =
        "the vendor's primary metric " + experiment.primary_metric + " has no statistics here; ";
  }
  if (decidable(result, "gross_profit_per_visitor")) {
    return {"gross_profit_per_visitor", passed_over + "costs are known, so profit per visitor"};
  }
  if (decidable(result, "net_revenue_per_visitor")) {
    return {"net_revenue_per_visitor", passed_over + "revenue per visitor, as no costs are known"};
  }
  if (decidable(result, "conversion_rate")) {
    return {"conversion_rate",
            passed_over + "conversion rate: revenue per visitor has no statistics here"};
  }
  // Nothing decidable: keep the usual choice so that the verdict says why it is too early.
  for (const std::string_view metric :
       {std::string_view(experiment.primary_metric), std::string_view("net_revenue_per_visitor"),
        std::string_view("conversion_rate")}) {
    if (!metric.empty() && analysed(result, metric)) {
      return {std::string(metric), passed_over + "no metric has statistics yet"};
    }
  }
  return {};
}

// Whole days the test ran: its day slices, else the span from start to end when it ended.
std::optional<int> runtime_days(const model::Experiment& experiment,
                                const ExperimentResult& result) {
  if (result.runtime_days) {
    return result.runtime_days;
  }
  if (experiment.started_at_ms && experiment.ended_at_ms &&
      *experiment.ended_at_ms > *experiment.started_at_ms) {
    const std::int64_t span = *experiment.ended_at_ms - *experiment.started_at_ms;
    return static_cast<int>((span + k_day_ms - 1) / k_day_ms);
  }
  return std::nullopt;
}

// Why the comparison is too early to call, or empty when it is mature.
std::string immaturity(const CellResult& variant, const CellResult& control,
                       std::optional<int> days, const VerdictRule& rule) {
  if (days && *days < rule.min_runtime_days) {
    return std::to_string(*days) + " days of the " + std::to_string(rule.min_runtime_days) +
           " needed";
  }
  if (std::optional<std::string> low = low_data_reason(variant, control, rule)) {
    return std::move(*low);
  }
  if (!variant.prob_beat_control || !variant.uplift || !variant.uplift->value) {
    return variant.assumptions.empty() ? "no statistics"
                                       : "no statistics: " + variant.assumptions.front();
  }
  return {};
}

std::string band_text(const VerdictRule& rule) {
  return "±" + util::format_fixed(rule.neutral_band * 100.0, 1) + " %";
}

VariationVerdict decide_variation(const CellResult& variant, const CellResult& control,
                                  std::optional<int> days, const VerdictRule& rule) {
  VariationVerdict out{variant.variation_id, Verdict::too_early, {}};
  out.reason = immaturity(variant, control, days, rule);
  if (!out.reason.empty()) {
    return out;
  }
  const Evidence evidence = evidence_of(variant);
  const std::string p2bc = "P(beat control) " + probability(*evidence.p2bc);
  const std::string uplift = "uplift " + percent(*evidence.uplift);
  switch (direction_of(evidence, rule)) {
  case Direction::better:
    out.verdict = Verdict::winner;
    out.reason = p2bc + " and " + uplift + " beyond " + band_text(rule);
    break;
  case Direction::worse:
    out.verdict = Verdict::loser;
    out.reason = p2bc + " and " + uplift + " beyond " + band_text(rule);
    break;
  case Direction::flat:
    out.verdict = Verdict::flat;
    out.reason = "uplift interval [" + percent(*evidence.uplift_low) + ", " +
                 percent(*evidence.uplift_high) + "] inside " + band_text(rule);
    break;
  case Direction::unclear:
    out.verdict = Verdict::keep_running;
    out.reason = p2bc + ", " + uplift + ": no call yet";
    break;
  }
  if (!days) {
    out.reason += " (runtime unknown: no day data)";
  }
  return out;
}

} // namespace

Direction direction_of(const Evidence& evidence, const VerdictRule& rule) {
  if (evidence.p2bc && evidence.uplift) {
    if (*evidence.p2bc >= rule.threshold && *evidence.uplift > rule.neutral_band) {
      return Direction::better;
    }
    if (1.0 - *evidence.p2bc >= rule.threshold && *evidence.uplift < -rule.neutral_band) {
      return Direction::worse;
    }
  }
  if (evidence.uplift_low && evidence.uplift_high && *evidence.uplift_low >= -rule.neutral_band &&
      *evidence.uplift_high <= rule.neutral_band) {
    return Direction::flat;
  }
  return Direction::unclear;
}

Evidence evidence_of(const CellResult& variant) {
  Evidence evidence;
  evidence.p2bc = variant.prob_beat_control;
  if (variant.uplift) {
    evidence.uplift = variant.uplift->value;
    evidence.uplift_low = variant.uplift->ci_low;
    evidence.uplift_high = variant.uplift->ci_high;
  }
  const std::optional<MetricDefinition> metric = find_metric(variant.metric);
  if (metric && metric->direction == stats::Direction::lower_is_better) {
    // p2bc already counts "better" as lower; the uplift is turned so that up is good.
    const auto negated = [](std::optional<double> x) {
      return x ? std::optional<double>(-*x) : std::nullopt;
    };
    evidence.uplift = negated(evidence.uplift);
    std::swap(evidence.uplift_low, evidence.uplift_high);
    evidence.uplift_low = negated(evidence.uplift_low);
    evidence.uplift_high = negated(evidence.uplift_high);
  }
  return evidence;
}

std::optional<std::string> low_data_reason(const CellResult& variant, const CellResult& control,
                                           const VerdictRule& rule) {
  for (const CellResult* arm : {&control, &variant}) {
    if (arm->n_visitors < rule.min_visitors) {
      return util::format_count(arm->n_visitors) + " visitors in " + arm->variation_id + ", " +
             std::to_string(rule.min_visitors) + " needed";
    }
  }
  const std::uint64_t orders = variant.n_orders + control.n_orders;
  if (orders < rule.min_orders) {
    return util::format_count(orders) + " orders in both arms, " + std::to_string(rule.min_orders) +
           " needed";
  }
  return std::nullopt;
}

std::string_view verdict_label(Verdict verdict) {
  constexpr std::array<std::string_view, 5> k_labels = {"WINNER", "LOSER", "FLAT", "KEEP RUNNING",
                                                        "TOO EARLY"};
  return k_labels[static_cast<std::size_t>(verdict)];
}

std::optional<TestVerdict> decide_test(const model::Experiment& experiment,
                                       const ExperimentResult& result,
                                       const AnalysisOptions& options) {
  MetricChoice choice = choose_primary_metric(experiment, result, options);
  if (choice.metric.empty() || experiment.variations.empty()) {
    return std::nullopt;
  }
  const model::Variation& control_variation = experiment.variations[experiment.control_index()];
  const CellResult* control = find_cell(result, choice.metric, control_variation.id);
  if (control == nullptr) {
    return std::nullopt;
  }
  TestVerdict verdict{std::move(choice.metric), std::move(choice.reason), {}};
  const std::optional<int> days = runtime_days(experiment, result);
  for (const model::Variation& variation : experiment.variations) {
    if (variation.is_control) {
      continue;
    }
    if (const CellResult* variant = find_cell(result, verdict.metric, variation.id)) {
      verdict.variations.push_back(decide_variation(*variant, *control, days, options.verdict));
    }
  }
  return verdict;
}

} // namespace reckon::analysis
