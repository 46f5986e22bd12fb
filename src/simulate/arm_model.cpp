#include "arm_model.hpp"

#include <cassert>
#include <cmath>

namespace reckon::simulate::detail {

namespace {

double factor_of(const std::vector<model::ConversionMultiplier>& multipliers,
                 const std::string& dimension, const std::string& value) {
  double product = 1.0;
  for (const model::ConversionMultiplier& m : multipliers) {
    if (m.dimension == dimension && m.value == value) {
      product *= m.factor;
    }
  }
  return product;
}

void resolve_factors(ArmModel& model, const model::ScenarioStore& store,
                     const std::vector<model::ConversionMultiplier>& variation) {
  model.segment_factor.clear();
  for (const model::SegmentDimension& dimension : store.dimensions) {
    std::vector<double> factors;
    for (const model::SegmentShare& value : dimension.values) {
      factors.push_back(factor_of(store.conversion_multipliers, dimension.name, value.label) *
                        factor_of(variation, dimension.name, value.label));
    }
    model.segment_factor.push_back(std::move(factors));
  }
  for (const auto& [index, name] :
       {std::pair<std::size_t, const char*>{0, "weekday"}, {1, "weekend"}}) {
    model.day_factor[index] = factor_of(store.conversion_multipliers, "day_type", name) *
                              factor_of(variation, "day_type", name);
  }
}

void resolve_funnel(ArmModel& model, const model::FunnelRates& funnel, double reference) {
  assert(reference < 1.0);
  for (std::size_t stage = 0; stage < model::k_funnel_stages; ++stage) {
    model.leak[stage] = std::max(0.0, (funnel.rates[stage] - reference) / (1.0 - reference));
  }
}

void resolve_order_value(ArmModel& model, const model::OrderValueModel& order_value) {
  const double sigma2 = std::log1p(order_value.cv * order_value.cv);
  model.log_sigma = std::sqrt(sigma2);
  model.log_mu = std::log(order_value.mean) - sigma2 / 2.0;
  model.order_value_mean = order_value.mean;
}

} // namespace

ArmModel arm_model(const model::Scenario& scenario, const model::ScenarioExperiment& experiment,
                   std::size_t arm) {
  const model::ScenarioVariation& variation = experiment.variations[arm];
  ArmModel model;
  model.base_rate = variation.conversion_rate;
  resolve_factors(model, scenario.store, variation.conversion_multipliers);
  if (variation.funnel) {
    resolve_funnel(model, *variation.funnel, variation.conversion_rate);
  } else {
    resolve_funnel(model, scenario.store.funnel,
                   experiment.variations[experiment.control_index()].conversion_rate);
  }
  resolve_order_value(model, variation.order_value.value_or(scenario.store.order_value));
  return model;
}

ArmModel sitewide_model(const model::Scenario& scenario) {
  assert(scenario.store.sitewide);
  ArmModel model;
  model.base_rate = scenario.store.sitewide->conversion_rate;
  resolve_factors(model, scenario.store, {});
  resolve_funnel(model, scenario.store.funnel, model.base_rate);
  resolve_order_value(model, scenario.store.order_value);
  return model;
}

std::vector<std::vector<double>> cumulative_shares(const model::ScenarioStore& store) {
  std::vector<std::vector<double>> result;
  for (const model::SegmentDimension& dimension : store.dimensions) {
    std::vector<double> running;
    double total = 0.0;
    for (const model::SegmentShare& value : dimension.values) {
      total += value.share;
      running.push_back(total);
    }
    result.push_back(std::move(running));
  }
  return result;
}

double expected_visitors(const model::ScenarioStore& store, double daily, model::Date date) {
  return daily * (date.is_weekend() ? store.weekend_traffic : 1.0);
}

} // namespace reckon::simulate::detail
