#pragma once

#include "reckon/model/scenario.hpp"

#include <string>

namespace reckon::simulate::test {

// A small store with every kind of experiment: Intelligems two-arm (with a planted vendor
// error), three-arm, low-traffic and pending; an experimentation-platform test; a bandit; and
// sitewide traffic. Small enough to generate in well under a second.
model::Scenario small_scenario();
std::string small_scenario_json();

} // namespace reckon::simulate::test
