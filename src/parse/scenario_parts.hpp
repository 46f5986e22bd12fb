#pragma once

#include "json_reader.hpp"

#include "reckon/model/scenario.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

// The sections of a scenario file, read by parse_scenario in order: the store (and its
// sitewide traffic), then each experiment with its variations and planted vendor errors. Each
// reader records the first violation in the JsonReader and returns what it read so far.
namespace reckon::parse::detail {

// Metrics a scenario may name as primary, or plant an error in.
bool is_statistical_metric(std::string_view name);

std::optional<model::OrderValueModel> read_order_value(JsonReader& r, simdjson::dom::element value,
                                                       const JsonPath& path);
// Rates of the funnel stages, none above the one before.
std::optional<model::FunnelRates> read_funnel(JsonReader& r, simdjson::dom::element value,
                                              const JsonPath& path);
// {"device_type": {"Mobile": 1.25}, "day_type": {"weekend": 1.3}}, checked against the
// declared dimensions; "day_type" only where `day_type` allows it (conversion, not allocation).
std::vector<model::ConversionMultiplier>
read_multipliers(JsonReader& r, simdjson::dom::element value, const JsonPath& path,
                 const std::vector<model::SegmentDimension>& dimensions, bool day_type = true);

model::ScenarioStore read_store(JsonReader& r, simdjson::dom::object body, const JsonPath& path);

// The largest product of conversion multipliers a visitor can meet: the largest per
// dimension, multiplied.
double largest_multiplier(const std::vector<model::ConversionMultiplier>& store,
                          const std::vector<model::ConversionMultiplier>& variation,
                          const std::vector<model::SegmentDimension>& dimensions);

// Every buyer passes every funnel stage, so no stage's rate may fall below the conversion rate.
void check_funnel(JsonReader& r, const model::FunnelRates& funnel, double conversion_rate,
                  const JsonPath& path);

model::ScenarioExperiment read_experiment(JsonReader& r, simdjson::dom::object body,
                                          const JsonPath& path, const model::ScenarioStore& store,
                                          std::int64_t as_of_seconds);

// One planted error, checked against the experiment it is planted in.
model::VendorErrorPlan read_vendor_error(JsonReader& r, simdjson::dom::object body,
                                         const JsonPath& path,
                                         const model::ScenarioExperiment& experiment,
                                         const model::ScenarioStore& store);

} // namespace reckon::parse::detail
