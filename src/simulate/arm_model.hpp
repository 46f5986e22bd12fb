#pragma once

#include "reckon/model/scenario.hpp"

#include <array>
#include <vector>

namespace reckon::simulate::detail {

// Everything that decides what one visitor of one arm does, resolved from the scenario once.
struct ArmModel {
  double base_rate = 0.0;
  // Conversion multipliers, store's times the variation's: [dimension][value], and by day type
  // (0 weekday, 1 weekend).
  std::vector<std::vector<double>> segment_factor;
  std::array<double, 2> day_factor{1.0, 1.0};
  // P(reaching funnel stage k | not ordering): a visitor with conversion probability p reaches
  // stage k with probability p + (1 - p) * leak[k], which is the scenario's stage rate when p
  // is the reference rate.
  std::array<double, model::k_funnel_stages> leak{};
  // log(order value) ~ N(log_mu, log_sigma^2), whose mean is `order_value_mean`.
  double log_mu = 0.0;
  double log_sigma = 0.0;
  double order_value_mean = 0.0;

  double conversion_probability(const std::vector<std::size_t>& values, bool weekend) const {
    double p = base_rate * day_factor[weekend ? 1 : 0];
    for (std::size_t d = 0; d < values.size(); ++d) {
      p *= segment_factor[d][values[d]];
    }
    return p;
  }
};

// The arms' allocation multipliers, tabulated over every combination of values of the
// dimensions some variation has them on (one empty combination when none has).
struct AllocationFactors {
  std::vector<std::size_t> dimensions;             // indices into the store's dimensions, ascending
  std::vector<std::size_t> sizes;                  // each one's number of values
  std::vector<std::vector<double>> by_combination; // [combination][arm]; empty: all 1

  std::size_t combinations() const;
  // The combination of a visitor with these values of every store dimension.
  std::size_t combination_of(const std::vector<std::size_t>& values) const;
  // The value of dimensions[k] in `combination`.
  std::size_t value_in(std::size_t combination, std::size_t k) const;
  double factor(std::size_t combination, std::size_t arm) const {
    return by_combination.empty() ? 1.0 : by_combination[combination][arm];
  }
  // Running sums of the arms' weights (allocation times factor) per combination, for
  // Random::pick.
  std::vector<std::vector<double>> cumulative(const std::vector<double>& allocation) const;
};

AllocationFactors allocation_factors(const model::ScenarioStore& store,
                                     const model::ScenarioExperiment& experiment);

ArmModel arm_model(const model::Scenario& scenario, const model::ScenarioExperiment& experiment,
                   std::size_t arm);
// The store's own traffic, as sitewide analytics sees it.
ArmModel sitewide_model(const model::Scenario& scenario);

// Running sums of each dimension's shares, for Random::categorical.
std::vector<std::vector<double>> cumulative_shares(const model::ScenarioStore& store);

// Expected visitors on `date` for a baseline of `daily` on weekdays.
double expected_visitors(const model::ScenarioStore& store, double daily, model::Date date);

} // namespace reckon::simulate::detail
