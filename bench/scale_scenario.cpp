#include "scale_scenario.hpp"

#include "reckon/util/calendar.hpp"
#include "reckon/util/json_writer.hpp"

#include <string_view>

namespace reckon::bench {
namespace {

using util::JsonWriter;

// "dimension": {"label": share, ...}: one dimension's shares (or multipliers).
void shares(JsonWriter& json, std::string_view dimension,
            std::initializer_list<std::pair<const char*, double>> values) {
  json.key(dimension).begin_object();
  for (const auto& [label, share] : values) {
    json.key(label).value(share);
  }
  json.end_object();
}

// The demo store (data/demo/scenario.json): the same traffic mix over all six dimensions the
// simulator knows, so that every experience has the six audience views `reckon fetch` asks for.
void write_store(JsonWriter& json, util::Date last_day) {
  json.key("store").begin_object();
  json.key("name").value("Scale Outfitters");
  json.key("currency").value("USD");
  json.key("order_value").begin_object().key("mean").value(78.0).key("cv").value(0.9).end_object();
  json.key("funnel").begin_object();
  json.key("add_to_cart_rate").value(0.085).key("checkout_begin_rate").value(0.052);
  json.key("checkout_enter_contact_info_rate").value(0.045);
  json.key("checkout_address_submitted_rate").value(0.039).end_object();
  json.key("weekend_traffic").value(1.25);
  json.key("segments").begin_object();
  shares(json, "device_type", {{"Desktop", 0.38}, {"Mobile", 0.55}, {"Tablet", 0.07}});
  shares(json, "visitor_type", {{"New", 0.68}, {"Returning", 0.32}});
  shares(json, "source_channel",
         {{"Paid Search", 0.22},
          {"Paid Social", 0.18},
          {"Paid Shopping", 0.06},
          {"Direct", 0.16},
          {"Organic Search", 0.17},
          {"Organic Social", 0.06},
          {"Email", 0.09},
          {"Other", 0.04},
          {"Paid Other", 0.02}});
  shares(json, "country_code",
         {{"US", 0.55},
          {"CA", 0.10},
          {"GB", 0.09},
          {"AU", 0.06},
          {"DE", 0.05},
          {"FR", 0.04},
          {"NL", 0.03},
          {"IE", 0.02},
          {"NZ", 0.02},
          {"SE", 0.015},
          {"Other", 0.025}});
  shares(json, "source_site",
         {{"Google", 0.34},
          {"Facebook", 0.17},
          {"Instagram", 0.12},
          {"Klaviyo", 0.09},
          {"TikTok", 0.05},
          {"Direct", 0.16},
          {"Other", 0.07}});
  shares(json, "landing_page_full_path",
         {{"/", 0.40},
          {"/collections/all", 0.15},
          {"/collections/outerwear", 0.10},
          {"/products/storm-shell-jacket", 0.08},
          {"/products/merino-crew", 0.06},
          {"/products/trail-runner", 0.05},
          {"/collections/sale", 0.05},
          {"/products/down-vest", 0.04},
          {"/pages/about", 0.03},
          {"Other", 0.04}});
  json.end_object();
  json.key("conversion_multipliers").begin_object();
  shares(json, "device_type", {{"Desktop", 1.25}, {"Mobile", 0.85}});
  shares(json, "visitor_type", {{"New", 0.85}, {"Returning", 1.35}});
  json.end_object();
  json.key("sitewide").begin_object();
  json.key("start").value(last_day.plus_days(-13).to_string());
  json.key("end").value(last_day.to_string());
  json.key("daily_visitors").value(12000).key("conversion_rate").value(0.027).end_object();
  json.end_object();
}

void variation(JsonWriter& json, const char* id, bool control, double allocation, double rate) {
  json.begin_object();
  json.key("id").value(id).key("name").value(id).key("control").value(control);
  json.key("allocation").value(allocation).key("conversion_rate").value(rate);
}

// Experience i's arms, by its story (i modulo 5): a null test, a +8 % winner, a three-arm price
// ladder, a winner on Mobile only, a −7 % loser.
void write_variations(JsonWriter& json, std::size_t i) {
  const double base = 0.022 + 0.002 * static_cast<double>(i % 7);
  json.key("variations").begin_array();
  const int story = static_cast<int>(i % 5);
  const double split = story == 2 ? 100.0 / 3.0 : 50.0;
  variation(json, "control", true, story == 2 ? 100.0 - 2 * split : split, base);
  json.end_object();
  if (story == 2) {
    variation(json, "plus-5", false, split, base * 0.986);
    json.key("order_value").begin_object().key("mean").value(81.9).key("cv").value(0.9);
    json.end_object().end_object();
    variation(json, "plus-10", false, split, base * 0.875);
    json.key("order_value").begin_object().key("mean").value(85.8).key("cv").value(0.9);
    json.end_object().end_object();
  } else {
    const double factor = story == 1 ? 1.08 : story == 4 ? 0.93 : 1.0;
    variation(json, "variant", false, split, base * factor);
    if (story == 3) {
      json.key("conversion_multipliers").begin_object();
      shares(json, "device_type", {{"Mobile", 1.2}});
      json.end_object();
    }
    json.end_object();
  }
  json.end_array();
}

} // namespace

std::string scale_scenario(std::size_t experiences, int days) {
  const util::Date last_day = util::Date::from_civil(2026, 9, 28);
  const util::Date first_day = last_day.plus_days(1 - days);
  JsonWriter json;
  json.begin_object();
  json.key("schema").value("reckon.scenario/v1");
  json.key("seed").value(20261206);
  json.key("as_of").value(last_day.plus_days(1).to_string() + "T06:00:00Z");
  write_store(json, last_day);
  json.key("pagination").begin_object().key("intelligems_experiences").value(100).end_object();
  json.key("experiments").begin_array();
  for (std::size_t i = 0; i < experiences; ++i) {
    const std::string id = "experience-" + std::to_string(1000 + i).substr(1);
    json.begin_object();
    json.key("id").value(id).key("name").value("Experience " + std::to_string(i + 1));
    json.key("type").value(i % 5 == 2 ? "pricing" : "content/advanced");
    json.key("status").value(i % 4 == 3 ? "ended" : "started");
    json.key("start").value(first_day.to_string()).key("end").value(last_day.to_string());
    json.key("daily_visitors").value(static_cast<std::uint64_t>(1500 + (i * 397) % 2500));
    json.key("primary_metric").value(i % 2 == 0 ? "net_revenue_per_visitor" : "conversion_rate");
    write_variations(json, i);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.finish();
}

} // namespace reckon::bench
