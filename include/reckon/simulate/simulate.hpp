#pragma once

#include "reckon/model/scenario.hpp"

#include <string>
#include <vector>

namespace reckon::simulate {

// One generated file: its path relative to the output folder, and its bytes.
struct GeneratedFile {
  std::string path;
  std::string content;
};

// Simulates the scenario's store and writes what every source would hold (the layout is
// documented in data/README.md):
//   counts.csv                        the counts CSV of SPEC §3, with revenue_sq
//   truth.json                        the planted parameters and their expected values
//   manifest.json                     every response file with its method, path and parameters
//   intelligems/...                   Intelligems External API response bodies
//   platform/...                      experimentation platform (seed 003) response bodies
//   bandit/...                        bandit platform (seed 004) response bodies
// A pure function of the scenario (its seed included): the same scenario gives the same bytes
// on any machine and for any thread count. Requires a scenario that parse_scenario accepted.
std::vector<GeneratedFile> generate(const model::Scenario& scenario);

} // namespace reckon::simulate
