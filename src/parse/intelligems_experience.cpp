#include "intelligems_experience.hpp"

#include "reckon/contract/intelligems.hpp"

#include "iso_time.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace reckon::parse::detail {

namespace {

using simdjson::dom::element;

constexpr std::string_view k_source = contract::intelligems::k_source;

// A time as the API writes it: Unix milliseconds (the spec), an ISO 8601 string (as captured
// through the MCP server) or milliseconds in a string; nullopt when null or absent under both
// names. Older clients read `startedAt` where the spec says `startedAtTs`.
std::optional<std::int64_t> read_time(JsonReader& r, simdjson::dom::object body,
                                      std::string_view key, std::string_view fallback,
                                      const JsonPath& path) {
  for (const std::string_view name : {key, fallback}) {
    const auto value = JsonReader::field(body, name);
    if (!value || value->is_null()) {
      continue;
    }
    const JsonPath at = path.key(name);
    std::optional<std::int64_t> ms;
    double number = 0.0;
    std::string_view text;
    if (value->is_number() && value->get_double().get(number) == simdjson::SUCCESS &&
        std::isfinite(number) && std::abs(number) < 1e15) {
      ms = static_cast<std::int64_t>(std::floor(number));
    } else if (value->get_string().get(text) == simdjson::SUCCESS) {
      ms = parse_iso8601_ms(text);
      if (!ms && !text.empty() && text.size() < 16 &&
          std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        ms = std::stoll(std::string(text));
      }
    }
    if (!ms) {
      r.fail_type(at, "Unix milliseconds or an ISO 8601 time", *value);
      return std::nullopt;
    }
    if (!is_plausible_time_ms(*ms)) {
      r.fail(at, "expected a time between 2000 and 2100 (Unix milliseconds), got " +
                     describe_json_value(*value));
      return std::nullopt;
    }
    return ms;
  }
  return std::nullopt;
}

std::string read_primary_metric(JsonReader& r, element value, const JsonPath& path) {
  const auto metrics = r.array(value, path);
  if (!metrics) {
    return {};
  }
  std::size_t index = 0;
  for (const element item : *metrics) {
    const JsonPath item_path = path.index(index++);
    const auto metric = r.object(item, item_path);
    if (!metric) {
      return {};
    }
    const auto primary = JsonReader::field(*metric, "isPrimary");
    if (!primary || primary->is_null()) {
      continue;
    }
    const auto is_primary = r.boolean(*primary, item_path.key("isPrimary"));
    if (!is_primary) {
      return {};
    }
    if (!*is_primary) {
      continue;
    }
    // A custom metric (experienceCustomMetricId) has no analytics name: left unknown.
    const auto event = JsonReader::field(*metric, "standardEventId");
    if (!event || event->is_null()) {
      return {};
    }
    const auto name = r.string(*event, item_path.key("standardEventId"));
    return name ? analytics_metric_name(*name) : std::string();
  }
  return {};
}

// The symbol of {code, symbol, ...}, else its code; empty when it names neither.
std::string read_currency(JsonReader& r, element value, const JsonPath& path) {
  const auto body = r.object(value, path);
  if (!body) {
    return {};
  }
  for (const char* key : {"symbol", "code"}) {
    if (const auto text = JsonReader::field(*body, key); text && !text->is_null()) {
      const std::string written(r.string(*text, path.key(key)).value_or(""));
      if (!written.empty()) {
        return written;
      }
    }
  }
  return {};
}

} // namespace

std::string analytics_metric_name(std::string_view standard_event_id) {
  // The analytics call profit "gross_profit"; the subscription one is inferred from the
  // analytics catalogue, which has subscription_gross_profit_per_visitor and no other.
  constexpr std::array<std::pair<std::string_view, std::string_view>, 3> k_renamed = {{
      {"profitPerVisitor", "gross_profit_per_visitor"},
      {"profitPerOrder", "gross_profit_per_order"},
      {"subscriptionProfitPerVisitor", "subscription_gross_profit_per_visitor"},
  }};
  for (const auto& [camel, snake] : k_renamed) {
    if (standard_event_id == camel) {
      return std::string(snake);
    }
  }
  std::string name;
  name.reserve(standard_event_id.size() + 8);
  for (const char c : standard_event_id) {
    if (c >= 'A' && c <= 'Z') {
      if (!name.empty()) {
        name += '_';
      }
      name += static_cast<char>(c - 'A' + 'a');
    } else {
      name += c;
    }
  }
  return name;
}

std::vector<model::Variation> read_variations(JsonReader& r, element value, const JsonPath& path) {
  std::vector<model::Variation> variations;
  const auto list = r.array(value, path);
  if (!list) {
    return variations;
  }
  std::vector<std::pair<double, std::size_t>> order; // (order, position), for a stable sort
  std::size_t index = 0;
  for (const element item : *list) {
    const JsonPath item_path = path.index(index);
    const auto body = r.object(item, item_path);
    if (!body) {
      return {};
    }
    model::Variation variation;
    if (const auto id = r.required(*body, "id", item_path)) {
      variation.id = std::string(r.string(*id, item_path.key("id")).value_or(""));
    }
    if (r.failed()) {
      return {};
    }
    if (variation.id.empty()) {
      r.fail(item_path.key("id"), "expected a non-empty variation id");
      return {};
    }
    for (const model::Variation& earlier : variations) {
      if (earlier.id == variation.id) {
        r.fail(item_path.key("id"), "variation \"" + variation.id + "\" is listed twice");
        return {};
      }
    }
    variation.name = variation.id;
    if (const auto name = JsonReader::field(*body, "name"); name && !name->is_null()) {
      variation.name = std::string(r.string(*name, item_path.key("name")).value_or(""));
    }
    if (const auto control = JsonReader::field(*body, "isControl");
        control && !control->is_null()) {
      variation.is_control = r.boolean(*control, item_path.key("isControl")).value_or(false);
    }
    if (const auto share = JsonReader::field(*body, "percentage")) {
      variation.allocation = r.number_or_null(*share, item_path.key("percentage"));
      if (variation.allocation && *variation.allocation < 0.0) {
        r.fail_type(item_path.key("percentage"), "a percentage >= 0", *share);
      }
    }
    double position = static_cast<double>(index);
    if (const auto rank = JsonReader::field(*body, "order")) {
      position = r.number_or_null(*rank, item_path.key("order")).value_or(position);
    }
    if (r.failed()) {
      return {};
    }
    order.emplace_back(position, index);
    variations.push_back(std::move(variation));
    ++index;
  }
  const auto controls = std::count_if(variations.begin(), variations.end(),
                                      [](const model::Variation& v) { return v.is_control; });
  if (variations.empty()) {
    r.fail(path, "lists no variations");
    return {};
  }
  if (controls != 1) {
    r.fail(path, "expected exactly one control (isControl true), got " + std::to_string(controls));
    return {};
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<model::Variation> sorted;
  sorted.reserve(variations.size());
  for (const auto& [rank, position] : order) {
    sorted.push_back(std::move(variations[position]));
  }
  return sorted;
}

std::optional<model::Experiment> read_experience(JsonReader& r, element value,
                                                 const JsonPath& path) {
  const auto body = r.object(value, path);
  if (!body) {
    return std::nullopt;
  }
  model::Experiment experiment;
  experiment.source = std::string(k_source);
  if (const auto id = r.required(*body, "id", path)) {
    experiment.id = std::string(r.string(*id, path.key("id")).value_or(""));
    if (!r.failed() && experiment.id.empty()) {
      r.fail(path.key("id"), "expected a non-empty experience id");
    }
  }
  experiment.name = experiment.id;
  if (const auto name = JsonReader::field(*body, "name"); name && !name->is_null()) {
    experiment.name = std::string(r.string(*name, path.key("name")).value_or(""));
  }
  if (const auto status = JsonReader::field(*body, "status"); status && !status->is_null()) {
    experiment.status = std::string(r.string(*status, path.key("status")).value_or(""));
  }
  if (r.failed()) {
    return std::nullopt;
  }
  experiment.started_at_ms = read_time(r, *body, "startedAtTs", "startedAt", path);
  experiment.ended_at_ms = read_time(r, *body, "endedAtTs", "endedAt", path);
  if (const auto currency = JsonReader::field(*body, "currency");
      currency && !currency->is_null()) {
    experiment.currency = read_currency(r, *currency, path.key("currency"));
  }
  if (const auto metrics = JsonReader::field(*body, "experienceKeyMetrics");
      metrics && !metrics->is_null()) {
    experiment.primary_metric = read_primary_metric(r, *metrics, path.key("experienceKeyMetrics"));
  }
  if (r.failed()) {
    return std::nullopt;
  }
  if (const auto variations = r.required(*body, "variations", path)) {
    experiment.variations = read_variations(r, *variations, path.key("variations"));
  }
  if (r.failed()) {
    return std::nullopt;
  }
  return experiment;
}

} // namespace reckon::parse::detail
