#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/model/scenario.hpp"
#include "reckon/simulate/population.hpp"
#include "reckon/simulate/simulate.hpp"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reckon::simulate::detail {

// A reported statistic the scenario planted off its true value.
struct PlantedError {
  std::string experiment;
  std::string file;
  std::string json_path;
  std::string variation;
  std::string segment;
  std::string metric;
  std::string field;
  std::optional<double> true_value;
  double reported = 0.0;
};

// Everything the writers produce, in the order they produce it.
struct Output {
  std::vector<GeneratedFile> files;
  std::vector<std::pair<std::string, contract::ApiRequest>> requests; // file path, request
  std::vector<PlantedError> planted;

  void add(std::string path, std::string content, contract::ApiRequest request) {
    requests.emplace_back(path, std::move(request));
    files.push_back({std::move(path), std::move(content)});
  }
};

// A version-4-shaped UUID fixed by `parts` (not by the seed, so ids survive a reseed).
std::string stable_uuid(std::initializer_list<std::string_view> parts);
// `prefix` followed by `digits` lowercase hex digits fixed by `parts`.
std::string stable_hex_id(std::string_view prefix, std::size_t digits,
                          std::initializer_list<std::string_view> parts);

// 2026-09-01 00:00:00, the timeseries `dt`.
std::string date_time(model::Date date);

// Money as the APIs write it: rounded to cents.
double money(double value);

// The ids an experiment and its variations carry in their source's API: UUIDs at
// Intelligems, exp_/var_ at the experimentation platform, exp_/trt_ at the bandit platform.
struct SourceIds {
  std::string experiment;
  std::vector<std::string> variations;
};
SourceIds source_ids(const model::Scenario& scenario, const model::ScenarioExperiment& experiment);
std::string organization_id(const model::Scenario& scenario);

// When each experiment started, paused and ended, in Unix milliseconds.
struct Lifecycle {
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> started_ms;
  std::optional<std::int64_t> paused_ms;
  std::optional<std::int64_t> ended_ms;
  std::int64_t last_update_ms = 0;
  // Elapsed days of the test at the response time, fractional.
  double elapsed_days = 0.0;
};
Lifecycle lifecycle(const model::Scenario& scenario, const model::ScenarioExperiment& experiment);

// The indices into the store's dimensions of the scenario's day segments, in its order.
std::vector<std::size_t> day_segment_dimensions(const model::Scenario& scenario);

// The experiment's counts per arm for its whole window.
std::vector<Tally> overall_tallies(const model::ScenarioExperiment& experiment,
                                   const ExperimentSimulation& simulation);

// Writers of each source's responses; each appends to `output`.
void write_intelligems(const model::Scenario& scenario, const Simulation& simulation,
                       Output& output);
void write_platform(const model::Scenario& scenario, const Simulation& simulation, Output& output);
void write_bandit(const model::Scenario& scenario, const Simulation& simulation, Output& output);
std::string render_counts_csv(const model::Scenario& scenario, const Simulation& simulation);
std::string render_truth(const model::Scenario& scenario, const Simulation& simulation,
                         const Output& output);
std::string render_manifest(const model::Scenario& scenario, const Output& output);

} // namespace reckon::simulate::detail
