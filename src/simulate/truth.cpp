#include "reckon/simulate/truth.hpp"

#include "arm_model.hpp"

#include <cassert>

namespace reckon::simulate {

namespace {

// E[p] over visitors of one day type whose allocation dimensions have the values of
// `combination`: the base rate times the day factor times, per dimension, the factor of the
// slice's or the combination's value, or else the share-weighted mean factor. Dimensions are
// drawn independently, so the expectation of the product is the product of expectations.
double expected_rate(const detail::ArmModel& model, const model::ScenarioStore& store,
                     const TruthSlice& slice, bool weekend,
                     const detail::AllocationFactors& allocation, std::size_t combination) {
  double rate = model.base_rate * model.day_factor[weekend ? 1 : 0];
  std::size_t k = 0;
  for (std::size_t d = 0; d < store.dimensions.size(); ++d) {
    const bool allocated = k < allocation.dimensions.size() && allocation.dimensions[k] == d;
    if (slice.dimension && *slice.dimension == d) {
      rate *= model.segment_factor[d][slice.value];
    } else if (allocated) {
      rate *= model.segment_factor[d][allocation.value_in(combination, k)];
    } else {
      double mean = 0.0;
      for (std::size_t v = 0; v < store.dimensions[d].values.size(); ++v) {
        mean += store.dimensions[d].values[v].share * model.segment_factor[d][v];
      }
      rate *= mean;
    }
    k += allocated ? 1 : 0;
  }
  return rate;
}

// P(combination | slice) times P(arm | combination), the weight of a combination among the
// slice's visitors of `arm`; zero for a combination outside the slice.
double combination_weight(const model::ScenarioStore& store,
                          const model::ScenarioExperiment& experiment,
                          const detail::AllocationFactors& allocation, std::size_t combination,
                          std::size_t arm, const TruthSlice& slice) {
  double weight = 1.0;
  for (std::size_t k = 0; k < allocation.dimensions.size(); ++k) {
    const std::size_t d = allocation.dimensions[k];
    const std::size_t value = allocation.value_in(combination, k);
    if (slice.dimension && *slice.dimension == d) {
      weight *= value == slice.value ? 1.0 : 0.0;
    } else {
      weight *= store.dimensions[d].values[value].share;
    }
  }
  double total = 0.0;
  for (std::size_t j = 0; j < experiment.variations.size(); ++j) {
    total += experiment.variations[j].allocation_percent * allocation.factor(combination, j);
  }
  return weight * experiment.variations[arm].allocation_percent *
         allocation.factor(combination, arm) / total;
}

// E[p] over the visitors of one day type that `arm` receives in the slice: with allocation
// multipliers the arm's mix of segment values is its own, so the combinations are weighted by
// how many of the arm's visitors each holds.
double expected_rate(const detail::ArmModel& model, const model::ScenarioStore& store,
                     const model::ScenarioExperiment* experiment,
                     const detail::AllocationFactors& allocation, std::size_t arm,
                     const TruthSlice& slice, bool weekend) {
  if (allocation.dimensions.empty()) {
    return expected_rate(model, store, slice, weekend, allocation, 0);
  }
  double rate = 0.0;
  double weights = 0.0;
  for (std::size_t c = 0; c < allocation.combinations(); ++c) {
    const double weight = combination_weight(store, *experiment, allocation, c, arm, slice);
    if (weight > 0.0) {
      rate += weight * expected_rate(model, store, slice, weekend, allocation, c);
      weights += weight;
    }
  }
  return rate / weights;
}

// The arm's expectations over a slice of `first`..`last`; `experiment` null for sitewide traffic.
ExpectedMetrics expected_over(const detail::ArmModel& model, const model::Scenario& scenario,
                              const model::ScenarioExperiment* experiment, std::size_t arm,
                              const TruthSlice& slice, model::Date first, model::Date last) {
  const model::ScenarioStore& store = scenario.store;
  const detail::AllocationFactors allocation = experiment != nullptr
                                                   ? detail::allocation_factors(store, *experiment)
                                                   : detail::AllocationFactors{};
  const auto rate_on = [&](bool weekend) {
    return expected_rate(model, store, experiment, allocation, arm, slice, weekend);
  };
  double rate = 0.0;
  if (slice.weekend) {
    rate = rate_on(*slice.weekend);
  } else {
    // Weight each day by its expected traffic (the daily baseline cancels out).
    double weight_sum = 0.0;
    for (model::Date day = first; day <= last; day = day.plus_days(1)) {
      const double weight = detail::expected_visitors(store, 1.0, day);
      rate += weight * rate_on(day.is_weekend());
      weight_sum += weight;
    }
    rate /= weight_sum;
  }
  ExpectedMetrics metrics;
  metrics.conversion_rate = rate;
  metrics.order_value = model.order_value_mean;
  metrics.revenue_per_visitor = rate * model.order_value_mean;
  for (std::size_t stage = 0; stage < model::k_funnel_stages; ++stage) {
    metrics.funnel[stage] = rate + (1.0 - rate) * model.leak[stage];
  }
  metrics.abandoned_cart_rate = (1.0 - rate) * model.leak[0];
  metrics.abandoned_checkout_rate = (1.0 - rate) * model.leak[1];
  return metrics;
}

} // namespace

ExpectedMetrics expected_metrics(const model::Scenario& scenario,
                                 const model::ScenarioExperiment& experiment, std::size_t arm,
                                 const TruthSlice& slice) {
  assert(arm < experiment.variations.size());
  return expected_over(detail::arm_model(scenario, experiment, arm), scenario, &experiment, arm,
                       slice, experiment.start, experiment.end);
}

ExpectedMetrics expected_sitewide_metrics(const model::Scenario& scenario,
                                          const TruthSlice& slice) {
  assert(scenario.store.sitewide);
  return expected_over(detail::sitewide_model(scenario), scenario, nullptr, 0, slice,
                       scenario.store.sitewide->start, scenario.store.sitewide->end);
}

std::vector<double> expected_allocation(const model::Scenario& scenario,
                                        const model::ScenarioExperiment& experiment,
                                        const TruthSlice& slice) {
  const detail::AllocationFactors allocation =
      detail::allocation_factors(scenario.store, experiment);
  std::vector<double> shares(experiment.variations.size(), 0.0);
  for (std::size_t c = 0; c < allocation.combinations(); ++c) {
    for (std::size_t arm = 0; arm < shares.size(); ++arm) {
      shares[arm] += combination_weight(scenario.store, experiment, allocation, c, arm, slice);
    }
  }
  return shares;
}

} // namespace reckon::simulate
