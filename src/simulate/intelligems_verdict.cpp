// The verdict blocks of an Intelligems analytics overview: `impact` and `testResult`.
#include "intelligems.hpp"

#include <algorithm>
#include <cmath>

namespace reckon::simulate::detail::intelligems {

namespace {

using model::Scenario;
using model::ScenarioExperiment;
using util::JsonWriter;

// The challenger most likely to be best on the primary metric, if any has a p2bb.
std::optional<std::size_t> best_challenger(const std::vector<VendorStatistic>& primary,
                                           std::size_t arm_count, std::size_t control) {
  std::optional<std::size_t> best;
  for (std::size_t arm = 0; arm < arm_count; ++arm) {
    if (arm != control && primary.size() == arm_count && primary[arm].p2bb &&
        (!best || *primary[arm].p2bb > *primary[*best].p2bb)) {
      best = arm;
    }
  }
  return best;
}

struct Verdict {
  std::string verdict;
  std::string action;
};

Verdict verdict_of(double p2bb, double control_p2bb, double uplift, const std::string& name) {
  if (p2bb >= 0.95 && uplift > 0.0) {
    return {"strong_win", "Roll out " + name};
  }
  if (p2bb >= 0.80 && uplift > 0.0) {
    return {"directional_win", name + " leads; keep running to confirm before rolling out"};
  }
  if (control_p2bb >= 0.95) {
    return {"strong_loss", "End the test and keep the control"};
  }
  if (control_p2bb >= 0.80) {
    return {"directional_loss", "The control leads; consider ending the test"};
  }
  return {"mixed_signals", "Keep running: no variation leads clearly yet"};
}

// Days the challenger has held its side of the control, counted back from the last day on
// cumulative point values of the primary metric.
std::uint64_t days_held(const ScenarioExperiment& experiment,
                        const ExperimentSimulation& simulation, std::size_t best,
                        std::size_t control, bool ahead, double margin) {
  std::vector<std::optional<double>> sides;
  std::vector<Tally> cumulative(experiment.variations.size());
  for (const DayTallies& day : simulation.days) {
    for (std::size_t arm = 0; arm < cumulative.size(); ++arm) {
      cumulative[arm].add(day.arms[arm]);
    }
    const auto v = point_of(experiment.primary_metric, cumulative[best], margin);
    const auto c = point_of(experiment.primary_metric, cumulative[control], margin);
    sides.push_back(v && c ? std::optional<double>(*v - *c) : std::nullopt);
  }
  std::uint64_t held = 0;
  for (auto it = sides.rbegin(); it != sides.rend(); ++it) {
    if (!*it || ((**it > 0.0) != ahead)) {
      break;
    }
    ++held;
  }
  return held;
}

void write_orders_per_variant(JsonWriter& json, const std::vector<std::string>& variation_ids,
                              const std::vector<Tally>& arms) {
  json.key("orders_per_variant").begin_object();
  for (std::size_t arm = 0; arm < arms.size(); ++arm) {
    json.key(variation_ids[arm]).value(arms[arm].orders);
  }
  json.end_object();
}

void write_primary_metric(JsonWriter& json, const ScenarioExperiment& experiment,
                          const std::string& variation_id, const VendorStatistic& challenger,
                          std::uint64_t held) {
  const std::optional<double> width =
      challenger.uplift.ci_low && challenger.uplift.ci_high
          ? std::optional<double>(
                vendor_round(*challenger.uplift.ci_high - *challenger.uplift.ci_low))
          : std::nullopt;
  json.key("primary_metric").begin_object();
  json.key("key").value(experiment.primary_metric);
  json.key("best_challenger").begin_object();
  json.key("variant").value(variation_id);
  json.key("p2bb").value(challenger.p2bb);
  json.key("uplift").value(challenger.uplift.value);
  json.key("uplift_ci_width").value(width);
  json.key("stability").begin_object();
  json.key("days_held").value(held);
  json.key("p2bb_stable").value(held >= 7);
  json.key("uplift_ci_converged").value(width && *width <= 0.2);
  json.end_object();
  json.end_object();
  json.end_object();
}

// The headline metrics whose uplift for the challenger points the other way from the primary's.
void write_conflicting_metrics(JsonWriter& json, const ScenarioExperiment& experiment,
                               const AnalyticsSlice& overview, std::size_t best, double uplift) {
  json.key("conflicting_metrics").begin_array();
  for (const char* other :
       {"conversion_rate", "net_revenue_per_visitor", "net_revenue_per_order"}) {
    if (experiment.primary_metric == other) {
      continue;
    }
    const VendorStatistic& cell = overview.statistics[0][metric_index(other)][best];
    const double other_uplift = cell.uplift.value.value_or(0.0);
    if ((other_uplift > 0.005 && uplift < -0.005) || (other_uplift < -0.005 && uplift > 0.005)) {
      json.begin_object();
      json.key("key").value(other);
      json.key("uplift").value(cell.uplift.value);
      json.key("p2bb").value(cell.p2bb);
      json.end_object();
    }
  }
  json.end_array();
}

// The verdict block the API returns when asked with testResult: true (research §1.4.1). The
// ~300-orders and 7-day gate is observed; the thresholds of the verdicts are this simulator's.
void write_test_result(JsonWriter& json, const Scenario& scenario, const Ids& ids,
                       const AnalyticsSlice& overview, const ExperimentSimulation& simulation) {
  const ScenarioExperiment& experiment = scenario.experiments[overview.experiment];
  const std::vector<std::string>& variation_ids = ids.variations[overview.experiment];
  const std::size_t control = experiment.control_index();
  const Lifecycle times = lifecycle(scenario, experiment);
  const auto runtime_days = static_cast<std::uint64_t>(std::ceil(times.elapsed_days - 1e-9));
  const std::vector<Tally>& arms = overview.tallies[0];
  const auto& primary = overview.statistics[0][metric_index(experiment.primary_metric)];
  const double margin = 1.0 - scenario.store.cost_of_goods_share.value_or(0.0);

  const std::optional<std::size_t> best = best_challenger(primary, arms.size(), control);
  const bool enough =
      std::all_of(arms.begin(), arms.end(), [](const Tally& t) { return t.orders >= 300; }) &&
      runtime_days >= 7 && best.has_value();
  json.key("testResult").begin_object();
  if (!enough) {
    json.key("verdict").value("not_ready");
    json.key("runtime_days").value(runtime_days);
    write_orders_per_variant(json, variation_ids, arms);
    json.end_object();
    return;
  }
  const VendorStatistic& challenger = primary[*best];
  const double uplift = challenger.uplift.value.value_or(0.0);
  const Verdict verdict =
      verdict_of(challenger.p2bb.value_or(0.0), primary[control].p2bb.value_or(0.0), uplift,
                 experiment.variations[*best].name);
  json.key("verdict").value(verdict.verdict);
  json.key("action_to_take").value(verdict.action);
  json.key("runtime_days").value(runtime_days);
  write_orders_per_variant(json, variation_ids, arms);
  write_primary_metric(json, experiment, variation_ids[*best], challenger,
                       days_held(experiment, simulation, *best, control, uplift > 0.0, margin));
  write_conflicting_metrics(json, experiment, overview, *best, uplift);
  json.end_object();
}

// round((best RPV - control RPV) x visitors x 30 / elapsed days), best by RPV; null while the
// revenue statistics are (low data).
void write_impact(JsonWriter& json, const Scenario& scenario, const AnalyticsSlice& overview) {
  const ScenarioExperiment& experiment = scenario.experiments[overview.experiment];
  const std::size_t control = experiment.control_index();
  const auto& rpv = overview.statistics[0][metric_index("net_revenue_per_visitor")];
  const std::vector<Tally>& arms = overview.tallies[0];
  const double elapsed = lifecycle(scenario, experiment).elapsed_days;
  json.key("impact").begin_object();
  json.key("est_monthly_revenue_increase");
  std::optional<std::size_t> best;
  std::uint64_t visitors = 0;
  for (std::size_t arm = 0; arm < arms.size(); ++arm) {
    visitors += arms[arm].visitors;
    if (arm != control && rpv[arm].value && (!best || *rpv[arm].value > *rpv[*best].value)) {
      best = arm;
    }
  }
  if (!best || !rpv[control].p2bb || !rpv[control].value || elapsed <= 0.0) {
    json.null();
  } else {
    const double rpv_best = arms[*best].revenue() / static_cast<double>(arms[*best].visitors);
    const double rpv_control =
        arms[control].revenue() / static_cast<double>(arms[control].visitors);
    json.value(
        std::round((rpv_best - rpv_control) * static_cast<double>(visitors) * 30.0 / elapsed) +
        0.0);
  }
  json.end_object();
}

} // namespace

void write_verdict(JsonWriter& json, const Scenario& scenario, const Ids& ids,
                   const AnalyticsSlice& overview, const ExperimentSimulation& simulation) {
  write_impact(json, scenario, overview);
  write_test_result(json, scenario, ids, overview, simulation);
}

} // namespace reckon::simulate::detail::intelligems
