#include "arm_model.hpp"

#include <algorithm>
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

std::size_t AllocationFactors::combinations() const {
  std::size_t count = 1;
  for (const std::size_t size : sizes) {
    count *= size;
  }
  return count;
}

std::size_t AllocationFactors::combination_of(const std::vector<std::size_t>& values) const {
  std::size_t combination = 0;
  for (std::size_t k = 0; k < dimensions.size(); ++k) {
    combination = combination * sizes[k] + values[dimensions[k]];
  }
  return combination;
}

std::size_t AllocationFactors::value_in(std::size_t combination, std::size_t k) const {
  for (std::size_t later = dimensions.size(); later-- > k + 1;) {
    combination /= sizes[later];
  }
  return combination % sizes[k];
}

std::vector<std::vector<double>>
AllocationFactors::cumulative(const std::vector<double>& allocation) const {
  std::vector<std::vector<double>> result(combinations());
  for (std::size_t c = 0; c < result.size(); ++c) {
    double total = 0.0;
    for (std::size_t arm = 0; arm < allocation.size(); ++arm) {
      total += std::max(0.0, allocation[arm]) * factor(c, arm);
      result[c].push_back(total);
    }
  }
  return result;
}

AllocationFactors allocation_factors(const model::ScenarioStore& store,
                                     const model::ScenarioExperiment& experiment) {
  AllocationFactors table;
  if (!experiment.skews_allocation()) {
    return table;
  }
  for (std::size_t d = 0; d < store.dimensions.size(); ++d) {
    const std::string& name = store.dimensions[d].name;
    for (const model::ScenarioVariation& variation : experiment.variations) {
      if (std::any_of(variation.allocation_multipliers.begin(),
                      variation.allocation_multipliers.end(),
                      [&](const model::ConversionMultiplier& m) { return m.dimension == name; })) {
        table.dimensions.push_back(d);
        table.sizes.push_back(store.dimensions[d].values.size());
        break;
      }
    }
  }
  table.by_combination.resize(table.combinations());
  for (std::size_t c = 0; c < table.by_combination.size(); ++c) {
    for (const model::ScenarioVariation& variation : experiment.variations) {
      double product = 1.0;
      for (std::size_t k = 0; k < table.dimensions.size(); ++k) {
        const model::SegmentDimension& dimension = store.dimensions[table.dimensions[k]];
        product *= factor_of(variation.allocation_multipliers, dimension.name,
                             dimension.values[table.value_in(c, k)].label);
      }
      table.by_combination[c].push_back(product);
    }
  }
  return table;
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
