#include "output.hpp"
#include "random.hpp"

#include "reckon/util/stable_hash.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace reckon::simulate::detail {

namespace {

constexpr char k_hex[] = "0123456789abcdef";

std::string hex_digits(std::initializer_list<std::string_view> parts, std::size_t digits) {
  std::string out;
  std::uint64_t state = util::stable_hash(parts);
  while (out.size() < digits) {
    state = mix64(state + 0x9e3779b97f4a7c15ULL);
    for (int shift = 60; shift >= 0 && out.size() < digits; shift -= 4) {
      out.push_back(k_hex[(state >> shift) & 0xF]);
    }
  }
  return out;
}

} // namespace

std::string stable_uuid(std::initializer_list<std::string_view> parts) {
  std::string hex = hex_digits(parts, 32);
  hex[12] = '4';
  hex[16] = k_hex[8 + (hex[16] % 4)];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string stable_hex_id(std::string_view prefix, std::size_t digits,
                          std::initializer_list<std::string_view> parts) {
  return std::string(prefix) + hex_digits(parts, digits);
}

std::string date_time(model::Date date) {
  return date.to_string() + " 00:00:00";
}

double money(double value) {
  return std::round(value * 100.0) / 100.0 + 0.0;
}

std::vector<std::size_t> day_segment_dimensions(const model::Scenario& scenario) {
  std::vector<std::size_t> result;
  const auto& dimensions = scenario.store.dimensions;
  for (const std::string& name : scenario.day_segments) {
    const auto found =
        std::find_if(dimensions.begin(), dimensions.end(),
                     [&](const model::SegmentDimension& d) { return d.name == name; });
    assert(found != dimensions.end());
    result.push_back(static_cast<std::size_t>(found - dimensions.begin()));
  }
  return result;
}

SourceIds source_ids(const model::Scenario& scenario, const model::ScenarioExperiment& experiment) {
  const std::string& store = scenario.store.name;
  SourceIds ids;
  switch (experiment.source) {
  case model::ScenarioSource::intelligems:
    ids.experiment = stable_uuid({store, "experience", experiment.id});
    for (const model::ScenarioVariation& variation : experiment.variations) {
      ids.variations.push_back(stable_uuid({store, "variation", experiment.id, variation.id}));
    }
    break;
  case model::ScenarioSource::platform:
    ids.experiment = stable_hex_id("exp_", 8, {store, "platform-experiment", experiment.id});
    for (const model::ScenarioVariation& variation : experiment.variations) {
      ids.variations.push_back(
          stable_hex_id("var_", 6, {store, "platform-variant", experiment.id, variation.id}));
    }
    break;
  case model::ScenarioSource::bandit:
    ids.experiment = stable_hex_id("exp_", 8, {store, "bandit-experiment", experiment.id});
    for (const model::ScenarioVariation& variation : experiment.variations) {
      ids.variations.push_back(
          stable_hex_id("trt_", 6, {store, "bandit-treatment", experiment.id, variation.id}));
    }
    break;
  }
  return ids;
}

std::string organization_id(const model::Scenario& scenario) {
  return stable_uuid({scenario.store.name, "organization"});
}

Lifecycle lifecycle(const model::Scenario& scenario, const model::ScenarioExperiment& experiment) {
  Lifecycle times;
  const std::int64_t start_ms = experiment.start.epoch_seconds() * 1000;
  const std::int64_t after_end_ms = experiment.end.plus_days(1).epoch_seconds() * 1000;
  // Created a few days before launch, in the afternoon.
  times.created_ms = start_ms - 3 * 86'400'000 + 14 * 3'600'000;
  times.last_update_ms = times.created_ms;
  const std::int64_t as_of_ms = scenario.as_of_seconds * 1000;
  std::int64_t stop_ms = as_of_ms;
  switch (experiment.status) {
  case model::ScenarioStatus::pending:
    return times;
  case model::ScenarioStatus::started:
    break;
  case model::ScenarioStatus::paused:
    times.paused_ms = after_end_ms;
    stop_ms = after_end_ms;
    break;
  case model::ScenarioStatus::ended:
    times.ended_ms = after_end_ms;
    stop_ms = after_end_ms;
    break;
  }
  times.started_ms = start_ms;
  // The last action: the start, or the pause or end that stopped the test.
  times.last_update_ms = stop_ms == as_of_ms ? start_ms : stop_ms;
  times.elapsed_days = static_cast<double>(stop_ms - start_ms) / 86'400'000.0;
  return times;
}

std::vector<Tally> overall_tallies(const model::ScenarioExperiment& experiment,
                                   const ExperimentSimulation& simulation) {
  return sum_arms(simulation.days, experiment.variations.size());
}

} // namespace reckon::simulate::detail
