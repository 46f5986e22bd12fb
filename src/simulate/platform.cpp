// Experimentation platform API (/api/v1, seed 003) response bodies: the experiments list, each
// experiment, and its results. The platform's statistics are inferred from the seed's example
// (3.2 % of 5,420 vs 4.1 % of 5,380 gives [2.8, 3.6], [3.7, 4.5], +28.1 %, 98.5): 90 % Wald
// intervals, a two-sided z-test whose 1 - p is the "confidence", significance at 95, every
// number a percentage with one decimal (revenue per user in currency with two).
#include "output.hpp"

#include "reckon/contract/platform.hpp"
#include "reckon/simulate/vendor_stats.hpp"
#include "reckon/util/calendar.hpp"
#include "reckon/util/json_writer.hpp"

#include <algorithm>
#include <cmath>

namespace reckon::simulate::detail {

namespace {

using model::Scenario;
using model::ScenarioExperiment;
using util::JsonWriter;

constexpr auto k_compact = JsonWriter::Layout::compact;
constexpr double k_z90 = 1.6448536269514722;

std::string_view platform_status(model::ScenarioStatus status) {
  switch (status) {
  case model::ScenarioStatus::pending:
    return "DRAFT";
  case model::ScenarioStatus::started:
    return "ACTIVE";
  case model::ScenarioStatus::paused:
    return "PAUSED";
  case model::ScenarioStatus::ended:
    return "COMPLETED";
  }
  return "ACTIVE";
}

std::string hypothesis_of(const ScenarioExperiment& experiment) {
  return experiment.hypothesis.empty()
             ? experiment.variations[1 - experiment.control_index()].name +
                   " will increase the conversion rate"
             : experiment.hypothesis;
}

void write_summary(JsonWriter& json, const Scenario& scenario, const ScenarioExperiment& experiment,
                   bool detail) {
  const SourceIds ids = source_ids(scenario, experiment);
  const Lifecycle times = lifecycle(scenario, experiment);
  json.begin_object();
  json.key("id").value(ids.experiment);
  json.key("name").value(experiment.name);
  json.key("description").value(experiment.description);
  json.key("hypothesis").value(hypothesis_of(experiment));
  json.key("status").value(platform_status(experiment.status));
  json.key("created_at").value(util::utc_seconds_text(times.created_ms));
  json.key("updated_at").value(util::utc_seconds_text(times.last_update_ms));
  json.key("start_date").value(util::utc_seconds_text(experiment.start.epoch_seconds() * 1000));
  json.key("end_date")
      .value(util::utc_seconds_text(experiment.end.plus_days(1).epoch_seconds() * 1000));
  json.key("variants").begin_array();
  for (std::size_t arm = 0; arm < experiment.variations.size(); ++arm) {
    const model::ScenarioVariation& variation = experiment.variations[arm];
    json.begin_object();
    json.key("id").value(ids.variations[arm]);
    json.key("name").value(variation.name);
    json.key("description")
        .value(variation.is_control ? std::string("Current experience") : variation.name);
    json.key("allocation").value(variation.allocation_percent);
    json.end_object();
  }
  json.end_array();
  if (detail) {
    json.key("targeting").begin_object();
    json.key("rules").begin_array().end_array();
    json.key("operator").value("and");
    json.end_object();
    json.key("metrics").begin_array();
    const std::pair<std::string_view, std::string_view> metrics[] = {
        {"conversion_rate", "Percentage of users who complete a purchase"},
        {"revenue_per_user", "Revenue per user, buyers and non-buyers alike"}};
    for (const auto& [name, description] : metrics) {
      json.begin_object();
      json.key("id").value(
          stable_hex_id("met_", 6, {scenario.store.name, "platform-metric", ids.experiment, name}));
      json.key("name").value(name);
      json.key("description").value(description);
      json.key("event_name").value("purchase_completed");
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
}

struct Estimate {
  double value = 0.0;
  double standard_error = 0.0;
};

Estimate conversion_estimate(const Tally& tally) {
  const double n = static_cast<double>(tally.visitors);
  const double p = n > 0.0 ? static_cast<double>(tally.orders) / n : 0.0;
  return {p, n > 0.0 ? std::sqrt(p * (1.0 - p) / n) : 0.0};
}

Estimate revenue_estimate(const Tally& tally) {
  const double n = static_cast<double>(tally.visitors);
  if (n < 2.0) {
    return {0.0, 0.0};
  }
  const double mean = tally.revenue() / n;
  const double variance = std::max(0.0, (tally.revenue_sq - n * mean * mean) / (n - 1.0));
  return {mean, std::sqrt(variance / n)};
}

// Where a metric's figures go, for the errors the scenario plants in them.
struct MetricPlace {
  std::string_view metric;
  std::size_t index = 0; // in the results' `metrics`
  const std::string* file = nullptr;
  Output* output = nullptr;
};

// A figure as written: the true one, unless the scenario plants an error in it.
double written(const ScenarioExperiment& experiment, const MetricPlace& place, std::size_t arm,
               std::string_view field, double value, int decimals) {
  for (const model::VendorErrorPlan& plan : experiment.vendor_errors) {
    if (plan.metric != place.metric || plan.field != field ||
        plan.variation != experiment.variations[arm].id) {
      continue;
    }
    const bool comparison = field == "improvement" || field == "confidence";
    PlantedError planted{experiment.id,
                         *place.file,
                         "data.metrics[" + std::to_string(place.index) + "].results." +
                             (comparison ? "" : experiment.variations[arm].name + ".") +
                             std::string(field),
                         plan.variation,
                         {},
                         std::string(place.metric),
                         std::string(field),
                         value,
                         round_to(value + plan.offset, decimals)};
    value = planted.reported;
    place.output->planted.push_back(std::move(planted));
  }
  return value;
}

// A metric's `results` object: each variant's value and 90 % interval, then the comparison.
// is_significant follows the true confidence, so that a planted confidence contradicts it.
void write_results(JsonWriter& json, const ScenarioExperiment& experiment,
                   const std::vector<Estimate>& estimates, double scale, int decimals,
                   const MetricPlace& place) {
  const std::size_t control = experiment.control_index();
  const std::size_t treatment = 1 - control;
  json.begin_object();
  for (std::size_t arm = 0; arm < experiment.variations.size(); ++arm) {
    const Estimate& e = estimates[arm];
    const auto figure = [&](std::string_view field, double value) {
      return written(experiment, place, arm, field, round_to(value * scale, decimals), decimals);
    };
    json.key(experiment.variations[arm].name).begin_object();
    json.key("value").value(figure("value", e.value));
    json.key("confidence_interval").begin_array();
    json.value(figure("ci_low", e.value - k_z90 * e.standard_error));
    json.value(figure("ci_high", e.value + k_z90 * e.standard_error));
    json.end_array();
    json.end_object();
  }
  const Estimate& c = estimates[control];
  const Estimate& t = estimates[treatment];
  const double se =
      std::sqrt(c.standard_error * c.standard_error + t.standard_error * t.standard_error);
  const double z = se > 0.0 ? (t.value - c.value) / se : 0.0;
  const double confidence = round_to(100.0 * std::erf(std::abs(z) / std::sqrt(2.0)), 1);
  json.key("improvement");
  if (c.value > 0.0) {
    json.value(written(experiment, place, treatment, "improvement",
                       round_to(100.0 * (t.value / c.value - 1.0), 1) + 0.0, 1));
  } else {
    json.null();
  }
  json.key("confidence").value(written(experiment, place, treatment, "confidence", confidence, 1));
  json.key("is_significant").value(confidence >= 95.0);
  json.end_object();
}

// The experiments list, paginated.
void write_list(const Scenario& scenario, const std::vector<std::size_t>& listed, Output& output) {
  const std::uint64_t limit = scenario.pagination.platform_experiments;
  const std::uint64_t total = listed.size();
  const std::uint64_t pages = std::max<std::uint64_t>(1, (total + limit - 1) / limit);
  for (std::uint64_t page = 1; page <= pages; ++page) {
    JsonWriter json(k_compact);
    json.begin_object();
    json.key("data").begin_array();
    for (std::uint64_t i = (page - 1) * limit; i < std::min(total, page * limit); ++i) {
      write_summary(json, scenario, scenario.experiments[listed[i]], false);
    }
    json.end_array();
    json.key("meta").begin_object();
    json.key("total").value(total);
    json.key("page").value(page);
    json.key("limit").value(limit);
    json.key("pages").value(pages);
    json.end_object();
    json.end_object();
    output.add(
        "platform/experiments.page-" + std::to_string(page) + ".json", json.finish(),
        contract::ApiRequest{"platform",
                             "GET",
                             contract::platform::experiments_list_path(),
                             {{"page", std::to_string(page)}, {"limit", std::to_string(limit)}},
                             {}});
  }
}

std::string results_body(const ScenarioExperiment& experiment, const SourceIds& ids,
                         const ExperimentSimulation& simulation, const std::string& file,
                         Output& output) {
  const std::vector<Tally> arms = overall_tallies(experiment, simulation);
  std::vector<Estimate> conversion;
  std::vector<Estimate> revenue;
  for (const Tally& tally : arms) {
    conversion.push_back(conversion_estimate(tally));
    revenue.push_back(revenue_estimate(tally));
  }
  JsonWriter json(k_compact);
  json.begin_object();
  json.key("data").begin_object();
  json.key("experiment_id").value(ids.experiment);
  json.key("status").value(platform_status(experiment.status));
  json.key("sample_size").begin_object();
  for (std::size_t arm = 0; arm < arms.size(); ++arm) {
    json.key(experiment.variations[arm].name).value(arms[arm].visitors);
  }
  json.end_object();
  json.key("metrics").begin_array();
  json.begin_object();
  json.key("name").value("conversion_rate");
  json.key("results");
  write_results(json, experiment, conversion, 100.0, 1, {"conversion_rate", 0, &file, &output});
  json.end_object();
  json.begin_object();
  json.key("name").value("revenue_per_user");
  json.key("results");
  write_results(json, experiment, revenue, 1.0, 2, {"revenue_per_user", 1, &file, &output});
  json.end_object();
  json.end_array();
  json.end_object();
  json.end_object();
  return json.finish();
}

} // namespace

void write_platform(const Scenario& scenario, const Simulation& simulation, Output& output) {
  std::vector<std::size_t> listed;
  for (std::size_t e = 0; e < scenario.experiments.size(); ++e) {
    if (scenario.experiments[e].source == model::ScenarioSource::platform) {
      listed.push_back(e);
    }
  }
  if (listed.empty()) {
    return;
  }
  write_list(scenario, listed, output);
  for (const std::size_t e : listed) {
    const ScenarioExperiment& experiment = scenario.experiments[e];
    const SourceIds ids = source_ids(scenario, experiment);
    {
      JsonWriter json(k_compact);
      json.begin_object();
      json.key("data");
      write_summary(json, scenario, experiment, true);
      json.end_object();
      output.add(
          "platform/experiments/" + ids.experiment + ".json", json.finish(),
          contract::ApiRequest{
              "platform", "GET", contract::platform::experiment_path(ids.experiment), {}, {}});
    }
    if (experiment.status == model::ScenarioStatus::pending) {
      continue;
    }
    const std::string file = "platform/experiments/" + ids.experiment + "/results.json";
    std::string body = results_body(experiment, ids, simulation.experiments[e], file, output);
    output.add(file, std::move(body),
               contract::ApiRequest{
                   "platform", "GET", contract::platform::results_path(ids.experiment), {}, {}});
  }
}

} // namespace reckon::simulate::detail
