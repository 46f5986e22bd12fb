#include "scenario_parts.hpp"

#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace reckon::parse::detail {

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

const std::set<std::string, std::less<>> k_dimensions{"device_type",    "visitor_type",
                                                      "source_channel", "source_site",
                                                      "country_code",   "landing_page_full_path"};

std::string default_symbol(const std::string& code) {
  static const std::map<std::string, std::string, std::less<>> k_symbols{
      {"USD", "$"}, {"CAD", "$"}, {"AUD", "$"}, {"EUR", "€"}, {"GBP", "£"}, {"JPY", "¥"}};
  const auto found = k_symbols.find(code);
  return found != k_symbols.end() ? found->second : code;
}

// The factors of one dimension ({"Mobile": 1.25}), each value known to the store (or a
// weekday/weekend for "day_type").
bool read_dimension_factors(JsonReader& r, element value, const JsonPath& path,
                            const std::string& dimension, const model::SegmentDimension* declared,
                            std::vector<model::ConversionMultiplier>& result) {
  const auto factors = r.object(value, path);
  if (!factors) {
    return false;
  }
  for (const auto [value_key, factor_value] : *factors) {
    const std::string label(value_key);
    const JsonPath value_path = path.key(value_key);
    const bool known =
        declared == nullptr
            ? (label == "weekday" || label == "weekend")
            : std::any_of(declared->values.begin(), declared->values.end(),
                          [&](const model::SegmentShare& s) { return s.label == label; });
    if (!known) {
      r.fail(value_path, declared == nullptr
                             ? "day_type values are \"weekday\" and \"weekend\""
                             : "not a value of the store's " + dimension + " segments");
      return false;
    }
    const auto factor = r.number_in(factor_value, value_path, 0.0, 1000.0);
    if (!factor) {
      return false;
    }
    result.push_back({dimension, label, *factor});
  }
  return true;
}

// One dimension's shares ({"Desktop": 0.4, "Mobile": 0.6}): distinct labels summing to 1.
std::optional<model::SegmentDimension>
read_dimension_shares(JsonReader& r, element value, const JsonPath& path, const std::string& name) {
  model::SegmentDimension dimension{name, {}};
  const auto shares = r.object(value, path);
  if (!shares) {
    return std::nullopt;
  }
  double total = 0.0;
  for (const auto [label_key, share_value] : *shares) {
    const std::string label(label_key);
    const JsonPath value_path = path.key(label_key);
    if (label.empty() ||
        std::any_of(dimension.values.begin(), dimension.values.end(),
                    [&](const model::SegmentShare& s) { return s.label == label; })) {
      r.fail(value_path, "segment labels must be non-empty and distinct");
      return std::nullopt;
    }
    const auto share = r.number_in(share_value, value_path, 0.0, 1.0 + 1e-9);
    if (!share) {
      return std::nullopt;
    }
    total += *share;
    dimension.values.push_back({label, *share});
  }
  if (dimension.values.empty() || std::abs(total - 1.0) > 1e-6) {
    r.fail(path, "segment shares must sum to 1 (got " + util::format_round_trip(total) + ")");
    return std::nullopt;
  }
  return dimension;
}

std::vector<model::SegmentDimension> read_segments(JsonReader& r, element value,
                                                   const JsonPath& path) {
  std::vector<model::SegmentDimension> result;
  const auto body = r.object(value, path);
  if (!body) {
    return result;
  }
  for (const auto [name_key, values] : *body) {
    const std::string name(name_key);
    const JsonPath dimension_path = path.key(name_key);
    if (k_dimensions.count(name) == 0) {
      r.fail(dimension_path, "unknown audience dimension (expected device_type, visitor_type, "
                             "source_channel, source_site, country_code or "
                             "landing_page_full_path)");
      return result;
    }
    if (std::any_of(result.begin(), result.end(),
                    [&](const model::SegmentDimension& d) { return d.name == name; })) {
      r.fail(dimension_path, "listed twice");
      return result;
    }
    auto dimension = read_dimension_shares(r, values, dimension_path, name);
    if (!dimension) {
      return result;
    }
    result.push_back(std::move(*dimension));
  }
  return result;
}

std::optional<model::SitewideTraffic> read_sitewide(JsonReader& r, element value,
                                                    const JsonPath& path) {
  const auto body = r.object(value, path);
  if (!body) {
    return std::nullopt;
  }
  model::SitewideTraffic traffic;
  if (const auto start = r.required(*body, "start", path)) {
    traffic.start = r.date(*start, path.key("start")).value_or(util::Date{});
  }
  if (const auto end = r.required(*body, "end", path)) {
    traffic.end = r.date(*end, path.key("end")).value_or(util::Date{});
  }
  if (const auto daily = r.required(*body, "daily_visitors", path)) {
    traffic.daily_visitors = r.whole_number(*daily, path.key("daily_visitors")).value_or(0);
  }
  if (const auto rate = r.required(*body, "conversion_rate", path)) {
    traffic.conversion_rate =
        r.number_in(*rate, path.key("conversion_rate"), 0.0, 1.0).value_or(0.0);
  }
  if (r.failed()) {
    return std::nullopt;
  }
  if (traffic.end < traffic.start) {
    r.fail(path.key("end"), "ends before it starts");
  } else if (traffic.daily_visitors == 0 || traffic.daily_visitors > 10'000'000) {
    r.fail(path.key("daily_visitors"), "must lie in [1, 10000000]");
  }
  return traffic;
}

// A name the store's domain can be made of: "Test Store" gives "test-store".
std::string domain_slug(const std::string& name) {
  std::string slug;
  for (const char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      slug.push_back(c);
    } else if (c >= 'A' && c <= 'Z') {
      slug.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
  }
  return slug.empty() ? std::string("store") : slug;
}

// Name, domain and currency.
void read_store_identity(JsonReader& r, object body, const JsonPath& path,
                         model::ScenarioStore& store) {
  const auto text = [&](std::string_view key, std::string& out, std::string_view fallback) {
    if (const auto value = r.field(body, key)) {
      out = std::string(r.label(*value, path.key(key)).value_or(fallback));
    }
  };
  if (const auto name = r.required(body, "name", path)) {
    store.name = std::string(r.label(*name, path.key("name")).value_or(""));
  }
  text("domain", store.domain, "");
  text("currency", store.currency_code, "USD");
  store.currency_symbol = default_symbol(store.currency_code);
  text("currency_symbol", store.currency_symbol, "$");
  if (store.domain.empty()) {
    store.domain = domain_slug(store.name) + ".myshopify.com";
  }
}

// Order values, funnel, costs and the shape of the traffic.
void read_store_economics(JsonReader& r, object body, const JsonPath& path,
                          model::ScenarioStore& store) {
  if (const auto order_value = r.required(body, "order_value", path)) {
    store.order_value = read_order_value(r, *order_value, path.key("order_value"))
                            .value_or(model::OrderValueModel{});
  }
  if (const auto funnel = r.required(body, "funnel", path)) {
    store.funnel = read_funnel(r, *funnel, path.key("funnel")).value_or(model::FunnelRates{});
  }
  if (const auto cogs = r.field(body, "cost_of_goods_share"); cogs && !cogs->is_null()) {
    store.cost_of_goods_share = r.number_in(*cogs, path.key("cost_of_goods_share"), 0.0, 1.0, true);
  }
  if (const auto weekend = r.field(body, "weekend_traffic")) {
    store.weekend_traffic =
        r.number_in(*weekend, path.key("weekend_traffic"), 0.0, 100.0).value_or(1.0);
  }
  if (const auto units = r.field(body, "units_per_order")) {
    store.units_per_order =
        r.number_in(*units, path.key("units_per_order"), 1.0, 100.0, true).value_or(1.4);
  }
}

} // namespace

std::optional<model::OrderValueModel> read_order_value(JsonReader& r, element value,
                                                       const JsonPath& path) {
  const auto body = r.object(value, path);
  if (!body) {
    return std::nullopt;
  }
  model::OrderValueModel model;
  if (const auto mean = r.required(*body, "mean", path)) {
    model.mean = r.number_in(*mean, path.key("mean"), 0.0, 1e7).value_or(0.0);
  }
  if (const auto cv = r.required(*body, "cv", path)) {
    model.cv = r.number_in(*cv, path.key("cv"), 0.0, 20.0).value_or(0.0);
  }
  if (r.failed()) {
    return std::nullopt;
  }
  return model;
}

std::optional<model::FunnelRates> read_funnel(JsonReader& r, element value, const JsonPath& path) {
  const auto body = r.object(value, path);
  if (!body) {
    return std::nullopt;
  }
  model::FunnelRates funnel;
  for (std::size_t stage = 0; stage < model::k_funnel_stages; ++stage) {
    const std::string_view name = model::to_string(static_cast<model::FunnelStage>(stage));
    if (const auto rate = r.required(*body, name, path)) {
      funnel.rates[stage] = r.number_in(*rate, path.key(name), 0.0, 1.0).value_or(0.0);
    }
    if (r.failed()) {
      return std::nullopt;
    }
    if (stage > 0 && funnel.rates[stage] > funnel.rates[stage - 1]) {
      r.fail(path.key(name), "funnel rates must not increase from one stage to the next (" +
                                 util::format_round_trip(funnel.rates[stage]) + " after " +
                                 util::format_round_trip(funnel.rates[stage - 1]) + ")");
      return std::nullopt;
    }
  }
  return funnel;
}

std::vector<model::ConversionMultiplier>
read_multipliers(JsonReader& r, element value, const JsonPath& path,
                 const std::vector<model::SegmentDimension>& dimensions, bool day_type) {
  std::vector<model::ConversionMultiplier> result;
  const auto body = r.object(value, path);
  if (!body) {
    return result;
  }
  for (const auto [dimension_key, values] : *body) {
    const std::string dimension(dimension_key);
    const JsonPath dimension_path = path.key(dimension_key);
    const auto declared =
        std::find_if(dimensions.begin(), dimensions.end(),
                     [&](const model::SegmentDimension& d) { return d.name == dimension; });
    const bool is_day_type = day_type && dimension == "day_type";
    if (!is_day_type && declared == dimensions.end()) {
      r.fail(dimension_path, day_type ? "not a segment dimension of the store (nor \"day_type\")"
                                      : "not a segment dimension of the store");
      return result;
    }
    if (!read_dimension_factors(r, values, dimension_path, dimension,
                                is_day_type ? nullptr : &*declared, result)) {
      return result;
    }
  }
  return result;
}

model::ScenarioStore read_store(JsonReader& r, object body, const JsonPath& path) {
  model::ScenarioStore store;
  read_store_identity(r, body, path, store);
  read_store_economics(r, body, path, store);
  if (const auto segments = r.required(body, "segments", path)) {
    store.dimensions = read_segments(r, *segments, path.key("segments"));
  }
  if (const auto multipliers = r.field(body, "conversion_multipliers")) {
    store.conversion_multipliers =
        read_multipliers(r, *multipliers, path.key("conversion_multipliers"), store.dimensions);
  }
  if (const auto sitewide = r.field(body, "sitewide"); sitewide && !sitewide->is_null()) {
    store.sitewide = read_sitewide(r, *sitewide, path.key("sitewide"));
  }
  return store;
}

double largest_multiplier(const std::vector<model::ConversionMultiplier>& store,
                          const std::vector<model::ConversionMultiplier>& variation,
                          const std::vector<model::SegmentDimension>& dimensions) {
  const auto factor = [&](const std::string& dimension, const std::string& value) {
    double product = 1.0;
    for (const auto* list : {&store, &variation}) {
      for (const model::ConversionMultiplier& m : *list) {
        if (m.dimension == dimension && m.value == value) {
          product *= m.factor;
        }
      }
    }
    return product;
  };
  double largest = std::max(factor("day_type", "weekday"), factor("day_type", "weekend"));
  for (const model::SegmentDimension& dimension : dimensions) {
    double best = 0.0;
    for (const model::SegmentShare& value : dimension.values) {
      best = std::max(best, factor(dimension.name, value.label));
    }
    largest *= best;
  }
  return largest;
}

void check_funnel(JsonReader& r, const model::FunnelRates& funnel, double conversion_rate,
                  const JsonPath& path) {
  if (funnel.rates[model::k_funnel_stages - 1] < conversion_rate) {
    r.fail(path, "every funnel rate must be at least the conversion rate " +
                     util::format_round_trip(conversion_rate) +
                     ", since every buyer passes every stage");
  }
}

} // namespace reckon::parse::detail
