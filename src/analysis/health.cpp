#include "reckon/analysis/health.hpp"
#include "reckon/analysis/verdict.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>

namespace reckon::analysis {
namespace {

using health_detail::conversion_drop_reason;

constexpr std::int64_t k_day_ms = 86'400'000;

util::Date date_of_ms(std::int64_t unix_ms) {
  const std::int64_t days =
      unix_ms >= 0 ? unix_ms / k_day_ms : -((-unix_ms + k_day_ms - 1) / k_day_ms);
  return util::Date{days};
}

const std::string& display_name(const model::Variation& variation) {
  return variation.name.empty() ? variation.id : variation.name;
}

const model::CountsCell* overall_cell(const model::Experiment& experiment) {
  const auto found =
      std::find_if(experiment.cells.begin(), experiment.cells.end(),
                   [](const model::CountsCell& cell) { return cell.slice.is_overall(); });
  return found == experiment.cells.end() ? nullptr : &*found;
}

// Whether the test still takes traffic: true, false, or unknown when the source does not say.
std::optional<bool> running(const model::Experiment& experiment) {
  if (experiment.status.empty()) {
    return std::nullopt;
  }
  return experiment.status == "started";
}

// First and last day of the day slices, and the last with a visitor.
struct DaySpan {
  std::optional<util::Date> first;
  std::optional<util::Date> last;
  std::optional<util::Date> last_visited;
};

DaySpan day_span(const model::Experiment& experiment) {
  DaySpan span;
  for (const model::CountsCell& cell : experiment.cells) {
    if (cell.slice.segment_type != "day" || !cell.slice.date.empty()) {
      continue;
    }
    const std::optional<util::Date> day = util::Date::parse(cell.slice.segment);
    if (!day) {
      continue;
    }
    span.first = span.first ? std::min(*span.first, *day) : *day;
    span.last = span.last ? std::max(*span.last, *day) : *day;
    const bool visited = std::any_of(cell.arms.begin(), cell.arms.end(),
                                     [](const model::ArmCounts& arm) { return arm.visitors > 0; });
    if (visited) {
      span.last_visited = span.last_visited ? std::max(*span.last_visited, *day) : *day;
    }
  }
  return span;
}

// Days live, counting the first and the last: from the start (or the first day slice) to the
// end, as_of for a running test, or the last day slice when the status is unknown.
std::optional<int> runtime_days(const model::Experiment& experiment, const DaySpan& span,
                                util::Date as_of) {
  std::optional<util::Date> start;
  if (experiment.started_at_ms) {
    start = date_of_ms(*experiment.started_at_ms);
  } else {
    start = span.first;
  }
  if (!start) {
    return std::nullopt;
  }
  util::Date end = as_of;
  if (experiment.ended_at_ms) {
    end = std::min(as_of, date_of_ms(*experiment.ended_at_ms));
  } else if (running(experiment) != true && span.last) {
    end = std::min(as_of, *span.last);
  }
  return static_cast<int>(
      std::max<std::int64_t>(0, end.days_since_epoch - start->days_since_epoch + 1));
}

HealthReason make_reason(std::string rule, ReasonSeverity severity, std::string message,
                         std::vector<HealthNumber> numbers, std::string variation_id = {}) {
  return HealthReason{std::move(rule), severity, std::move(variation_id), std::move(message),
                      std::move(numbers)};
}

void runtime_rule(const ExperimentHealth& health, const HealthThresholds& thresholds,
                  std::vector<HealthReason>& reasons) {
  if (!health.runtime_days) {
    reasons.push_back(make_reason("min_runtime", ReasonSeverity::note,
                                  "runtime unknown: the data give no start and no day slices", {}));
  } else if (*health.runtime_days < thresholds.min_runtime_days) {
    reasons.push_back(make_reason(
        "min_runtime", ReasonSeverity::watch,
        std::to_string(*health.runtime_days) + " days live, " +
            std::to_string(thresholds.min_runtime_days) + " before calling it",
        {{"runtime_days", *health.runtime_days}, {"threshold", thresholds.min_runtime_days}}));
  }
}

void count_rules(const ExperimentHealth& health, const HealthThresholds& thresholds,
                 std::vector<HealthReason>& reasons) {
  for (const ArmSnapshot& arm : health.arms) {
    if (arm.visitors < thresholds.min_visitors) {
      reasons.push_back(make_reason("min_visitors", ReasonSeverity::watch,
                                    arm.name + " has " + util::format_count(arm.visitors) +
                                        " visitors, " +
                                        util::format_count(thresholds.min_visitors) + " needed",
                                    {{"visitors", static_cast<double>(arm.visitors)},
                                     {"threshold", static_cast<double>(thresholds.min_visitors)}},
                                    arm.variation_id));
    }
  }
  for (const ArmSnapshot& arm : health.arms) {
    if (arm.orders < thresholds.min_orders) {
      reasons.push_back(make_reason("min_orders", ReasonSeverity::watch,
                                    arm.name + " has " + util::format_count(arm.orders) +
                                        " orders, " + util::format_count(thresholds.min_orders) +
                                        " needed",
                                    {{"orders", static_cast<double>(arm.orders)},
                                     {"threshold", static_cast<double>(thresholds.min_orders)}},
                                    arm.variation_id));
    }
  }
}

void srm_rule(const ExperimentResult& result, bool adaptive, const HealthThresholds& thresholds,
              std::vector<HealthReason>& reasons) {
  if (adaptive) {
    reasons.push_back(make_reason("srm", ReasonSeverity::note,
                                  "not applied: the allocation adapts (a bandit), so visitors "
                                  "are not meant to follow the starting split",
                                  {}));
    return;
  }
  if (!result.srm || result.srm->p_value >= thresholds.srm_p_value) {
    return;
  }
  reasons.push_back(make_reason(
      "srm", ReasonSeverity::critical,
      "visitors do not follow the " +
          std::string(result.srm->allocation_assumed_equal ? "assumed equal" : "planned") +
          " allocation: chi-square " + util::format_fixed(result.srm->chi2, 1) +
          ", p = " + util::format_round_trip(result.srm->p_value) + " (below " +
          util::format_round_trip(thresholds.srm_p_value) + "); the comparison is suspect",
      {{"chi2", result.srm->chi2},
       {"p_value", result.srm->p_value},
       {"threshold", thresholds.srm_p_value}}));
}

void stalled_rule(const model::Experiment& experiment, const DaySpan& span, util::Date as_of,
                  const HealthThresholds& thresholds, std::vector<HealthReason>& reasons) {
  const std::optional<bool> live = running(experiment);
  if (live == false) {
    return;
  }
  if (!span.last) {
    reasons.push_back(make_reason("stalled", ReasonSeverity::note,
                                  "unknowable: no day slices (fetch with --days)", {}));
    return;
  }
  const std::int64_t idle = span.last_visited
                                ? as_of.days_since_epoch - span.last_visited->days_since_epoch
                                : as_of.days_since_epoch - span.first->days_since_epoch + 1;
  if (idle < thresholds.stalled_days) {
    return;
  }
  const std::string since = span.last_visited
                                ? "no visitors since " + span.last_visited->to_string()
                                : "no visitor on any day";
  reasons.push_back(make_reason("stalled", live ? ReasonSeverity::critical : ReasonSeverity::watch,
                                since + " (" + std::to_string(idle) + " days to " +
                                    as_of.to_string() + ")" +
                                    (live ? "" : "; ended? the data do not say"),
                                {{"idle_days", static_cast<double>(idle)},
                                 {"threshold", static_cast<double>(thresholds.stalled_days)}}));
}

std::optional<double> ratio(double numerator, double denominator) {
  return denominator > 0.0 ? std::optional<double>(numerator / denominator) : std::nullopt;
}

std::optional<double> lift(std::optional<double> variant, std::optional<double> control) {
  if (!variant || !control || *control == 0.0) {
    return std::nullopt;
  }
  return *variant / *control - 1.0;
}

std::vector<ArmSnapshot> snapshots(const model::Experiment& experiment,
                                   const model::CountsCell& overall) {
  std::vector<ArmSnapshot> arms;
  for (std::size_t i = 0; i < experiment.variations.size() && i < overall.arms.size(); ++i) {
    const model::ArmCounts& counts = overall.arms[i];
    ArmSnapshot arm;
    arm.variation_id = experiment.variations[i].id;
    arm.name = display_name(experiment.variations[i]);
    arm.is_control = experiment.variations[i].is_control;
    arm.visitors = counts.visitors;
    arm.orders = counts.conversions;
    arm.conversion_rate =
        ratio(static_cast<double>(counts.conversions), static_cast<double>(counts.visitors));
    arm.revenue_per_visitor = ratio(counts.revenue, static_cast<double>(counts.visitors));
    arm.average_order_value = ratio(counts.revenue, static_cast<double>(counts.conversions));
    arms.push_back(arm);
  }
  const auto control = std::find_if(arms.begin(), arms.end(), [](auto& a) { return a.is_control; });
  for (ArmSnapshot& arm : arms) {
    if (control != arms.end() && !arm.is_control) {
      arm.conversion_lift = lift(arm.conversion_rate, control->conversion_rate);
      arm.revenue_per_visitor_lift = lift(arm.revenue_per_visitor, control->revenue_per_visitor);
      arm.average_order_value_lift = lift(arm.average_order_value, control->average_order_value);
    }
  }
  return arms;
}

std::string verdict_text(const ExperimentResult& result) {
  if (!result.verdict || result.verdict->variations.empty()) {
    return {};
  }
  if (result.verdict->variations.size() == 1) {
    return std::string(verdict_label(result.verdict->variations.front().verdict));
  }
  std::string text;
  for (const VariationVerdict& verdict : result.verdict->variations) {
    const auto variation =
        std::find_if(result.variations.begin(), result.variations.end(),
                     [&](const model::Variation& v) { return v.id == verdict.variation_id; });
    text +=
        (text.empty() ? "" : "; ") +
        (variation == result.variations.end() ? verdict.variation_id : display_name(*variation)) +
        ": " + std::string(verdict_label(verdict.verdict));
  }
  return text;
}

// The verdict metric's overall cell of one variation.
const CellResult* verdict_cell(const ExperimentResult& result, std::string_view variation) {
  const auto found = std::find_if(result.cells.begin(), result.cells.end(), [&](const auto& cell) {
    return cell.slice.is_overall() && cell.metric == result.verdict->metric &&
           cell.variation_id == variation;
  });
  return found == result.cells.end() ? nullptr : &*found;
}

// The test is decided when every variation has its verdict: the longest forecast of those
// still open (their days and the first one's basis).
VerdictForecast test_forecast(const ExperimentResult& result, std::optional<int> days,
                              const AnalysisOptions& options) {
  if (!result.verdict || result.verdict->variations.empty()) {
    return {std::nullopt, "no verdict metric with a control in the overall slice"};
  }
  const CellResult* control = nullptr;
  for (const model::Variation& variation : result.variations) {
    if (variation.is_control) {
      control = verdict_cell(result, variation.id);
    }
  }
  VerdictForecast longest{0.0, "every variation has its verdict"};
  bool open = false;
  for (const VariationVerdict& verdict : result.verdict->variations) {
    if (verdict.verdict != Verdict::too_early && verdict.verdict != Verdict::keep_running) {
      continue;
    }
    const CellResult* variant = verdict_cell(result, verdict.variation_id);
    if (control == nullptr || variant == nullptr) {
      return {std::nullopt, "no overall cell of the verdict metric"};
    }
    const VerdictForecast forecast =
        forecast_verdict(*variant, *control, days, options.sampling.level, options.verdict);
    if (!forecast.days) {
      return forecast;
    }
    if (!open || *forecast.days > *longest.days) {
      longest = forecast;
      open = true;
    }
  }
  return longest;
}

ExperimentHealth check_one(const model::Experiment& experiment, const ExperimentResult& result,
                           const AnalysisOptions& options, const HealthInputs& inputs) {
  const HealthThresholds& thresholds = inputs.thresholds;
  const DaySpan span = day_span(experiment);
  ExperimentHealth health;
  health.id = experiment.id;
  health.name = experiment.name.empty() ? experiment.id : experiment.name;
  health.source = experiment.source;
  health.experiment_status = experiment.status;
  health.runtime_days = runtime_days(experiment, span, inputs.as_of);
  health.verdict = verdict_text(result);
  health.verdict_metric = result.verdict ? result.verdict->metric : std::string();
  health.days_to_verdict = test_forecast(result, health.runtime_days, options);
  const model::CountsCell* overall = overall_cell(experiment);
  if (overall != nullptr) {
    health.arms = snapshots(experiment, *overall);
  }
  std::vector<HealthReason>& reasons = health.reasons;
  const bool no_visitors =
      std::all_of(health.arms.begin(), health.arms.end(), [](auto& a) { return a.visitors == 0; });
  if (no_visitors) {
    const bool live = running(experiment) != false;
    reasons.push_back(make_reason(
        "no_data", live ? ReasonSeverity::critical : ReasonSeverity::watch,
        std::string("no visitors in any variation") + (live ? " of a started test" : ""), {}));
  } else {
    count_rules(health, thresholds, reasons);
    const std::size_t control = experiment.control_index();
    for (std::size_t i = 0; i < experiment.variations.size(); ++i) {
      if (i == control) {
        continue;
      }
      if (auto drop = conversion_drop_reason(overall->arms[control], overall->arms[i],
                                             experiment.variations[i], options.prior, thresholds)) {
        reasons.push_back(std::move(*drop));
      }
    }
    srm_rule(result, experiment.adaptive_allocation || inputs.adaptive.count(experiment.id) > 0,
             thresholds, reasons);
  }
  runtime_rule(health, thresholds, reasons);
  stalled_rule(experiment, span, inputs.as_of, thresholds, reasons);
  std::stable_sort(
      reasons.begin(), reasons.end(),
      [](const HealthReason& a, const HealthReason& b) { return a.severity > b.severity; });
  if (const HealthReason* worst = health.worst_reason()) {
    health.status =
        worst->severity == ReasonSeverity::critical ? HealthStatus::critical : HealthStatus::watch;
  }
  return health;
}

} // namespace

HealthReport check_health(const model::Dataset& dataset, const Results& results,
                          const HealthInputs& inputs) {
  HealthReport report{inputs.as_of, inputs.thresholds, {}, {}};
  for (const model::Experiment& experiment : dataset.experiments) {
    const auto result =
        std::find_if(results.experiments.begin(), results.experiments.end(),
                     [&](const ExperimentResult& r) { return r.id == experiment.id; });
    if (result != results.experiments.end()) {
      report.experiments.push_back(check_one(experiment, *result, results.options, inputs));
    }
  }
  return report;
}

std::string_view health_status_label(HealthStatus status) {
  switch (status) {
  case HealthStatus::healthy:
    return "healthy";
  case HealthStatus::watch:
    return "watch";
  case HealthStatus::critical:
    return "critical";
  }
  return "healthy";
}

std::string_view reason_severity_label(ReasonSeverity severity) {
  switch (severity) {
  case ReasonSeverity::note:
    return "note";
  case ReasonSeverity::watch:
    return "watch";
  case ReasonSeverity::critical:
    return "critical";
  }
  return "note";
}

const HealthReason* ExperimentHealth::worst_reason() const {
  if (reasons.empty() || reasons.front().severity == ReasonSeverity::note) {
    return nullptr;
  }
  return &reasons.front();
}

HealthStatus HealthReport::worst() const {
  HealthStatus worst_status = HealthStatus::healthy;
  for (const ExperimentHealth& experiment : experiments) {
    worst_status = std::max(worst_status, experiment.status);
  }
  return worst_status;
}

std::optional<util::Date> last_data_day(const model::Dataset& dataset) {
  std::optional<util::Date> last;
  for (const model::Experiment& experiment : dataset.experiments) {
    std::optional<util::Date> day = day_span(experiment).last;
    if (experiment.ended_at_ms) {
      const util::Date end = date_of_ms(*experiment.ended_at_ms);
      day = day ? std::max(*day, end) : end;
    }
    if (day) {
      last = last ? std::max(*last, *day) : *day;
    }
  }
  return last;
}

} // namespace reckon::analysis
