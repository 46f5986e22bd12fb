#pragma once

#include "reckon/model/scenario.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <vector>

namespace reckon::simulate {

// The expected (population) value of each metric for one arm, as the scenario planted it.
struct ExpectedMetrics {
  double conversion_rate = 0.0;
  double order_value = 0.0; // mean order value
  double revenue_per_visitor = 0.0;
  std::array<double, model::k_funnel_stages> funnel{};
  double abandoned_cart_rate = 0.0;
  double abandoned_checkout_rate = 0.0;
};

// Which visitors an expectation averages over: everyone, one value of one dimension, and/or
// one day type (weekday or weekend). Without a day type, days are weighted by their expected
// traffic over the experiment's window.
struct TruthSlice {
  std::optional<std::size_t> dimension; // index into the store's dimensions
  std::size_t value = 0;                // index into that dimension's values
  std::optional<bool> weekend;
};

// Exact expectations of what simulate_population draws for `arm` of `experiment`.
ExpectedMetrics expected_metrics(const model::Scenario& scenario,
                                 const model::ScenarioExperiment& experiment, std::size_t arm,
                                 const TruthSlice& slice = {});

// The share of the slice's visitors each arm receives (day types aside): the allocations, or
// with allocation multipliers the planted split, mixed over the combinations of segment values
// the slice holds. A bandit's adaptive allocation is not modelled: its nominal split.
std::vector<double> expected_allocation(const model::Scenario& scenario,
                                        const model::ScenarioExperiment& experiment,
                                        const TruthSlice& slice = {});

// The same for the store's sitewide traffic (no experiment).
ExpectedMetrics expected_sitewide_metrics(const model::Scenario& scenario,
                                          const TruthSlice& slice = {});

} // namespace reckon::simulate
