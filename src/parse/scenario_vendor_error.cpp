#include "scenario_parts.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace reckon::parse::detail {

namespace {

const std::set<std::string, std::less<>> k_error_fields{
    "value", "ci_low",       "ci_high",       "plus_minus",     "p2bb",
    "p2bc",  "uplift.value", "uplift.ci_low", "uplift.ci_high", "uplift.plus_minus"};

// "overview", "audience.<dimension>" with a segment of it, or "day.<date>" within the test.
void check_response(JsonReader& r, const JsonPath& path, const model::VendorErrorPlan& plan,
                    const model::ScenarioExperiment& experiment,
                    const model::ScenarioStore& store) {
  if (plan.response.rfind("audience.", 0) == 0) {
    const std::string dimension = plan.response.substr(9);
    const auto declared =
        std::find_if(store.dimensions.begin(), store.dimensions.end(),
                     [&](const model::SegmentDimension& d) { return d.name == dimension; });
    if (declared == store.dimensions.end()) {
      r.fail(path.key("response"), "no segment dimension \"" + dimension + "\"");
    } else if (std::none_of(
                   declared->values.begin(), declared->values.end(),
                   [&](const model::SegmentShare& s) { return s.label == plan.segment; })) {
      r.fail(path.key("segment"), "an audience response needs a segment of " + dimension);
    }
  } else if (plan.response.rfind("day.", 0) == 0) {
    const auto day = util::Date::parse(plan.response.substr(4));
    if (!day || *day < experiment.start || experiment.end < *day) {
      r.fail(path.key("response"), "not a day of the experiment (expected day.YYYY-MM-DD)");
    }
  } else if (plan.response != "overview") {
    r.fail(path.key("response"),
           "expected \"overview\", \"audience.<dimension>\" or \"day.<date>\"");
  }
}

// The variation exists, the metric has the number, and the row carries the field.
void check_target(JsonReader& r, const JsonPath& path, const model::VendorErrorPlan& plan,
                  const model::ScenarioExperiment& experiment, const model::ScenarioStore& store) {
  const auto variation =
      std::find_if(experiment.variations.begin(), experiment.variations.end(),
                   [&](const model::ScenarioVariation& v) { return v.id == plan.variation; });
  if (variation == experiment.variations.end()) {
    r.fail(path.key("variation"), "no variation \"" + plan.variation + "\"");
  }
  if (!is_statistical_metric(plan.metric)) {
    r.fail(path.key("metric"), "not a statistical metric of the analytics responses");
  } else if (plan.metric.rfind("gross_profit", 0) == 0 && !store.cost_of_goods_share) {
    r.fail(path.key("metric"), "profit metrics are null when the store has no costs");
  }
  if (variation != experiment.variations.end() && variation->is_control &&
      (plan.field == "p2bc" || plan.field.rfind("uplift.", 0) == 0)) {
    r.fail(path.key("field"), "control rows carry no p2bc and no uplift");
  }
  if (k_error_fields.count(plan.field) == 0) {
    r.fail(path.key("field"), "expected one of value, ci_low, ci_high, plus_minus, p2bb, "
                              "p2bc, uplift.value, uplift.ci_low, uplift.ci_high, "
                              "uplift.plus_minus");
  }
}

// The platform's results: a variant's value or interval bound, or the test's improvement or
// confidence (carried by the non-control variant), of conversion_rate or revenue_per_user.
void check_platform_target(JsonReader& r, const JsonPath& path, const model::VendorErrorPlan& plan,
                           const model::ScenarioExperiment& experiment) {
  if (plan.response != "results") {
    r.fail(path.key("response"), "expected \"results\" (the platform's results response)");
  }
  const auto variation =
      std::find_if(experiment.variations.begin(), experiment.variations.end(),
                   [&](const model::ScenarioVariation& v) { return v.id == plan.variation; });
  if (variation == experiment.variations.end()) {
    r.fail(path.key("variation"), "no variation \"" + plan.variation + "\"");
  }
  if (plan.metric != "conversion_rate" && plan.metric != "revenue_per_user") {
    r.fail(path.key("metric"), "expected conversion_rate or revenue_per_user");
  }
  const bool comparison = plan.field == "improvement" || plan.field == "confidence";
  if (!comparison && plan.field != "value" && plan.field != "ci_low" && plan.field != "ci_high") {
    r.fail(path.key("field"), "expected one of value, ci_low, ci_high, improvement, confidence");
  } else if (comparison && variation != experiment.variations.end() && variation->is_control) {
    r.fail(path.key("field"), "the improvement and confidence belong to the non-control variant");
  }
}

} // namespace

model::VendorErrorPlan read_vendor_error(JsonReader& r, simdjson::dom::object body,
                                         const JsonPath& path,
                                         const model::ScenarioExperiment& experiment,
                                         const model::ScenarioStore& store) {
  model::VendorErrorPlan plan;
  const auto text = [&](std::string_view key) -> std::string {
    const auto value = r.required(body, key, path);
    return value ? std::string(r.label(*value, path.key(key)).value_or("")) : std::string();
  };
  plan.response = text("response");
  plan.variation = text("variation");
  plan.metric = text("metric");
  plan.field = text("field");
  if (const auto offset = r.required(body, "offset", path)) {
    plan.offset = r.number(*offset, path.key("offset")).value_or(0.0);
  }
  if (const auto segment = r.field(body, "segment")) {
    plan.segment = std::string(r.label(*segment, path.key("segment")).value_or(""));
  }
  if (r.failed()) {
    return plan;
  }
  if (experiment.source == model::ScenarioSource::platform) {
    check_platform_target(r, path, plan, experiment);
    return plan;
  }
  check_response(r, path, plan, experiment, store);
  check_target(r, path, plan, experiment, store);
  return plan;
}

} // namespace reckon::parse::detail
