#include "chart_specs.hpp"

#include <map>

namespace reckon::report::charts {

namespace {

using util::JsonWriter;

std::optional<double> ratio(double part, double whole) {
  return whole > 0.0 ? std::optional(part / whole) : std::nullopt;
}

// The test's visitors (all arms) on each of its days.
std::map<std::string, std::uint64_t> test_days(const model::Experiment& experiment) {
  std::map<std::string, std::uint64_t> days;
  for (const model::CountsCell& cell : experiment.cells) {
    if (cell.slice.segment_type == "day" && cell.slice.date.empty()) {
      std::uint64_t& visitors = days[cell.slice.segment];
      for (const model::ArmCounts& arm : cell.arms) {
        visitors += arm.visitors;
      }
    }
  }
  return days;
}

// One panel of the stacked chart: a line of `field` with a point per day, its axis titled.
void write_panel(JsonWriter& json, std::string_view field, std::string_view title,
                 std::string_view format) {
  json.begin_object();
  json.key("width").value(detail::k_width).key("height").value(140);
  json.key("mark").begin_object().key("type").value("line").key("point").value(true);
  json.key("tooltip").value(true);
  json.end_object();
  json.key("encoding").begin_object();
  detail::day_x(json, "date", true);
  json.key("y").begin_object().key("field").value(field).key("type").value("quantitative");
  detail::axis(json, title, format);
  json.end_object();
  json.end_object();
  json.end_object();
}

} // namespace

std::optional<StoreContext> store_context_numbers(const model::SitewideSeries& store,
                                                  const model::Experiment& experiment) {
  const std::map<std::string, std::uint64_t> tested = test_days(experiment);
  if (tested.empty()) {
    return std::nullopt;
  }
  StoreContext context;
  context.currency = store.currency;
  context.first_day = tested.begin()->first;
  context.last_day = tested.rbegin()->first;
  for (const model::SitewideDay& day : store.days) {
    if (day.date < context.first_day || day.date > context.last_day) {
      continue;
    }
    const auto test = tested.find(day.date);
    const std::uint64_t test_visitors = test == tested.end() ? 0 : test->second;
    const auto store_visitors = static_cast<double>(day.visitors);
    context.days.push_back({day.date, day.visitors, day.revenue, ratio(day.revenue, store_visitors),
                            test_visitors,
                            ratio(static_cast<double>(test_visitors), store_visitors)});
    context.store_visitors += day.visitors;
    context.store_orders += day.orders;
    context.store_revenue += day.revenue;
    context.test_visitors += test_visitors;
  }
  if (context.days.empty()) {
    return std::nullopt;
  }
  const auto visitors = static_cast<double>(context.store_visitors);
  context.revenue_per_visitor = ratio(context.store_revenue, visitors);
  context.test_share = ratio(static_cast<double>(context.test_visitors), visitors);
  return context;
}

std::string store_context(const StoreContext& context, std::string_view experiment_name) {
  if (context.days.empty()) {
    return {};
  }
  JsonWriter json;
  detail::begin_spec(json, "The store during " + std::string(experiment_name),
                     "the whole store's daily visitors and revenue per visitor, " +
                         context.first_day + " to " + context.last_day +
                         ", and the test's share of its visitors");
  json.key("data").begin_object().key("values").begin_array();
  for (const StoreContextDay& day : context.days) {
    json.begin_object().key("date").value(day.date);
    json.key("store_visitors").value(day.store_visitors);
    json.key("test_visitors").value(day.test_visitors);
    json.key("revenue_per_visitor").value(day.revenue_per_visitor);
    json.key("test_share").value(day.test_share).end_object();
  }
  json.end_array().end_object();
  const std::string currency = context.currency.empty() ? "" : " (" + context.currency + ")";
  json.key("vconcat").begin_array();
  write_panel(json, "store_visitors", "Store visitors per day", ",.0f");
  write_panel(json, "revenue_per_visitor", "Store revenue per visitor" + currency, ",.2f");
  write_panel(json, "test_share", "Test's share of the store's visitors (%)", ".0%");
  json.end_array();
  json.end_object();
  return json.finish();
}

} // namespace reckon::report::charts
