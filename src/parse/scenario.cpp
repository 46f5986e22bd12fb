#include "reckon/parse/scenario.hpp"

#include "reckon/util/number_format.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace reckon::parse {

namespace {

using model::Date;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;
using util::ErrorCode;

constexpr std::string_view k_schema = "reckon.scenario/v1";

const std::set<std::string, std::less<>> k_dimensions{"device_type",    "visitor_type",
                                                      "source_channel", "source_site",
                                                      "country_code",   "landing_page_full_path"};

// Metrics a scenario may name as primary, or plant an error in.
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

const std::set<std::string, std::less<>> k_error_fields{
    "value", "ci_low",       "ci_high",       "plus_minus",     "p2bb",
    "p2bc",  "uplift.value", "uplift.ci_low", "uplift.ci_high", "uplift.plus_minus"};

// Walks the document, remembering the first violation only; every accessor returns a harmless
// default once one is found, so callers check `failed()` at the end of a section.
class Reader {
public:
  explicit Reader(std::string_view file_name) : m_file(file_name) {}

  bool failed() const { return m_error.has_value(); }
  util::Error error() const { return *m_error; }

  void fail(const std::string& path, const std::string& message) {
    if (!m_error) {
      m_error = util::make_error(ErrorCode::bad_input, m_file + ":" + path, message);
    }
  }

  std::optional<element> field(object parent, std::string_view key) {
    element value;
    if (parent.at_key(key).get(value) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    return value;
  }

  std::optional<element> required(object parent, std::string_view key, const std::string& path) {
    auto value = field(parent, key);
    if (!value) {
      fail(path, "missing required field \"" + std::string(key) + "\"");
    }
    return value;
  }

  std::optional<object> as_object(element value, const std::string& path) {
    object result;
    if (value.get_object().get(result) != simdjson::SUCCESS) {
      fail(path, "expected an object");
      return std::nullopt;
    }
    return result;
  }

  std::optional<simdjson::dom::array> as_array(element value, const std::string& path) {
    simdjson::dom::array result;
    if (value.get_array().get(result) != simdjson::SUCCESS) {
      fail(path, "expected an array");
      return std::nullopt;
    }
    return result;
  }

  std::optional<std::string> as_string(element value, const std::string& path) {
    std::string_view result;
    if (value.get_string().get(result) != simdjson::SUCCESS) {
      fail(path, "expected a string");
      return std::nullopt;
    }
    return std::string(result);
  }

  std::optional<double> as_number(element value, const std::string& path) {
    double result = 0.0;
    if (!value.is_number() || value.get_double().get(result) != simdjson::SUCCESS ||
        !std::isfinite(result)) {
      fail(path, "expected a number");
      return std::nullopt;
    }
    return result;
  }

  std::optional<std::uint64_t> as_count(element value, const std::string& path) {
    std::uint64_t result = 0;
    if (value.type() != element_type::UINT64 && value.type() != element_type::INT64) {
      fail(path, "expected a whole number");
      return std::nullopt;
    }
    if (value.get_uint64().get(result) != simdjson::SUCCESS) {
      fail(path, "expected a non-negative whole number");
      return std::nullopt;
    }
    return result;
  }

  std::optional<bool> as_bool(element value, const std::string& path) {
    bool result = false;
    if (value.get_bool().get(result) != simdjson::SUCCESS) {
      fail(path, "expected true or false");
      return std::nullopt;
    }
    return result;
  }

  // A number in the open interval (low, high), or the closed one where `closed` says.
  std::optional<double> number_in(element value, const std::string& path, double low, double high,
                                  bool closed_low = false) {
    const auto number = as_number(value, path);
    if (!number) {
      return std::nullopt;
    }
    const bool above = closed_low ? *number >= low : *number > low;
    if (!above || !(*number < high)) {
      fail(path, "must lie in " + std::string(closed_low ? "[" : "(") +
                     util::format_round_trip(low) + ", " + util::format_round_trip(high) +
                     ") (got " + util::format_round_trip(*number) + ")");
      return std::nullopt;
    }
    return number;
  }

  std::optional<Date> date(element value, const std::string& path) {
    const auto text = as_string(value, path);
    if (!text) {
      return std::nullopt;
    }
    auto parsed = Date::parse(*text);
    if (!parsed) {
      fail(path, "expected a date written YYYY-MM-DD (got \"" + *text + "\")");
    }
    return parsed;
  }

  std::optional<std::string> slug(element value, const std::string& path) {
    auto text = as_string(value, path);
    if (!text) {
      return std::nullopt;
    }
    const bool ok = !text->empty() && std::all_of(text->begin(), text->end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
    if (!ok) {
      fail(path,
           "expected an id of lowercase letters, digits, '-' and '_' (got \"" + *text + "\")");
      return std::nullopt;
    }
    return text;
  }

  // A non-empty string free of control characters.
  std::optional<std::string> label(element value, const std::string& path) {
    auto text = as_string(value, path);
    if (!text) {
      return std::nullopt;
    }
    if (text->empty() || std::any_of(text->begin(), text->end(),
                                     [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
      fail(path, "expected a non-empty name without control characters");
      return std::nullopt;
    }
    return text;
  }

private:
  std::string m_file;
  std::optional<util::Error> m_error;
};

std::string key_path(const std::string& parent, std::string_view key) {
  return parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z') {
    return std::nullopt;
  }
  const auto day = Date::parse(text.substr(0, 10));
  const auto two = [&](std::size_t at) -> std::optional<int> {
    const char a = text[at];
    const char b = text[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') {
      return std::nullopt;
    }
    return (a - '0') * 10 + (b - '0');
  };
  const auto hours = two(11);
  const auto minutes = two(14);
  const auto seconds = two(17);
  if (!day || !hours || !minutes || !seconds || *hours > 23 || *minutes > 59 || *seconds > 59) {
    return std::nullopt;
  }
  return day->epoch_seconds() + *hours * 3600 + *minutes * 60 + *seconds;
}

std::string default_symbol(const std::string& code) {
  static const std::map<std::string, std::string, std::less<>> k_symbols{
      {"USD", "$"}, {"CAD", "$"}, {"AUD", "$"}, {"EUR", "€"}, {"GBP", "£"}, {"JPY", "¥"}};
  const auto found = k_symbols.find(code);
  return found != k_symbols.end() ? found->second : code;
}

std::optional<model::OrderValueModel> read_order_value(Reader& r, element value,
                                                       const std::string& path) {
  const auto body = r.as_object(value, path);
  if (!body) {
    return std::nullopt;
  }
  model::OrderValueModel model;
  if (const auto mean = r.required(*body, "mean", path)) {
    model.mean = r.number_in(*mean, key_path(path, "mean"), 0.0, 1e7).value_or(0.0);
  }
  if (const auto cv = r.required(*body, "cv", path)) {
    model.cv = r.number_in(*cv, key_path(path, "cv"), 0.0, 20.0).value_or(0.0);
  }
  if (r.failed()) {
    return std::nullopt;
  }
  return model;
}

std::optional<model::FunnelRates> read_funnel(Reader& r, element value, const std::string& path) {
  const auto body = r.as_object(value, path);
  if (!body) {
    return std::nullopt;
  }
  model::FunnelRates funnel;
  for (std::size_t stage = 0; stage < model::k_funnel_stages; ++stage) {
    const std::string_view name = model::to_string(static_cast<model::FunnelStage>(stage));
    if (const auto rate = r.required(*body, name, path)) {
      funnel.rates[stage] = r.number_in(*rate, key_path(path, name), 0.0, 1.0).value_or(0.0);
    }
    if (r.failed()) {
      return std::nullopt;
    }
    if (stage > 0 && funnel.rates[stage] > funnel.rates[stage - 1]) {
      r.fail(key_path(path, name), "funnel rates must not increase from one stage to the next (" +
                                       util::format_round_trip(funnel.rates[stage]) + " after " +
                                       util::format_round_trip(funnel.rates[stage - 1]) + ")");
      return std::nullopt;
    }
  }
  return funnel;
}

// {"device_type": {"Mobile": 1.25}, "day_type": {"weekend": 1.3}}, checked against the declared
// dimensions.
std::vector<model::ConversionMultiplier>
read_multipliers(Reader& r, element value, const std::string& path,
                 const std::vector<model::SegmentDimension>& dimensions) {
  std::vector<model::ConversionMultiplier> result;
  const auto body = r.as_object(value, path);
  if (!body) {
    return result;
  }
  for (const auto [dimension_key, values] : *body) {
    const std::string dimension(dimension_key);
    const std::string dimension_path = key_path(path, dimension);
    const auto declared =
        std::find_if(dimensions.begin(), dimensions.end(),
                     [&](const model::SegmentDimension& d) { return d.name == dimension; });
    if (dimension != "day_type" && declared == dimensions.end()) {
      r.fail(dimension_path, "not a segment dimension of the store (nor \"day_type\")");
      return result;
    }
    const auto factors = r.as_object(values, dimension_path);
    if (!factors) {
      return result;
    }
    for (const auto [value_key, factor_value] : *factors) {
      const std::string label(value_key);
      const std::string value_path = key_path(dimension_path, label);
      const bool known =
          dimension == "day_type"
              ? (label == "weekday" || label == "weekend")
              : std::any_of(declared->values.begin(), declared->values.end(),
                            [&](const model::SegmentShare& s) { return s.label == label; });
      if (!known) {
        r.fail(value_path, dimension == "day_type"
                               ? "day_type values are \"weekday\" and \"weekend\""
                               : "not a value of the store's " + dimension + " segments");
        return result;
      }
      const auto factor = r.number_in(factor_value, value_path, 0.0, 1000.0);
      if (!factor) {
        return result;
      }
      result.push_back({dimension, label, *factor});
    }
  }
  return result;
}

std::vector<model::SegmentDimension> read_segments(Reader& r, element value,
                                                   const std::string& path) {
  std::vector<model::SegmentDimension> result;
  const auto body = r.as_object(value, path);
  if (!body) {
    return result;
  }
  for (const auto [name_key, values] : *body) {
    const std::string name(name_key);
    const std::string dimension_path = key_path(path, name);
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
    model::SegmentDimension dimension{name, {}};
    const auto shares = r.as_object(values, dimension_path);
    if (!shares) {
      return result;
    }
    double total = 0.0;
    for (const auto [label_key, share_value] : *shares) {
      const std::string label(label_key);
      const std::string value_path = key_path(dimension_path, label);
      if (label.empty() ||
          std::any_of(dimension.values.begin(), dimension.values.end(),
                      [&](const model::SegmentShare& s) { return s.label == label; })) {
        r.fail(value_path, "segment labels must be non-empty and distinct");
        return result;
      }
      const auto share = r.number_in(share_value, value_path, 0.0, 1.0 + 1e-9);
      if (!share) {
        return result;
      }
      total += *share;
      dimension.values.push_back({label, *share});
    }
    if (dimension.values.empty() || std::abs(total - 1.0) > 1e-6) {
      r.fail(dimension_path,
             "segment shares must sum to 1 (got " + util::format_round_trip(total) + ")");
      return result;
    }
    result.push_back(std::move(dimension));
  }
  return result;
}

std::optional<model::SitewideTraffic> read_sitewide(Reader& r, element value,
                                                    const std::string& path) {
  const auto body = r.as_object(value, path);
  if (!body) {
    return std::nullopt;
  }
  model::SitewideTraffic traffic;
  if (const auto start = r.required(*body, "start", path)) {
    traffic.start = r.date(*start, key_path(path, "start")).value_or(Date{});
  }
  if (const auto end = r.required(*body, "end", path)) {
    traffic.end = r.date(*end, key_path(path, "end")).value_or(Date{});
  }
  if (const auto daily = r.required(*body, "daily_visitors", path)) {
    traffic.daily_visitors = r.as_count(*daily, key_path(path, "daily_visitors")).value_or(0);
  }
  if (const auto rate = r.required(*body, "conversion_rate", path)) {
    traffic.conversion_rate =
        r.number_in(*rate, key_path(path, "conversion_rate"), 0.0, 1.0).value_or(0.0);
  }
  if (r.failed()) {
    return std::nullopt;
  }
  if (traffic.end < traffic.start) {
    r.fail(key_path(path, "end"), "ends before it starts");
  } else if (traffic.daily_visitors == 0 || traffic.daily_visitors > 10'000'000) {
    r.fail(key_path(path, "daily_visitors"), "must lie in [1, 10000000]");
  }
  return traffic;
}

model::ScenarioStore read_store(Reader& r, object body, const std::string& path) {
  model::ScenarioStore store;
  if (const auto name = r.required(body, "name", path)) {
    store.name = r.label(*name, key_path(path, "name")).value_or("");
  }
  if (const auto domain = r.field(body, "domain")) {
    store.domain = r.label(*domain, key_path(path, "domain")).value_or("");
  }
  if (const auto currency = r.field(body, "currency")) {
    store.currency_code = r.label(*currency, key_path(path, "currency")).value_or("USD");
  }
  store.currency_symbol = default_symbol(store.currency_code);
  if (const auto symbol = r.field(body, "currency_symbol")) {
    store.currency_symbol = r.label(*symbol, key_path(path, "currency_symbol")).value_or("$");
  }
  if (const auto order_value = r.required(body, "order_value", path)) {
    store.order_value = read_order_value(r, *order_value, key_path(path, "order_value"))
                            .value_or(model::OrderValueModel{});
  }
  if (const auto funnel = r.required(body, "funnel", path)) {
    store.funnel = read_funnel(r, *funnel, key_path(path, "funnel")).value_or(model::FunnelRates{});
  }
  if (const auto cogs = r.field(body, "cost_of_goods_share"); cogs && !cogs->is_null()) {
    store.cost_of_goods_share =
        r.number_in(*cogs, key_path(path, "cost_of_goods_share"), 0.0, 1.0, true);
  }
  if (const auto weekend = r.field(body, "weekend_traffic")) {
    store.weekend_traffic =
        r.number_in(*weekend, key_path(path, "weekend_traffic"), 0.0, 100.0).value_or(1.0);
  }
  if (const auto units = r.field(body, "units_per_order")) {
    store.units_per_order =
        r.number_in(*units, key_path(path, "units_per_order"), 1.0, 100.0, true).value_or(1.4);
  }
  if (const auto segments = r.required(body, "segments", path)) {
    store.dimensions = read_segments(r, *segments, key_path(path, "segments"));
  }
  if (const auto multipliers = r.field(body, "conversion_multipliers")) {
    store.conversion_multipliers = read_multipliers(
        r, *multipliers, key_path(path, "conversion_multipliers"), store.dimensions);
  }
  if (const auto sitewide = r.field(body, "sitewide"); sitewide && !sitewide->is_null()) {
    store.sitewide = read_sitewide(r, *sitewide, key_path(path, "sitewide"));
  }
  if (store.domain.empty()) {
    std::string slug;
    for (const char c : store.name) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        slug.push_back(c);
      } else if (c >= 'A' && c <= 'Z') {
        slug.push_back(static_cast<char>(c - 'A' + 'a'));
      } else if (!slug.empty() && slug.back() != '-') {
        slug.push_back('-');
      }
    }
    store.domain = (slug.empty() ? std::string("store") : slug) + ".myshopify.com";
  }
  return store;
}

// The largest product of factors a visitor can meet: the largest per dimension, multiplied.
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

model::ScenarioVariation read_variation(Reader& r, object body, const std::string& path,
                                        const model::ScenarioStore& store) {
  model::ScenarioVariation variation;
  if (const auto id = r.required(body, "id", path)) {
    variation.id = r.slug(*id, key_path(path, "id")).value_or("");
  }
  variation.name = variation.id;
  if (const auto name = r.field(body, "name")) {
    variation.name = r.label(*name, key_path(path, "name")).value_or("");
  }
  if (const auto control = r.field(body, "control")) {
    variation.is_control = r.as_bool(*control, key_path(path, "control")).value_or(false);
  }
  if (const auto allocation = r.required(body, "allocation", path)) {
    variation.allocation_percent =
        r.number_in(*allocation, key_path(path, "allocation"), 0.0, 100.0 + 1e-9).value_or(0.0);
  }
  if (const auto rate = r.required(body, "conversion_rate", path)) {
    variation.conversion_rate =
        r.number_in(*rate, key_path(path, "conversion_rate"), 0.0, 1.0).value_or(0.0);
  }
  if (const auto order_value = r.field(body, "order_value")) {
    variation.order_value = read_order_value(r, *order_value, key_path(path, "order_value"));
  }
  if (const auto funnel = r.field(body, "funnel")) {
    variation.funnel = read_funnel(r, *funnel, key_path(path, "funnel"));
  }
  if (const auto multipliers = r.field(body, "conversion_multipliers")) {
    variation.conversion_multipliers = read_multipliers(
        r, *multipliers, key_path(path, "conversion_multipliers"), store.dimensions);
  }
  if (r.failed()) {
    return variation;
  }
  const double largest = variation.conversion_rate *
                         largest_multiplier(store.conversion_multipliers,
                                            variation.conversion_multipliers, store.dimensions);
  if (largest >= 1.0) {
    r.fail(key_path(path, "conversion_rate"),
           "with every multiplier applied the conversion probability reaches " +
               util::format_round_trip(largest) + " (it must stay below 1)");
  }
  return variation;
}

model::VendorErrorPlan read_vendor_error(Reader& r, object body, const std::string& path,
                                         const model::ScenarioExperiment& experiment,
                                         const model::ScenarioStore& store) {
  model::VendorErrorPlan plan;
  const auto text = [&](std::string_view key) -> std::string {
    const auto value = r.required(body, key, path);
    return value ? r.label(*value, key_path(path, key)).value_or("") : std::string();
  };
  plan.response = text("response");
  plan.variation = text("variation");
  plan.metric = text("metric");
  plan.field = text("field");
  if (const auto offset = r.required(body, "offset", path)) {
    plan.offset = r.as_number(*offset, key_path(path, "offset")).value_or(0.0);
  }
  if (const auto segment = r.field(body, "segment")) {
    plan.segment = r.label(*segment, key_path(path, "segment")).value_or("");
  }
  if (r.failed()) {
    return plan;
  }
  if (plan.response.rfind("audience.", 0) == 0) {
    const std::string dimension = plan.response.substr(9);
    const auto declared =
        std::find_if(store.dimensions.begin(), store.dimensions.end(),
                     [&](const model::SegmentDimension& d) { return d.name == dimension; });
    if (declared == store.dimensions.end()) {
      r.fail(key_path(path, "response"), "no segment dimension \"" + dimension + "\"");
    } else if (std::none_of(
                   declared->values.begin(), declared->values.end(),
                   [&](const model::SegmentShare& s) { return s.label == plan.segment; })) {
      r.fail(key_path(path, "segment"), "an audience response needs a segment of " + dimension);
    }
  } else if (plan.response.rfind("day.", 0) == 0) {
    const auto day = Date::parse(plan.response.substr(4));
    if (!day || *day < experiment.start || experiment.end < *day) {
      r.fail(key_path(path, "response"), "not a day of the experiment (expected day.YYYY-MM-DD)");
    }
  } else if (plan.response != "overview") {
    r.fail(key_path(path, "response"),
           "expected \"overview\", \"audience.<dimension>\" or \"day.<date>\"");
  }
  if (std::none_of(experiment.variations.begin(), experiment.variations.end(),
                   [&](const model::ScenarioVariation& v) { return v.id == plan.variation; })) {
    r.fail(key_path(path, "variation"), "no variation \"" + plan.variation + "\"");
  }
  if (k_statistical_metrics.count(plan.metric) == 0) {
    r.fail(key_path(path, "metric"), "not a statistical metric of the analytics responses");
  } else if (plan.metric.rfind("gross_profit", 0) == 0 && !store.cost_of_goods_share) {
    r.fail(key_path(path, "metric"), "profit metrics are null when the store has no costs");
  }
  const auto variation =
      std::find_if(experiment.variations.begin(), experiment.variations.end(),
                   [&](const model::ScenarioVariation& v) { return v.id == plan.variation; });
  if (variation != experiment.variations.end() && variation->is_control &&
      (plan.field == "p2bc" || plan.field.rfind("uplift.", 0) == 0)) {
    r.fail(key_path(path, "field"), "control rows carry no p2bc and no uplift");
  }
  if (k_error_fields.count(plan.field) == 0) {
    r.fail(key_path(path, "field"), "expected one of value, ci_low, ci_high, plus_minus, p2bb, "
                                    "p2bc, uplift.value, uplift.ci_low, uplift.ci_high, "
                                    "uplift.plus_minus");
  }
  return plan;
}

template <class Enum>
std::optional<Enum> read_enum(Reader& r, element value, const std::string& path,
                              const std::vector<std::pair<std::string_view, Enum>>& choices) {
  const auto text = r.as_string(value, path);
  if (!text) {
    return std::nullopt;
  }
  std::string listed;
  for (const auto& [name, choice] : choices) {
    if (name == *text) {
      return choice;
    }
    listed += (listed.empty() ? "" : ", ") + std::string(name);
  }
  r.fail(path, "expected one of " + listed + " (got \"" + *text + "\")");
  return std::nullopt;
}

void check_funnel(Reader& r, const model::FunnelRates& funnel, double conversion_rate,
                  const std::string& path) {
  if (funnel.rates[model::k_funnel_stages - 1] < conversion_rate) {
    r.fail(path, "every funnel rate must be at least the conversion rate " +
                     util::format_round_trip(conversion_rate) +
                     ", since every buyer passes "
                     "every stage");
  }
}

model::ScenarioExperiment read_experiment(Reader& r, object body, const std::string& path,
                                          const model::ScenarioStore& store,
                                          std::int64_t as_of_seconds) {
  using model::ScenarioSource;
  using model::ScenarioStatus;
  model::ScenarioExperiment experiment;
  if (const auto id = r.required(body, "id", path)) {
    experiment.id = r.slug(*id, key_path(path, "id")).value_or("");
  }
  experiment.name = experiment.id;
  if (const auto name = r.field(body, "name")) {
    experiment.name = r.label(*name, key_path(path, "name")).value_or("");
  }
  if (const auto description = r.field(body, "description")) {
    experiment.description = r.as_string(*description, key_path(path, "description")).value_or("");
  }
  if (const auto hypothesis = r.field(body, "hypothesis")) {
    experiment.hypothesis = r.as_string(*hypothesis, key_path(path, "hypothesis")).value_or("");
  }
  if (const auto note = r.field(body, "note")) {
    experiment.note = r.as_string(*note, key_path(path, "note")).value_or("");
  }
  if (const auto source = r.field(body, "source")) {
    experiment.source = read_enum<ScenarioSource>(r, *source, key_path(path, "source"),
                                                  {{"intelligems", ScenarioSource::intelligems},
                                                   {"platform", ScenarioSource::platform},
                                                   {"bandit", ScenarioSource::bandit}})
                            .value_or(ScenarioSource::intelligems);
  }
  if (const auto type = r.field(body, "type")) {
    experiment.type = r.label(*type, key_path(path, "type")).value_or("");
    if (!r.failed() && k_experience_types.count(experiment.type) == 0) {
      r.fail(key_path(path, "type"), "not an Intelligems experience type (content/advanced, "
                                     "pricing, shipping, ...)");
    }
  }
  if (const auto status = r.required(body, "status", path)) {
    experiment.status = read_enum<ScenarioStatus>(r, *status, key_path(path, "status"),
                                                  {{"pending", ScenarioStatus::pending},
                                                   {"started", ScenarioStatus::started},
                                                   {"paused", ScenarioStatus::paused},
                                                   {"ended", ScenarioStatus::ended}})
                            .value_or(ScenarioStatus::started);
  }
  if (const auto start = r.required(body, "start", path)) {
    experiment.start = r.date(*start, key_path(path, "start")).value_or(Date{});
  }
  if (const auto end = r.required(body, "end", path)) {
    experiment.end = r.date(*end, key_path(path, "end")).value_or(Date{});
  }
  if (const auto daily = r.required(body, "daily_visitors", path)) {
    experiment.daily_visitors = r.as_count(*daily, key_path(path, "daily_visitors")).value_or(0);
  }
  if (const auto primary = r.field(body, "primary_metric")) {
    experiment.primary_metric = r.label(*primary, key_path(path, "primary_metric")).value_or("");
    if (!r.failed() && k_statistical_metrics.count(experiment.primary_metric) == 0) {
      r.fail(key_path(path, "primary_metric"), "not a statistical metric of the analytics");
    } else if (!r.failed() && experiment.primary_metric.rfind("gross_profit", 0) == 0 &&
               !store.cost_of_goods_share) {
      r.fail(key_path(path, "primary_metric"),
             "profit metrics are null when the store has no costs");
    }
  }
  if (const auto algorithm = r.field(body, "algorithm")) {
    experiment.algorithm = r.label(*algorithm, key_path(path, "algorithm")).value_or("");
    if (!r.failed() && experiment.algorithm != "THOMPSON_SAMPLING") {
      r.fail(key_path(path, "algorithm"), "only THOMPSON_SAMPLING is simulated");
    }
  }
  if (r.failed()) {
    return experiment;
  }
  if (experiment.end < experiment.start) {
    r.fail(key_path(path, "end"), "ends before it starts");
  } else if (experiment.end.plus_days(1).epoch_seconds() > as_of_seconds) {
    r.fail(key_path(path, "end"), "the last day of data must be over by as_of");
  } else if (experiment.daily_visitors == 0 || experiment.daily_visitors > 1'000'000) {
    r.fail(key_path(path, "daily_visitors"), "must lie in [1, 1000000]");
  } else if (experiment.days() > 400) {
    r.fail(key_path(path, "end"), "simulates at most 400 days");
  }

  const std::string variations_path = key_path(path, "variations");
  const auto variations = r.required(body, "variations", path);
  const auto list = variations ? r.as_array(*variations, variations_path) : std::nullopt;
  if (!list || r.failed()) {
    return experiment;
  }
  std::size_t index = 0;
  for (const element item : *list) {
    const std::string item_path = index_path(variations_path, index++);
    const auto variation_body = r.as_object(item, item_path);
    if (!variation_body) {
      return experiment;
    }
    experiment.variations.push_back(read_variation(r, *variation_body, item_path, store));
    if (r.failed()) {
      return experiment;
    }
    const model::ScenarioVariation& added = experiment.variations.back();
    for (std::size_t other = 0; other + 1 < experiment.variations.size(); ++other) {
      if (experiment.variations[other].id == added.id ||
          experiment.variations[other].name == added.name) {
        r.fail(item_path, "variation ids and names must be distinct within an experiment");
        return experiment;
      }
    }
  }
  const auto controls =
      std::count_if(experiment.variations.begin(), experiment.variations.end(),
                    [](const model::ScenarioVariation& v) { return v.is_control; });
  double allocation = 0.0;
  for (const model::ScenarioVariation& v : experiment.variations) {
    allocation += v.allocation_percent;
  }
  if (experiment.variations.size() < 2) {
    r.fail(variations_path, "an experiment needs at least two variations");
  } else if (controls != 1) {
    r.fail(variations_path, "exactly one variation must be the control (\"control\": true)");
  } else if (std::abs(allocation - 100.0) > 1e-6) {
    r.fail(variations_path,
           "allocations must sum to 100 (got " + util::format_round_trip(allocation) + ")");
  } else if (experiment.source == ScenarioSource::platform && experiment.variations.size() != 2) {
    r.fail(variations_path, "the experimentation platform reports two-variant tests only");
  }
  if (r.failed()) {
    return experiment;
  }
  // Variations without a funnel of their own use the store's, referred to the control's rate.
  const model::ScenarioVariation& control = experiment.variations[experiment.control_index()];
  if (std::any_of(experiment.variations.begin(), experiment.variations.end(),
                  [](const model::ScenarioVariation& v) { return !v.funnel; })) {
    check_funnel(
        r, store.funnel, control.conversion_rate,
        key_path(index_path(variations_path, experiment.control_index()), "conversion_rate"));
  }
  for (std::size_t i = 0; i < experiment.variations.size(); ++i) {
    if (experiment.variations[i].funnel) {
      check_funnel(r, *experiment.variations[i].funnel, experiment.variations[i].conversion_rate,
                   key_path(index_path(variations_path, i), "funnel"));
    }
  }

  if (const auto errors = r.field(body, "vendor_errors")) {
    const std::string errors_path = key_path(path, "vendor_errors");
    const auto error_list = r.as_array(*errors, errors_path);
    if (!error_list) {
      return experiment;
    }
    if (experiment.source != ScenarioSource::intelligems) {
      r.fail(errors_path, "vendor errors are planted in Intelligems responses only");
      return experiment;
    }
    std::size_t error_index = 0;
    for (const element item : *error_list) {
      const std::string item_path = index_path(errors_path, error_index++);
      const auto error_body = r.as_object(item, item_path);
      if (!error_body) {
        return experiment;
      }
      experiment.vendor_errors.push_back(
          read_vendor_error(r, *error_body, item_path, experiment, store));
      if (r.failed()) {
        return experiment;
      }
    }
  }
  return experiment;
}

void read_pagination(Reader& r, object body, const std::string& path,
                     model::ScenarioPagination& pagination) {
  const auto size = [&](std::string_view key, std::uint64_t& out) {
    if (const auto value = r.field(body, key)) {
      const auto count = r.as_count(*value, key_path(path, key));
      if (count && (*count == 0 || *count > 1000)) {
        r.fail(key_path(path, key), "page sizes lie in [1, 1000]");
      } else if (count) {
        out = *count;
      }
    }
  };
  size("intelligems_experiences", pagination.intelligems_experiences);
  size("platform_experiments", pagination.platform_experiments);
  size("bandit_events", pagination.bandit_events);
}

} // namespace

util::Result<model::Scenario> parse_scenario(std::string_view text, std::string_view file_name) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(text);
  element root;
  if (const auto error = parser.parse(padded).get(root); error != simdjson::SUCCESS) {
    return util::make_error(ErrorCode::bad_input, std::string(file_name),
                            std::string("not valid JSON: ") + simdjson::error_message(error));
  }
  Reader r(file_name);
  model::Scenario scenario;
  const auto body = r.as_object(root, "$");
  if (!body) {
    return r.error();
  }
  if (const auto schema = r.field(*body, "schema")) {
    const auto name = r.as_string(*schema, "$.schema");
    if (name && *name != k_schema) {
      r.fail("$.schema", "expected \"" + std::string(k_schema) + "\"");
    }
  }
  if (const auto seed = r.required(*body, "seed", "$")) {
    scenario.seed = r.as_count(*seed, "$.seed").value_or(0);
  }
  if (const auto as_of = r.required(*body, "as_of", "$")) {
    const auto stamp = r.as_string(*as_of, "$.as_of");
    if (stamp) {
      const auto seconds = parse_timestamp(*stamp);
      if (!seconds) {
        r.fail("$.as_of", "expected a UTC time written YYYY-MM-DDTHH:MM:SSZ");
      }
      scenario.as_of_seconds = seconds.value_or(0);
    }
  }
  if (const auto pagination = r.field(*body, "pagination")) {
    if (const auto pagination_body = r.as_object(*pagination, "$.pagination")) {
      read_pagination(r, *pagination_body, "$.pagination", scenario.pagination);
    }
  }
  const auto store = r.required(*body, "store", "$");
  const auto store_body = store ? r.as_object(*store, "$.store") : std::nullopt;
  if (r.failed() || !store_body) {
    return r.error();
  }
  scenario.store = read_store(r, *store_body, "$.store");
  if (r.failed()) {
    return r.error();
  }
  if (const auto& sitewide = scenario.store.sitewide) {
    if (sitewide->end.plus_days(1).epoch_seconds() > scenario.as_of_seconds) {
      r.fail("$.store.sitewide.end", "the last day of data must be over by as_of");
      return r.error();
    }
    check_funnel(r, scenario.store.funnel, sitewide->conversion_rate,
                 "$.store.sitewide.conversion_rate");
    const double largest =
        sitewide->conversion_rate *
        largest_multiplier(scenario.store.conversion_multipliers, {}, scenario.store.dimensions);
    if (!r.failed() && largest >= 1.0) {
      r.fail("$.store.sitewide.conversion_rate",
             "with every multiplier applied the conversion probability reaches " +
                 util::format_round_trip(largest) + " (it must stay below 1)");
    }
    if (r.failed()) {
      return r.error();
    }
  }

  const auto experiments = r.required(*body, "experiments", "$");
  const auto list = experiments ? r.as_array(*experiments, "$.experiments") : std::nullopt;
  if (!list) {
    return r.error();
  }
  std::size_t index = 0;
  for (const element item : *list) {
    const std::string path = index_path("$.experiments", index++);
    const auto experiment_body = r.as_object(item, path);
    if (!experiment_body) {
      return r.error();
    }
    scenario.experiments.push_back(
        read_experiment(r, *experiment_body, path, scenario.store, scenario.as_of_seconds));
    if (r.failed()) {
      return r.error();
    }
    for (std::size_t other = 0; other + 1 < scenario.experiments.size(); ++other) {
      if (scenario.experiments[other].id == scenario.experiments.back().id) {
        r.fail(key_path(path, "id"), "experiment ids must be distinct");
        return r.error();
      }
    }
  }
  if (scenario.experiments.empty()) {
    r.fail("$.experiments", "a scenario needs at least one experiment");
    return r.error();
  }
  return scenario;
}

} // namespace reckon::parse
