#include "reckon/simulate/truth.hpp"

#include "arm_model.hpp"

#include <cassert>

namespace reckon::simulate {

namespace {

// E[p] over visitors of one day type: the base rate times the day factor times, per dimension,
// either the share-weighted mean factor or the factor of the fixed value. Dimensions are drawn
// independently, so the expectation of the product is the product of expectations.
double expected_rate(const detail::ArmModel& model, const model::ScenarioStore& store,
                     const TruthSlice& slice, bool weekend) {
  double rate = model.base_rate * model.day_factor[weekend ? 1 : 0];
  for (std::size_t d = 0; d < store.dimensions.size(); ++d) {
    if (slice.dimension && *slice.dimension == d) {
      rate *= model.segment_factor[d][slice.value];
      continue;
    }
    double mean = 0.0;
    for (std::size_t v = 0; v < store.dimensions[d].values.size(); ++v) {
      mean += store.dimensions[d].values[v].share * model.segment_factor[d][v];
    }
    rate *= mean;
  }
  return rate;
}

ExpectedMetrics expected_over(const detail::ArmModel& model, const model::ScenarioStore& store,
                              const TruthSlice& slice, model::Date first, model::Date last) {
  double rate = 0.0;
  if (slice.weekend) {
    rate = expected_rate(model, store, slice, *slice.weekend);
  } else {
    // Weight each day by its expected traffic (the daily baseline cancels out).
    double weight_sum = 0.0;
    for (model::Date day = first; day <= last; day = day.plus_days(1)) {
      const double weight = detail::expected_visitors(store, 1.0, day);
      rate += weight * expected_rate(model, store, slice, day.is_weekend());
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
  return expected_over(detail::arm_model(scenario, experiment, arm), scenario.store, slice,
                       experiment.start, experiment.end);
}

ExpectedMetrics expected_sitewide_metrics(const model::Scenario& scenario,
                                          const TruthSlice& slice) {
  assert(scenario.store.sitewide);
  return expected_over(detail::sitewide_model(scenario), scenario.store, slice,
                       scenario.store.sitewide->start, scenario.store.sitewide->end);
}

} // namespace reckon::simulate
