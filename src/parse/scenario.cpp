#include "reckon/parse/scenario.hpp"

#include "iso_time.hpp"
#include "scenario_parts.hpp"

#include "reckon/util/number_format.hpp"

#include <algorithm>

namespace reckon::parse {

namespace {

using detail::JsonPath;
using detail::JsonReader;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::string_view k_schema = "reckon.scenario/v1";

void read_pagination(JsonReader& r, object body, const JsonPath& path,
                     model::ScenarioPagination& pagination) {
  const auto size = [&](std::string_view key, std::uint64_t& out) {
    if (const auto value = r.field(body, key)) {
      const auto count = r.whole_number(*value, path.key(key));
      if (count && (*count == 0 || *count > 1000)) {
        r.fail(path.key(key), "page sizes lie in [1, 1000]");
      } else if (count) {
        out = *count;
      }
    }
  };
  size("intelligems_experiences", pagination.intelligems_experiences);
  size("platform_experiments", pagination.platform_experiments);
  size("bandit_events", pagination.bandit_events);
}

// The schema, seed, as_of and pagination at the top of the file.
void read_header(JsonReader& r, object body, const JsonPath& top, model::Scenario& scenario) {
  if (const auto schema = r.field(body, "schema")) {
    const auto name = r.string(*schema, top.key("schema"));
    if (name && *name != k_schema) {
      r.fail(top.key("schema"), "expected \"" + std::string(k_schema) + "\"");
    }
  }
  if (const auto seed = r.required(body, "seed", top)) {
    scenario.seed = r.whole_number(*seed, top.key("seed")).value_or(0);
  }
  if (const auto as_of = r.required(body, "as_of", top)) {
    const JsonPath as_of_path = top.key("as_of");
    if (const auto stamp = r.string(*as_of, as_of_path)) {
      const auto unix_ms = detail::parse_iso8601_ms(*stamp);
      if (!unix_ms) {
        r.fail(as_of_path, "expected a time with its zone, written YYYY-MM-DDTHH:MM:SSZ (got " +
                               detail::quoted(*stamp) + ")");
      }
      scenario.as_of_seconds = unix_ms.value_or(0) / 1000;
    }
  }
  if (const auto pagination = r.field(body, "pagination")) {
    const JsonPath pagination_path = top.key("pagination");
    if (const auto pagination_body = r.object(*pagination, pagination_path)) {
      read_pagination(r, *pagination_body, pagination_path, scenario.pagination);
    }
  }
}

// The sitewide traffic ends by as_of, and no visitor's conversion probability reaches 1.
void check_sitewide(JsonReader& r, const JsonPath& store_path, const model::ScenarioStore& store,
                    std::int64_t as_of_seconds) {
  const model::SitewideTraffic& sitewide = *store.sitewide;
  const JsonPath path = store_path.key("sitewide");
  if (sitewide.end.plus_days(1).epoch_seconds() > as_of_seconds) {
    r.fail(path.key("end"), "the last day of data must be over by as_of");
    return;
  }
  detail::check_funnel(r, store.funnel, sitewide.conversion_rate, path.key("conversion_rate"));
  const double largest =
      sitewide.conversion_rate *
      detail::largest_multiplier(store.conversion_multipliers, {}, store.dimensions);
  if (!r.failed() && largest >= 1.0) {
    r.fail(path.key("conversion_rate"),
           "with every multiplier applied the conversion probability reaches " +
               util::format_round_trip(largest) + " (it must stay below 1)");
  }
}

// Dimensions of the store, each once.
void read_day_segments(JsonReader& r, element value, const JsonPath& path,
                       model::Scenario& scenario) {
  const auto list = r.array(value, path);
  if (!list) {
    return;
  }
  const auto& dimensions = scenario.store.dimensions;
  std::size_t index = 0;
  for (const element item : *list) {
    const JsonPath item_path = path.index(index++);
    const auto name = r.string(item, item_path);
    if (!name) {
      return;
    }
    if (std::none_of(dimensions.begin(), dimensions.end(),
                     [&](const model::SegmentDimension& d) { return d.name == *name; })) {
      r.fail(item_path, "not a segment dimension of the store (store.segments)");
      return;
    }
    if (std::find(scenario.day_segments.begin(), scenario.day_segments.end(), *name) !=
        scenario.day_segments.end()) {
      r.fail(item_path, "listed twice");
      return;
    }
    scenario.day_segments.emplace_back(*name);
  }
}

// Each experiment, with distinct ids, and at least one.
void read_experiments(JsonReader& r, object body, const JsonPath& top, model::Scenario& scenario) {
  const auto experiments = r.required(body, "experiments", top);
  const JsonPath list_path = top.key("experiments");
  const auto list = experiments ? r.array(*experiments, list_path) : std::nullopt;
  if (!list) {
    return;
  }
  std::size_t index = 0;
  for (const element item : *list) {
    const JsonPath path = list_path.index(index++);
    const auto experiment_body = r.object(item, path);
    if (!experiment_body) {
      return;
    }
    scenario.experiments.push_back(
        detail::read_experiment(r, *experiment_body, path, scenario.store, scenario.as_of_seconds));
    if (r.failed()) {
      return;
    }
    for (std::size_t other = 0; other + 1 < scenario.experiments.size(); ++other) {
      if (scenario.experiments[other].id == scenario.experiments.back().id) {
        r.fail(path.key("id"), "experiment ids must be distinct");
        return;
      }
    }
  }
  if (scenario.experiments.empty()) {
    r.fail(list_path, "a scenario needs at least one experiment");
  }
}

} // namespace

util::Result<model::Scenario> parse_scenario(std::string_view text, std::string_view file_name) {
  detail::JsonDocuments documents;
  const auto root = documents.read(text, std::string(file_name));
  if (!root) {
    return root.error();
  }
  JsonReader r(std::string(file_name), ":", "$");
  const JsonPath top;
  model::Scenario scenario;
  const auto body = r.object(*root, top);
  if (!body) {
    return r.error();
  }
  read_header(r, *body, top, scenario);
  const auto store = r.required(*body, "store", top);
  const JsonPath store_path = top.key("store");
  const auto store_body = store ? r.object(*store, store_path) : std::nullopt;
  if (r.failed() || !store_body) {
    return r.error();
  }
  scenario.store = detail::read_store(r, *store_body, store_path);
  if (!r.failed() && scenario.store.sitewide) {
    check_sitewide(r, store_path, scenario.store, scenario.as_of_seconds);
  }
  if (const auto day_segments = r.field(*body, "day_segments"); day_segments && !r.failed()) {
    read_day_segments(r, *day_segments, top.key("day_segments"), scenario);
  }
  if (!r.failed()) {
    read_experiments(r, *body, top, scenario);
  }
  if (r.failed()) {
    return r.error();
  }
  return scenario;
}

} // namespace reckon::parse
