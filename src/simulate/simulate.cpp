#include "reckon/simulate/simulate.hpp"

#include "reckon/contract/saved_responses.hpp"
#include "reckon/simulate/truth.hpp"
#include "reckon/simulate/vendor_stats.hpp"
#include "reckon/util/calendar.hpp"
#include "reckon/util/json_writer.hpp"
#include "reckon/util/number_format.hpp"

#include "output.hpp"

#include <algorithm>

namespace reckon::simulate {

namespace detail {

namespace {

using model::Scenario;
using model::ScenarioExperiment;
using util::JsonWriter;

void csv_row(std::string& out, const ScenarioExperiment& experiment, std::size_t arm,
             std::string_view segment_type, std::string_view segment, std::string_view date,
             const Tally& tally) {
  const model::ScenarioVariation& variation = experiment.variations[arm];
  out += experiment.id;
  out += ',';
  out += variation.id;
  out += variation.is_control ? ",true," : ",false,";
  out += segment_type;
  out += ',';
  out += segment;
  out += ',';
  out += date;
  out += ',';
  out += std::to_string(tally.visitors);
  out += ',';
  out += std::to_string(tally.orders);
  out += ',';
  out += std::to_string(tally.revenue_cents / 100);
  out += '.';
  const std::uint64_t cents = tally.revenue_cents % 100;
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  out += ',';
  out += util::format_fixed(tally.revenue_sq, 4);
  out += ',';
  out += util::format_round_trip(experiment.variations[arm].allocation_percent);
  out += '\n';
}

// A CSV field as RFC 4180 wants it: quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (const char c : text) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

// Each day's rows per value (with visitors) of each day segment, after every day's overall rows.
void csv_day_segment_rows(std::string& out, const Scenario& scenario,
                          const ScenarioExperiment& experiment, const ExperimentSimulation& data) {
  const std::vector<std::size_t> dimensions = day_segment_dimensions(scenario);
  for (const DayTallies& day : data.days) {
    const std::string date = day.date.to_string();
    for (const std::size_t d : dimensions) {
      const model::SegmentDimension& dimension = scenario.store.dimensions[d];
      for (std::size_t v = 0; v < dimension.values.size(); ++v) {
        const std::vector<Tally>& segment = day.segments[d][v];
        if (std::all_of(segment.begin(), segment.end(),
                        [](const Tally& t) { return t.visitors == 0; })) {
          continue; // as the audience views, which have no rows for it
        }
        for (std::size_t arm = 0; arm < segment.size(); ++arm) {
          csv_row(out, experiment, arm, dimension.name, csv_field(dimension.values[v].label), date,
                  segment[arm]);
        }
      }
    }
  }
}

void write_expected(JsonWriter& json, const ExpectedMetrics& metrics,
                    const ExpectedMetrics* control) {
  json.begin_object();
  json.key("conversion_rate").value(metrics.conversion_rate);
  json.key("net_revenue_per_order").value(metrics.order_value);
  json.key("net_revenue_per_visitor").value(metrics.revenue_per_visitor);
  for (std::size_t stage = 0; stage < model::k_funnel_stages; ++stage) {
    json.key(model::to_string(static_cast<model::FunnelStage>(stage))).value(metrics.funnel[stage]);
  }
  json.key("abandoned_cart_rate").value(metrics.abandoned_cart_rate);
  json.key("abandoned_checkout_rate").value(metrics.abandoned_checkout_rate);
  if (control != nullptr) {
    json.key("uplift").begin_object();
    json.key("conversion_rate").value(metrics.conversion_rate / control->conversion_rate - 1.0);
    json.key("net_revenue_per_order").value(metrics.order_value / control->order_value - 1.0);
    json.key("net_revenue_per_visitor")
        .value(metrics.revenue_per_visitor / control->revenue_per_visitor - 1.0);
    json.key("add_to_cart_rate").value(metrics.funnel[0] / control->funnel[0] - 1.0);
    json.end_object();
  }
  json.end_object();
}

// Every variation's expectations over one slice, keyed by variation id.
void write_expected_slice(JsonWriter& json, const Scenario& scenario,
                          const ScenarioExperiment& experiment, const TruthSlice& slice) {
  const std::size_t control = experiment.control_index();
  const ExpectedMetrics control_metrics = expected_metrics(scenario, experiment, control, slice);
  json.begin_object();
  for (std::size_t arm = 0; arm < experiment.variations.size(); ++arm) {
    json.key(experiment.variations[arm].id);
    write_expected(json, expected_metrics(scenario, experiment, arm, slice),
                   arm == control ? nullptr : &control_metrics);
  }
  json.end_object();
}

void write_multipliers(JsonWriter& json, const std::vector<model::ConversionMultiplier>& list) {
  json.begin_object();
  std::vector<std::string> dimensions;
  for (const model::ConversionMultiplier& m : list) {
    if (std::find(dimensions.begin(), dimensions.end(), m.dimension) == dimensions.end()) {
      dimensions.push_back(m.dimension);
    }
  }
  for (const std::string& dimension : dimensions) {
    json.key(dimension).begin_object();
    for (const model::ConversionMultiplier& m : list) {
      if (m.dimension == dimension) {
        json.key(m.value).value(m.factor);
      }
    }
    json.end_object();
  }
  json.end_object();
}

// How the simulated vendor computes its statistics, for a reader of truth.json.
void write_vendor_model(JsonWriter& json) {
  json.key("vendor_model").begin_object();
  json.key("draws").value(k_vendor_draws);
  json.key("level").value(0.95);
  json.key("low_data")
      .value("p2bb, p2bc and intervals are null when any arm of the slice has "
             "fewer than " +
             std::to_string(k_vendor_min_visitors) + " visitors or " +
             std::to_string(k_vendor_min_events) +
             " events of the metric (orders for revenue metrics)");
  json.key("rates").value("Beta(events + 1, visitors - events + 1)");
  json.key("net_revenue_per_order")
      .value("log-normal, median the observed mean, log-scale sd sqrt(log(1 + cv^2 / orders))");
  json.key("net_revenue_per_visitor").value("conversion draw times order-value draw");
  json.end_object();
}

void write_variations(JsonWriter& json, const Scenario& scenario,
                      const ScenarioExperiment& experiment, const SourceIds& ids) {
  json.key("variations").begin_array();
  for (std::size_t arm = 0; arm < experiment.variations.size(); ++arm) {
    const model::ScenarioVariation& variation = experiment.variations[arm];
    const model::OrderValueModel order_value =
        variation.order_value.value_or(scenario.store.order_value);
    json.begin_object();
    json.key("id").value(variation.id);
    json.key("name").value(variation.name);
    json.key("source_id").value(ids.variations[arm]);
    json.key("is_control").value(variation.is_control);
    json.key("allocation").value(variation.allocation_percent);
    json.key("base_conversion_rate").value(variation.conversion_rate);
    json.key("order_value").begin_object();
    json.key("mean").value(order_value.mean);
    json.key("cv").value(order_value.cv);
    json.end_object();
    json.key("conversion_multipliers");
    write_multipliers(json, variation.conversion_multipliers);
    if (experiment.skews_allocation()) {
      json.key("allocation_multipliers");
      write_multipliers(json, variation.allocation_multipliers);
    }
    json.end_object();
  }
  json.end_array();
}

// "segments": {dimension: {label: ...}}, each value written by `write_value` for its slice.
template <typename WriteValue>
void write_segments(JsonWriter& json, const Scenario& scenario, WriteValue write_value) {
  json.key("segments").begin_object();
  for (std::size_t d = 0; d < scenario.store.dimensions.size(); ++d) {
    const model::SegmentDimension& dimension = scenario.store.dimensions[d];
    json.key(dimension.name).begin_object();
    for (std::size_t v = 0; v < dimension.values.size(); ++v) {
      json.key(dimension.values[v].label);
      write_value(TruthSlice{d, v, std::nullopt});
    }
    json.end_object();
  }
  json.end_object();
}

// The exact expectations overall, per day type and per segment value.
void write_expectations(JsonWriter& json, const Scenario& scenario,
                        const ScenarioExperiment& experiment) {
  json.key("expected").begin_object();
  json.key("overall");
  write_expected_slice(json, scenario, experiment, TruthSlice{});
  json.key("day_type").begin_object();
  for (const bool weekend : {false, true}) {
    json.key(weekend ? "weekend" : "weekday");
    write_expected_slice(json, scenario, experiment, TruthSlice{std::nullopt, 0, weekend});
  }
  json.end_object();
  write_segments(json, scenario, [&](const TruthSlice& slice) {
    write_expected_slice(json, scenario, experiment, slice);
  });
  json.end_object();
}

void write_allocation_shares(JsonWriter& json, const Scenario& scenario,
                             const ScenarioExperiment& experiment, const TruthSlice& slice) {
  const std::vector<double> shares = expected_allocation(scenario, experiment, slice);
  json.begin_object();
  for (std::size_t arm = 0; arm < shares.size(); ++arm) {
    json.key(experiment.variations[arm].id).value(shares[arm]);
  }
  json.end_object();
}

// The planted split of a skewed allocation: overall and inside every segment value.
void write_allocation_by_segment(JsonWriter& json, const Scenario& scenario,
                                 const ScenarioExperiment& experiment) {
  json.key("allocation_by_segment").begin_object();
  json.key("overall");
  write_allocation_shares(json, scenario, experiment, TruthSlice{});
  write_segments(json, scenario, [&](const TruthSlice& slice) {
    write_allocation_shares(json, scenario, experiment, slice);
  });
  json.end_object();
}

void write_allocation_by_day(JsonWriter& json, const ExperimentSimulation& simulation) {
  json.key("allocation_by_day").begin_object();
  for (const DayTallies& day : simulation.days) {
    json.key(day.date.to_string()).begin_array();
    for (const double share : day.allocation) {
      json.value(share);
    }
    json.end_array();
  }
  json.end_object();
}

void write_vendor_errors(JsonWriter& json, const Output& output, const std::string& experiment) {
  json.key("vendor_errors").begin_array();
  for (const PlantedError& planted : output.planted) {
    if (planted.experiment != experiment) {
      continue;
    }
    json.begin_object();
    json.key("file").value(planted.file);
    json.key("json_path").value(planted.json_path);
    json.key("variation").value(planted.variation);
    json.key("segment").value(planted.segment);
    json.key("metric").value(planted.metric);
    json.key("field").value(planted.field);
    json.key("true_value").value(planted.true_value);
    json.key("reported").value(planted.reported);
    json.end_object();
  }
  json.end_array();
}

// The counts the platform's rounded percentages were computed from: what a re-analysis of its
// results can recover only within their rounding.
void write_realised(JsonWriter& json, const ScenarioExperiment& experiment,
                    const ExperimentSimulation& simulation) {
  const std::vector<Tally> arms = overall_tallies(experiment, simulation);
  json.key("realised").begin_object();
  for (std::size_t arm = 0; arm < arms.size(); ++arm) {
    json.key(experiment.variations[arm].id).begin_object();
    json.key("visitors").value(arms[arm].visitors);
    json.key("conversions").value(arms[arm].orders);
    json.end_object();
  }
  json.end_object();
}

void write_truth_experiment(JsonWriter& json, const Scenario& scenario,
                            const ScenarioExperiment& experiment,
                            const ExperimentSimulation& simulation, const Output& output) {
  const SourceIds ids = source_ids(scenario, experiment);
  json.begin_object();
  json.key("id").value(experiment.id);
  json.key("name").value(experiment.name);
  json.key("source").value(model::to_string(experiment.source));
  json.key("source_id").value(ids.experiment);
  json.key("status").value(model::to_string(experiment.status));
  json.key("start").value(experiment.start.to_string());
  json.key("end").value(experiment.end.to_string());
  json.key("days").value(static_cast<std::uint64_t>(experiment.days()));
  json.key("primary_metric").value(experiment.primary_metric);
  json.key("note").value(experiment.note);
  write_variations(json, scenario, experiment, ids);
  write_expectations(json, scenario, experiment);
  if (experiment.skews_allocation()) {
    write_allocation_by_segment(json, scenario, experiment);
  }
  if (experiment.source == model::ScenarioSource::bandit) {
    write_allocation_by_day(json, simulation);
  }
  if (experiment.source == model::ScenarioSource::platform && !simulation.days.empty()) {
    write_realised(json, experiment, simulation);
  }
  write_vendor_errors(json, output, experiment.id);
  json.end_object();
}

// The sitewide window, the comparison window of the same length before it, and the store's
// expectations.
void write_sitewide_truth(JsonWriter& json, const Scenario& scenario,
                          const model::SitewideTraffic& traffic) {
  const std::int64_t length = traffic.end.days_since_epoch - traffic.start.days_since_epoch;
  json.key("sitewide").begin_object();
  json.key("window").begin_array();
  json.value(traffic.start.to_string()).value(traffic.end.to_string());
  json.end_array();
  json.key("comparison_window").begin_array();
  json.value(traffic.start.plus_days(-length - 1).to_string());
  json.value(traffic.start.plus_days(-1).to_string());
  json.end_array();
  json.key("expected");
  write_expected(json, expected_sitewide_metrics(scenario), nullptr);
  json.end_object();
}

} // namespace

std::string render_counts_csv(const Scenario& scenario, const Simulation& simulation) {
  std::string out =
      "experiment,variation,is_control,segment_type,segment,date,visitors,conversions,revenue,"
      "revenue_sq,allocation\n";
  for (std::size_t e = 0; e < scenario.experiments.size(); ++e) {
    const ScenarioExperiment& experiment = scenario.experiments[e];
    const ExperimentSimulation& data = simulation.experiments[e];
    if (data.days.empty()) {
      continue;
    }
    const std::size_t arms = experiment.variations.size();
    const std::vector<Tally> overall = sum_arms(data.days, arms);
    for (std::size_t arm = 0; arm < arms; ++arm) {
      csv_row(out, experiment, arm, "", "", "", overall[arm]);
    }
    for (std::size_t d = 0; d < scenario.store.dimensions.size(); ++d) {
      const model::SegmentDimension& dimension = scenario.store.dimensions[d];
      for (std::size_t v = 0; v < dimension.values.size(); ++v) {
        const std::vector<Tally> segment = sum_segment(data.days, arms, d, v);
        for (std::size_t arm = 0; arm < arms; ++arm) {
          csv_row(out, experiment, arm, dimension.name, csv_field(dimension.values[v].label), "",
                  segment[arm]);
        }
      }
    }
    for (const DayTallies& day : data.days) {
      const std::string date = day.date.to_string();
      for (std::size_t arm = 0; arm < arms; ++arm) {
        csv_row(out, experiment, arm, "", "", date, day.arms[arm]);
      }
    }
    csv_day_segment_rows(out, scenario, experiment, data);
  }
  return out;
}

std::string render_truth(const Scenario& scenario, const Simulation& simulation,
                         const Output& output) {
  JsonWriter json;
  json.begin_object();
  json.key("schema").value("reckon.truth/v1");
  json.key("seed").value(scenario.seed);
  json.key("as_of").value(util::utc_seconds_text(scenario.as_of_seconds * 1000));
  write_vendor_model(json);
  json.key("experiments").begin_array();
  for (std::size_t e = 0; e < scenario.experiments.size(); ++e) {
    write_truth_experiment(json, scenario, scenario.experiments[e], simulation.experiments[e],
                           output);
  }
  json.end_array();
  if (const auto& traffic = scenario.store.sitewide) {
    write_sitewide_truth(json, scenario, *traffic);
  }
  json.end_object();
  return json.finish();
}

std::string render_manifest(const Scenario& scenario, const Output& output) {
  std::vector<contract::ManifestEntry> entries;
  entries.reserve(output.requests.size());
  for (const auto& [file, request] : output.requests) {
    entries.push_back({file, &request, 200, std::nullopt});
  }
  return contract::render_manifest(scenario.as_of_seconds * 1000, entries);
}

} // namespace detail

std::vector<GeneratedFile> generate(const model::Scenario& scenario) {
  const Simulation simulation = simulate_population(scenario);
  detail::Output output;
  detail::write_intelligems(scenario, simulation, output);
  detail::write_platform(scenario, simulation, output);
  detail::write_bandit(scenario, simulation, output);
  std::vector<GeneratedFile> files = std::move(output.files);
  files.push_back({"counts.csv", detail::render_counts_csv(scenario, simulation)});
  files.push_back({"truth.json", detail::render_truth(scenario, simulation, output)});
  files.push_back(
      {std::string(contract::k_manifest_file), detail::render_manifest(scenario, output)});
  return files;
}

} // namespace reckon::simulate
