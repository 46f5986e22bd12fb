#include "scenario_parts.hpp"

#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

namespace reckon::parse::detail {

namespace {

using model::ScenarioSource;
using model::ScenarioStatus;
using simdjson::dom::element;
using simdjson::dom::object;

const std::set<std::string, std::less<>> k_statistical_metrics{"conversion_rate",
                                                               "net_revenue_per_visitor",
                                                               "net_revenue_per_order",
                                                               "gross_profit_per_visitor",
                                                               "gross_profit_per_order",
                                                               "add_to_cart_rate",
                                                               "checkout_begin_rate",
                                                               "checkout_enter_contact_info_rate",
                                                               "checkout_address_submitted_rate",
                                                               "abandoned_cart_rate",
                                                               "abandoned_checkout_rate"};

const std::set<std::string, std::less<>> k_experience_types{
    "content/advanced", "content/onsiteEdits",   "content/url", "content/theme", "content/template",
    "personalization",  "personalization/offer", "pricing",     "checkoutBlock", "shipping",
    "sitewide",         "postPurchase",          "onsiteUpsell"};

// An id of lowercase letters, digits, '-' and '_', fit for file names and URLs.
std::optional<std::string> read_slug(JsonReader& r, element value, const JsonPath& path) {
  const auto text = r.string(value, path);
  if (!text) {
    return std::nullopt;
  }
  const bool ok = !text->empty() && std::all_of(text->begin(), text->end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
  if (!ok) {
    r.fail(path,
           "expected an id of lowercase letters, digits, '-' and '_' (got " + quoted(*text) + ")");
    return std::nullopt;
  }
  return std::string(*text);
}

model::ScenarioVariation read_variation(JsonReader& r, object body, const JsonPath& path,
                                        const model::ScenarioStore& store) {
  model::ScenarioVariation variation;
  if (const auto id = r.required(body, "id", path)) {
    variation.id = read_slug(r, *id, path.key("id")).value_or("");
  }
  variation.name = variation.id;
  if (const auto name = r.field(body, "name")) {
    variation.name = std::string(r.label(*name, path.key("name")).value_or(""));
  }
  if (const auto control = r.field(body, "control")) {
    variation.is_control = r.boolean(*control, path.key("control")).value_or(false);
  }
  if (const auto allocation = r.required(body, "allocation", path)) {
    variation.allocation_percent =
        r.number_in(*allocation, path.key("allocation"), 0.0, 100.0 + 1e-9).value_or(0.0);
  }
  if (const auto rate = r.required(body, "conversion_rate", path)) {
    variation.conversion_rate =
        r.number_in(*rate, path.key("conversion_rate"), 0.0, 1.0).value_or(0.0);
  }
  if (const auto order_value = r.field(body, "order_value")) {
    variation.order_value = read_order_value(r, *order_value, path.key("order_value"));
  }
  if (const auto funnel = r.field(body, "funnel")) {
    variation.funnel = read_funnel(r, *funnel, path.key("funnel"));
  }
  if (const auto multipliers = r.field(body, "conversion_multipliers")) {
    variation.conversion_multipliers =
        read_multipliers(r, *multipliers, path.key("conversion_multipliers"), store.dimensions);
  }
  if (const auto multipliers = r.field(body, "allocation_multipliers")) {
    variation.allocation_multipliers = read_multipliers(
        r, *multipliers, path.key("allocation_multipliers"), store.dimensions, false);
  }
  if (r.failed()) {
    return variation;
  }
  const double largest = variation.conversion_rate *
                         largest_multiplier(store.conversion_multipliers,
                                            variation.conversion_multipliers, store.dimensions);
  if (largest >= 1.0) {
    r.fail(path.key("conversion_rate"),
           "with every multiplier applied the conversion probability reaches " +
               util::format_round_trip(largest) + " (it must stay below 1)");
  }
  return variation;
}

// Id, names and texts, where the data comes from and what kind of experience it is.
void read_description(JsonReader& r, object body, const JsonPath& path,
                      model::ScenarioExperiment& experiment) {
  if (const auto id = r.required(body, "id", path)) {
    experiment.id = read_slug(r, *id, path.key("id")).value_or("");
  }
  experiment.name = experiment.id;
  if (const auto name = r.field(body, "name")) {
    experiment.name = std::string(r.label(*name, path.key("name")).value_or(""));
  }
  for (const auto& [key, out] :
       {std::pair{"description", &experiment.description},
        std::pair{"hypothesis", &experiment.hypothesis}, std::pair{"note", &experiment.note}}) {
    if (const auto text = r.field(body, key)) {
      *out = std::string(r.string(*text, path.key(key)).value_or(""));
    }
  }
  if (const auto source = r.field(body, "source")) {
    experiment.source = r.one_of<ScenarioSource>(*source, path.key("source"),
                                                 {{"intelligems", ScenarioSource::intelligems},
                                                  {"platform", ScenarioSource::platform},
                                                  {"bandit", ScenarioSource::bandit}})
                            .value_or(ScenarioSource::intelligems);
  }
  if (const auto type = r.field(body, "type")) {
    experiment.type = std::string(r.label(*type, path.key("type")).value_or(""));
    if (!r.failed() && k_experience_types.count(experiment.type) == 0) {
      r.fail(path.key("type"), "not an Intelligems experience type (content/advanced, "
                               "pricing, shipping, ...)");
    }
  }
}

// Status, days, traffic, and what the experiment is judged on.
void read_schedule(JsonReader& r, object body, const JsonPath& path,
                   const model::ScenarioStore& store, model::ScenarioExperiment& experiment) {
  if (const auto status = r.required(body, "status", path)) {
    experiment.status = r.one_of<ScenarioStatus>(*status, path.key("status"),
                                                 {{"pending", ScenarioStatus::pending},
                                                  {"started", ScenarioStatus::started},
                                                  {"paused", ScenarioStatus::paused},
                                                  {"ended", ScenarioStatus::ended}})
                            .value_or(ScenarioStatus::started);
  }
  if (const auto start = r.required(body, "start", path)) {
    experiment.start = r.date(*start, path.key("start")).value_or(util::Date{});
  }
  if (const auto end = r.required(body, "end", path)) {
    experiment.end = r.date(*end, path.key("end")).value_or(util::Date{});
  }
  if (const auto daily = r.required(body, "daily_visitors", path)) {
    experiment.daily_visitors = r.whole_number(*daily, path.key("daily_visitors")).value_or(0);
  }
  if (const auto primary = r.field(body, "primary_metric")) {
    const JsonPath primary_path = path.key("primary_metric");
    experiment.primary_metric = std::string(r.label(*primary, primary_path).value_or(""));
    if (!r.failed() && !is_statistical_metric(experiment.primary_metric)) {
      r.fail(primary_path, "not a statistical metric of the analytics");
    } else if (!r.failed() && experiment.primary_metric.rfind("gross_profit", 0) == 0 &&
               !store.cost_of_goods_share) {
      r.fail(primary_path, "profit metrics are null when the store has no costs");
    }
  }
  if (const auto algorithm = r.field(body, "algorithm")) {
    experiment.algorithm = std::string(r.label(*algorithm, path.key("algorithm")).value_or(""));
    if (!r.failed() && experiment.algorithm != "THOMPSON_SAMPLING") {
      r.fail(path.key("algorithm"), "only THOMPSON_SAMPLING is simulated");
    }
  }
}

void check_schedule(JsonReader& r, const JsonPath& path,
                    const model::ScenarioExperiment& experiment, std::int64_t as_of_seconds) {
  if (experiment.end < experiment.start) {
    r.fail(path.key("end"), "ends before it starts");
  } else if (experiment.end.plus_days(1).epoch_seconds() > as_of_seconds) {
    r.fail(path.key("end"), "the last day of data must be over by as_of");
  } else if (experiment.daily_visitors == 0 || experiment.daily_visitors > 1'000'000) {
    r.fail(path.key("daily_visitors"), "must lie in [1, 1000000]");
  } else if (experiment.days() > 400) {
    r.fail(path.key("end"), "simulates at most 400 days");
  }
}

// Each variation, with ids and names distinct within the experiment.
void read_variations(JsonReader& r, simdjson::dom::array list, const JsonPath& path,
                     const model::ScenarioStore& store, model::ScenarioExperiment& experiment) {
  std::size_t index = 0;
  for (const element item : list) {
    const JsonPath item_path = path.index(index++);
    const auto variation_body = r.object(item, item_path);
    if (!variation_body) {
      return;
    }
    experiment.variations.push_back(read_variation(r, *variation_body, item_path, store));
    if (r.failed()) {
      return;
    }
    const model::ScenarioVariation& added = experiment.variations.back();
    for (std::size_t other = 0; other + 1 < experiment.variations.size(); ++other) {
      if (experiment.variations[other].id == added.id ||
          experiment.variations[other].name == added.name) {
        r.fail(item_path, "variation ids and names must be distinct within an experiment");
        return;
      }
    }
  }
}

// One control, allocations summing to 100, and funnels every buyer can pass.
void check_variations(JsonReader& r, const JsonPath& path, const model::ScenarioStore& store,
                      const model::ScenarioExperiment& experiment) {
  const auto& variations = experiment.variations;
  const auto controls =
      std::count_if(variations.begin(), variations.end(),
                    [](const model::ScenarioVariation& v) { return v.is_control; });
  double allocation = 0.0;
  for (const model::ScenarioVariation& v : variations) {
    allocation += v.allocation_percent;
  }
  if (variations.size() < 2) {
    r.fail(path, "an experiment needs at least two variations");
  } else if (controls != 1) {
    r.fail(path, "exactly one variation must be the control (\"control\": true)");
  } else if (std::abs(allocation - 100.0) > 1e-6) {
    r.fail(path, "allocations must sum to 100 (got " + util::format_round_trip(allocation) + ")");
  } else if (experiment.source == ScenarioSource::platform && variations.size() != 2) {
    r.fail(path, "the experimentation platform reports two-variant tests only");
  }
  if (r.failed()) {
    return;
  }
  // Variations without a funnel of their own use the store's, referred to the control's rate.
  const std::size_t control = experiment.control_index();
  if (std::any_of(variations.begin(), variations.end(),
                  [](const model::ScenarioVariation& v) { return !v.funnel; })) {
    const JsonPath control_path = path.index(control);
    check_funnel(r, store.funnel, variations[control].conversion_rate,
                 control_path.key("conversion_rate"));
  }
  for (std::size_t i = 0; i < variations.size(); ++i) {
    if (variations[i].funnel) {
      const JsonPath item_path = path.index(i);
      check_funnel(r, *variations[i].funnel, variations[i].conversion_rate,
                   item_path.key("funnel"));
    }
  }
}

// Allocation multipliers plant a fixed split per combination of segment values: not on a
// bandit, whose allocation adapts daily, and over few enough combinations to tabulate.
void check_allocation_multipliers(JsonReader& r, const JsonPath& path,
                                  const model::ScenarioStore& store,
                                  const model::ScenarioExperiment& experiment) {
  constexpr std::size_t k_max_combinations = 10'000;
  std::set<std::string> dimensions;
  for (std::size_t i = 0; i < experiment.variations.size(); ++i) {
    const auto& multipliers = experiment.variations[i].allocation_multipliers;
    if (!multipliers.empty() && experiment.source == ScenarioSource::bandit) {
      const JsonPath variation_path = path.index(i);
      r.fail(variation_path.key("allocation_multipliers"),
             "a bandit's allocation adapts daily; allocation multipliers plant a fixed split");
      return;
    }
    for (const model::ConversionMultiplier& m : multipliers) {
      dimensions.insert(m.dimension);
    }
  }
  std::size_t combinations = 1;
  for (const model::SegmentDimension& dimension : store.dimensions) {
    if (dimensions.count(dimension.name) > 0) {
      combinations *= dimension.values.size();
    }
  }
  if (combinations > k_max_combinations) {
    r.fail(path, "allocation multipliers over these dimensions make " +
                     std::to_string(combinations) + " combinations of segment values (at most " +
                     std::to_string(k_max_combinations) + ")");
  }
}

void read_vendor_errors(JsonReader& r, element value, const JsonPath& path,
                        const model::ScenarioStore& store, model::ScenarioExperiment& experiment) {
  const auto list = r.array(value, path);
  if (!list) {
    return;
  }
  if (experiment.source == ScenarioSource::bandit) {
    r.fail(path, "vendor errors are planted in Intelligems and platform responses only");
    return;
  }
  std::size_t index = 0;
  for (const element item : *list) {
    const JsonPath item_path = path.index(index++);
    const auto error_body = r.object(item, item_path);
    if (!error_body) {
      return;
    }
    experiment.vendor_errors.push_back(
        read_vendor_error(r, *error_body, item_path, experiment, store));
    if (r.failed()) {
      return;
    }
  }
}

} // namespace

bool is_statistical_metric(std::string_view name) {
  return k_statistical_metrics.count(name) > 0;
}

model::ScenarioExperiment read_experiment(JsonReader& r, object body, const JsonPath& path,
                                          const model::ScenarioStore& store,
                                          std::int64_t as_of_seconds) {
  model::ScenarioExperiment experiment;
  read_description(r, body, path, experiment);
  read_schedule(r, body, path, store, experiment);
  if (r.failed()) {
    return experiment;
  }
  check_schedule(r, path, experiment, as_of_seconds);
  const JsonPath variations_path = path.key("variations");
  const auto variations = r.required(body, "variations", path);
  const auto list = variations ? r.array(*variations, variations_path) : std::nullopt;
  if (!list || r.failed()) {
    return experiment;
  }
  read_variations(r, *list, variations_path, store, experiment);
  if (r.failed()) {
    return experiment;
  }
  check_variations(r, variations_path, store, experiment);
  if (!r.failed()) {
    check_allocation_multipliers(r, variations_path, store, experiment);
  }
  if (r.failed()) {
    return experiment;
  }
  if (const auto errors = r.field(body, "vendor_errors")) {
    read_vendor_errors(r, *errors, path.key("vendor_errors"), store, experiment);
  }
  return experiment;
}

} // namespace reckon::parse::detail
