#include "reckon/parse/scenario.hpp"

#include "support/error_matchers.hpp"

#include "reckon/util/file.hpp"
#include "support/paths.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace reckon::parse {
namespace {

using ::testing::HasSubstr;

// A small valid scenario; tests splice one change into it with `replace`.
const std::string k_minimal = R"({
  "seed": 7,
  "as_of": "2026-09-29T06:00:00Z",
  "store": {
    "name": "Test Store",
    "order_value": {"mean": 80, "cv": 0.8},
    "funnel": {"add_to_cart_rate": 0.08, "checkout_begin_rate": 0.05,
               "checkout_enter_contact_info_rate": 0.04, "checkout_address_submitted_rate": 0.035},
    "segments": {"device_type": {"Desktop": 0.4, "Mobile": 0.6}},
    "unknown_field": [1, 2, 3]
  },
  "experiments": [
    {"id": "exp-a", "status": "started", "start": "2026-09-01", "end": "2026-09-14",
     "daily_visitors": 1000,
     "variations": [
       {"id": "control", "control": true, "allocation": 50, "conversion_rate": 0.03},
       {"id": "variant", "allocation": 50, "conversion_rate": 0.033,
        "conversion_multipliers": {"device_type": {"Mobile": 1.2}, "day_type": {"weekend": 1.1}}}
     ]}
  ]
})";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

void expect_error(const std::string& text, const std::string& where, const std::string& says) {
  const auto result = parse_scenario(text, "scenario.json");
  ASSERT_FALSE(result) << "accepted: " << where;
  EXPECT_ERROR(result, util::ErrorCode::bad_input, HasSubstr(says));
  EXPECT_EQ(result.error().where, where) << result.error().describe();
}

TEST(ParseScenario, ReadsAMinimalScenarioWithItsDefaults) {
  const auto result = parse_scenario(k_minimal, "scenario.json");
  ASSERT_TRUE(result) << result.error().describe();
  const model::Scenario& scenario = *result;
  EXPECT_EQ(scenario.seed, 7U);
  EXPECT_EQ(scenario.as_of_seconds, model::Date::from_civil(2026, 9, 29).epoch_seconds() + 21'600);
  EXPECT_EQ(scenario.store.currency_code, "USD");
  EXPECT_EQ(scenario.store.currency_symbol, "$");
  EXPECT_EQ(scenario.store.domain, "test-store.myshopify.com");
  EXPECT_FALSE(scenario.store.cost_of_goods_share);
  EXPECT_FALSE(scenario.store.sitewide);
  EXPECT_DOUBLE_EQ(scenario.store.weekend_traffic, 1.0);
  EXPECT_DOUBLE_EQ(scenario.store.units_per_order, 1.4);
  ASSERT_EQ(scenario.store.dimensions.size(), 1U);
  EXPECT_EQ(scenario.store.dimensions[0].values[1].label, "Mobile");
  EXPECT_EQ(scenario.pagination.intelligems_experiences, 20U);

  ASSERT_EQ(scenario.experiments.size(), 1U);
  const model::ScenarioExperiment& experiment = scenario.experiments[0];
  EXPECT_EQ(experiment.name, "exp-a");
  EXPECT_EQ(experiment.source, model::ScenarioSource::intelligems);
  EXPECT_EQ(experiment.type, "content/advanced");
  EXPECT_EQ(experiment.primary_metric, "net_revenue_per_visitor");
  EXPECT_EQ(experiment.days(), 14);
  EXPECT_EQ(experiment.control_index(), 0U);
  const model::ScenarioVariation& variant = experiment.variations[1];
  EXPECT_EQ(variant.name, "variant");
  ASSERT_EQ(variant.conversion_multipliers.size(), 2U);
  EXPECT_EQ(variant.conversion_multipliers[0].dimension, "device_type");
  EXPECT_EQ(variant.conversion_multipliers[1].value, "weekend");
  EXPECT_DOUBLE_EQ(variant.conversion_multipliers[1].factor, 1.1);
}

TEST(ParseScenario, TheDemoScenarioIsValid) {
  const auto text = util::read_file(test::data_dir() / "demo" / "scenario.json");
  ASSERT_TRUE(text) << text.error().describe();
  const auto result = parse_scenario(*text, "data/demo/scenario.json");
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_GE(result->experiments.size(), 7U);
  EXPECT_TRUE(result->store.sitewide);
}

TEST(ParseScenario, MalformedJsonNamesTheFile) {
  const auto result = parse_scenario("{\"seed\": ", "broken.json");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().where, "broken.json");
  EXPECT_THAT(result.error().message, HasSubstr("not valid JSON"));
}

TEST(ParseScenario, ErrorsNameTheJsonPath) {
  expect_error(replace(k_minimal, R"("seed": 7,)", ""), "scenario.json:$", "\"seed\"");
  expect_error(replace(k_minimal, R"("seed": 7)", R"("seed": -7)"), "scenario.json:$.seed",
               "whole number >= 0");
  expect_error(replace(k_minimal, "2026-09-29T06:00:00Z", "2026-09-29"), "scenario.json:$.as_of",
               "YYYY-MM-DDTHH:MM:SSZ");
  expect_error(replace(k_minimal, R"("name": "Test Store",)",
                       R"("name": "Test Store", "units_per_order": 0.5,)"),
               "scenario.json:$.store.units_per_order", "must lie in [1, 100)");
  expect_error(replace(k_minimal, R"("Mobile": 0.6})", R"("Mobile": 0.5})"),
               "scenario.json:$.store.segments.device_type", "sum to 1");
  expect_error(replace(k_minimal, R"("device_type": {"Desktop")", R"("device": {"Desktop")"),
               "scenario.json:$.store.segments.device", "unknown audience dimension");
  expect_error(
      replace(k_minimal, R"("checkout_begin_rate": 0.05)", R"("checkout_begin_rate": 0.09)"),
      "scenario.json:$.store.funnel.checkout_begin_rate", "must not increase");
  expect_error(replace(k_minimal, R"("status": "started")", R"("status": "running")"),
               "scenario.json:$.experiments[0].status", "pending, started, paused, ended");
  expect_error(replace(k_minimal, R"("end": "2026-09-14")", R"("end": "2026-09-31")"),
               "scenario.json:$.experiments[0].end", "YYYY-MM-DD");
  expect_error(replace(k_minimal, R"("end": "2026-09-14")", R"("end": "2026-08-14")"),
               "scenario.json:$.experiments[0].end", "ends before it starts");
  expect_error(replace(k_minimal, R"("end": "2026-09-14")", R"("end": "2026-09-29")"),
               "scenario.json:$.experiments[0].end", "over by as_of");
  expect_error(replace(k_minimal, R"("daily_visitors": 1000)", R"("daily_visitors": 10.5)"),
               "scenario.json:$.experiments[0].daily_visitors", "whole number");
  expect_error(replace(k_minimal, R"("id": "exp-a")", R"("id": "Exp A")"),
               "scenario.json:$.experiments[0].id", "lowercase");
  expect_error(replace(k_minimal, R"("conversion_rate": 0.033)", R"("conversion_rate": 1.5)"),
               "scenario.json:$.experiments[0].variations[1].conversion_rate", "(0, 1)");
  expect_error(replace(k_minimal, R"("id": "variant", "allocation": 50)",
                       R"("id": "variant", "allocation": 40)"),
               "scenario.json:$.experiments[0].variations", "sum to 100");
  expect_error(replace(k_minimal, R"("id": "variant",)", R"("id": "variant", "control": true,)"),
               "scenario.json:$.experiments[0].variations", "exactly one");
  expect_error(replace(k_minimal, R"("id": "variant",)", R"("id": "control",)"),
               "scenario.json:$.experiments[0].variations[1]", "distinct");
  expect_error(replace(k_minimal, R"({"Mobile": 1.2})", R"({"Phone": 1.2})"),
               "scenario.json:$.experiments[0].variations[1].conversion_multipliers.device_type."
               "Phone",
               "not a value");
  expect_error(
      replace(k_minimal, R"("day_type": {"weekend": 1.1})", R"("day_type": {"sunday": 1.1})"),
      "scenario.json:$.experiments[0].variations[1].conversion_multipliers.day_type.sunday",
      "weekday");
  expect_error(replace(k_minimal, R"({"Mobile": 1.2})", R"({"Mobile": 30})"),
               "scenario.json:$.experiments[0].variations[1].conversion_rate", "reaches 1.08");
  expect_error(replace(k_minimal, R"("conversion_rate": 0.03})", R"("conversion_rate": 0.036})"),
               "scenario.json:$.experiments[0].variations[0].conversion_rate",
               "at least the conversion rate");
  expect_error(replace(k_minimal, R"("experiments": [)", R"("experiments": [], "x": [)"),
               "scenario.json:$.experiments", "at least one experiment");
}

TEST(ParseScenario, AsOfMayNameItsZoneAsAnOffset) {
  const auto result = parse_scenario(
      replace(k_minimal, "2026-09-29T06:00:00Z", "2026-09-29T08:00:00+02:00"), "scenario.json");
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->as_of_seconds, model::Date::from_civil(2026, 9, 29).epoch_seconds() + 21'600);
}

TEST(ParseScenario, SeedsTakeTheWholeUnsignedRangeButNoFraction) {
  const auto largest = parse_scenario(
      replace(k_minimal, R"("seed": 7)", R"("seed": 18446744073709551615)"), "scenario.json");
  ASSERT_TRUE(largest) << largest.error().describe();
  EXPECT_EQ(largest->seed, 18446744073709551615ULL);
  expect_error(replace(k_minimal, R"("seed": 7)", R"("seed": 7.0)"), "scenario.json:$.seed",
               "expected a whole number >= 0, got 7");
}

TEST(ParseScenario, LabelsThatAreNotIdentifiersAreQuotedInThePath) {
  std::string text = replace(k_minimal, R"({"Desktop": 0.4, "Mobile": 0.6})",
                             R"({"Desktop": 0.4, "Mobile app": 0.6})");
  text = replace(text, R"({"Mobile": 1.2})", R"({"Mobile app": 30})");
  expect_error(text, "scenario.json:$.experiments[0].variations[1].conversion_rate", "reaches");
  expect_error(replace(text, R"({"Mobile app": 30})", R"({"Mobile app": -1})"),
               "scenario.json:$.experiments[0].variations[1].conversion_multipliers.device_type["
               "\"Mobile app\"]",
               "must lie in (0, 1000)");
}

TEST(ParseScenario, ChecksPlantedVendorErrors) {
  const std::string with_error = replace(
      k_minimal, R"("daily_visitors": 1000,)",
      R"("daily_visitors": 1000, "vendor_errors": [{"response": "overview", "variation": "variant",
          "metric": "conversion_rate", "field": "p2bc", "offset": 0.2}],)");
  const auto result = parse_scenario(with_error, "scenario.json");
  ASSERT_TRUE(result) << result.error().describe();
  ASSERT_EQ(result->experiments[0].vendor_errors.size(), 1U);
  EXPECT_DOUBLE_EQ(result->experiments[0].vendor_errors[0].offset, 0.2);

  expect_error(replace(with_error, R"("response": "overview")", R"("response": "day.2026-10-01")"),
               "scenario.json:$.experiments[0].vendor_errors[0].response", "not a day");
  expect_error(
      replace(with_error, R"("response": "overview")", R"("response": "audience.device_type")"),
      "scenario.json:$.experiments[0].vendor_errors[0].segment", "needs a segment");
  expect_error(replace(with_error, R"("variation": "variant")", R"("variation": "control")"),
               "scenario.json:$.experiments[0].vendor_errors[0].field", "control rows");
  expect_error(replace(with_error, R"("metric": "conversion_rate")",
                       R"("metric": "gross_profit_per_visitor")"),
               "scenario.json:$.experiments[0].vendor_errors[0].metric", "no costs");
  expect_error(replace(with_error, R"("field": "p2bc")", R"("field": "confidence")"),
               "scenario.json:$.experiments[0].vendor_errors[0].field", "expected one of");
}

TEST(ParseScenario, ReadsOptionalStoreAndSourceFields) {
  std::string text = replace(k_minimal, R"("name": "Test Store",)",
                             R"("name": "Test Store", "currency": "EUR", "cost_of_goods_share": 0.4,
                                "weekend_traffic": 1.3, "units_per_order": 2.5,
                                "sitewide": {"start": "2026-09-15", "end": "2026-09-28",
                                             "daily_visitors": 5000, "conversion_rate": 0.025},)");
  text = replace(text, R"("status": "started")", R"("status": "ended", "source": "platform")");
  const auto result = parse_scenario(text, "scenario.json");
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->store.currency_symbol, "€");
  EXPECT_DOUBLE_EQ(*result->store.cost_of_goods_share, 0.4);
  EXPECT_DOUBLE_EQ(result->store.units_per_order, 2.5);
  ASSERT_TRUE(result->store.sitewide);
  EXPECT_EQ(result->store.sitewide->daily_visitors, 5000U);
  EXPECT_EQ(result->experiments[0].source, model::ScenarioSource::platform);
  EXPECT_EQ(result->experiments[0].status, model::ScenarioStatus::ended);

  expect_error(replace(k_minimal, R"("daily_visitors": 1000,)",
                       R"("daily_visitors": 1000, "source": "bandit", "algorithm": "UCB1",)"),
               "scenario.json:$.experiments[0].algorithm", "THOMPSON_SAMPLING");
}

TEST(ParseScenario, ReadsAndChecksAllocationMultipliers) {
  const std::string skewed = replace(k_minimal, R"("id": "variant", "allocation": 50,)",
                                     R"("id": "variant", "allocation": 50,
                 "allocation_multipliers": {"device_type": {"Mobile": 1.0833333}},)");
  const auto result = parse_scenario(skewed, "scenario.json");
  ASSERT_TRUE(result) << result.error().describe();
  const model::ScenarioExperiment& experiment = result->experiments[0];
  EXPECT_TRUE(experiment.skews_allocation());
  EXPECT_TRUE(experiment.variations[0].allocation_multipliers.empty());
  ASSERT_EQ(experiment.variations[1].allocation_multipliers.size(), 1U);
  EXPECT_EQ(experiment.variations[1].allocation_multipliers[0].dimension, "device_type");
  EXPECT_EQ(experiment.variations[1].allocation_multipliers[0].value, "Mobile");
  EXPECT_DOUBLE_EQ(experiment.variations[1].allocation_multipliers[0].factor, 1.0833333);
  EXPECT_FALSE(parse_scenario(k_minimal, "scenario.json")->experiments[0].skews_allocation());

  const std::string path = "scenario.json:$.experiments[0].variations[1].allocation_multipliers";
  expect_error(replace(skewed, R"({"Mobile": 1.0833333})", R"({"Phone": 2})"),
               path + ".device_type.Phone", "not a value of the store's device_type segments");
  expect_error(replace(skewed, R"({"Mobile": 1.0833333})", R"({"Mobile": 0})"),
               path + ".device_type.Mobile", "must lie in (0, 1000)");
  expect_error(replace(skewed, R"({"Mobile": 1.0833333})", R"({"Mobile": "more"})"),
               path + ".device_type.Mobile", "number");
  expect_error(
      replace(skewed, R"("device_type": {"Mobile": 1.0833333})", R"("country_code": {"US": 2})"),
      path + ".country_code", "not a segment dimension of the store");
  expect_error(
      replace(skewed, R"("device_type": {"Mobile": 1.0833333})", R"("day_type": {"weekend": 2})"),
      path + ".day_type", "not a segment dimension of the store");
  expect_error(replace(skewed, R"("daily_visitors": 1000,)",
                       R"("daily_visitors": 1000, "source": "bandit",)"),
               path, "a bandit's allocation adapts daily");
}

TEST(ParseScenario, ReadsAndChecksDaySegments) {
  EXPECT_TRUE(parse_scenario(k_minimal, "scenario.json")->day_segments.empty());
  const std::string with_days =
      replace(k_minimal, R"("seed": 7,)", R"("seed": 7, "day_segments": ["device_type"],)");
  const auto result = parse_scenario(with_days, "scenario.json");
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->day_segments, std::vector<std::string>{"device_type"});

  expect_error(replace(with_days, R"(["device_type"])", R"(["source_channel"])"),
               "scenario.json:$.day_segments[0]", "not a segment dimension of the store");
  expect_error(replace(with_days, R"(["device_type"])", R"(["device_type", "device_type"])"),
               "scenario.json:$.day_segments[1]", "listed twice");
  expect_error(replace(with_days, R"(["device_type"])", R"("device_type")"),
               "scenario.json:$.day_segments", "array");
  expect_error(replace(with_days, R"(["device_type"])", R"([3])"),
               "scenario.json:$.day_segments[0]", "string");
}

TEST(ScenarioDate, RoundTripsAndKnowsWeekdays) {
  const auto date = model::Date::parse("2026-09-05");
  ASSERT_TRUE(date);
  EXPECT_EQ(date->to_string(), "2026-09-05");
  EXPECT_EQ(date->weekday(), 5); // a Saturday
  EXPECT_TRUE(date->is_weekend());
  EXPECT_FALSE(date->plus_days(2).is_weekend());
  EXPECT_EQ(model::Date::parse("1970-01-01")->days_since_epoch, 0);
  EXPECT_EQ(model::Date::parse("2024-02-29")->plus_days(1).to_string(), "2024-03-01");
  EXPECT_FALSE(model::Date::parse("2026-02-29"));
  EXPECT_FALSE(model::Date::parse("2026-9-05"));
}

} // namespace
} // namespace reckon::parse
