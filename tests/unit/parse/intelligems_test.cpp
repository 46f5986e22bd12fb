#include "intelligems_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reckon::parse {
namespace {

using namespace intelligems_fixture;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseIntelligems, ReadsTheResearchCaptureOverview) {
  const model::Dataset dataset = parse_ok({list_exchange(), overview(k_capture)});
  ASSERT_EQ(dataset.experiments.size(), 1U);
  const model::Experiment& e = dataset.experiments[0];
  EXPECT_EQ(e.id, "E");
  EXPECT_EQ(e.name, "Mag price");
  EXPECT_EQ(e.status, "started");
  EXPECT_EQ(e.source, "intelligems");
  EXPECT_EQ(e.started_at_ms, 1'788'220'800'000);
  EXPECT_FALSE(e.ended_at_ms);
  ASSERT_EQ(e.variations.size(), 2U);
  EXPECT_EQ(e.variations[0].id, "C"); // ordered by `order`
  EXPECT_TRUE(e.variations[0].is_control);
  EXPECT_EQ(e.variations[0].allocation, 50.0);
  EXPECT_EQ(e.variations[1].name, "mag alt price");

  ASSERT_EQ(e.cells.size(), 1U);
  const model::CountsCell& cell = e.cells[0];
  EXPECT_EQ(cell.slice, model::Slice::overall());
  EXPECT_EQ(cell.origin, "overview.json");
  ASSERT_EQ(cell.arms.size(), 2U);
  const model::ArmCounts& control = cell.arms[0];
  const model::ArmCounts& variant = cell.arms[1];
  EXPECT_EQ(control.variation_id, "C");
  EXPECT_EQ(control.visitors, 6314U);
  EXPECT_EQ(control.conversions, 238U);
  EXPECT_DOUBLE_EQ(control.revenue, 13566.27);
  EXPECT_EQ(variant.visitors, 6425U);
  EXPECT_EQ(variant.conversions, 254U);
  EXPECT_FALSE(variant.revenue_sq);
  EXPECT_FALSE(variant.profit);

  // Every metric, counts included, in the row's order.
  std::vector<std::string> names;
  for (const model::ReportedMetric& m : variant.reported) {
    names.push_back(m.name);
  }
  EXPECT_THAT(names, ElementsAre("n_visitors", "n_orders", "net_revenue", "conversion_rate",
                                 "net_revenue_per_visitor", "net_revenue_per_order",
                                 "gross_profit_per_visitor", "view_collection_page_rate",
                                 "pct_subscription_orders"));

  const model::ReportedMetric& rate = metric(variant, "conversion_rate");
  EXPECT_FALSE(rate.whole_null);
  EXPECT_EQ(rate.value, 0.0395331);
  EXPECT_EQ(rate.ci_low, 0.0349501);
  EXPECT_EQ(rate.ci_high, 0.0446006);
  EXPECT_EQ(rate.plus_minus, 0.0048252);
  EXPECT_EQ(rate.p2bb, 0.7119);
  EXPECT_EQ(rate.p2bc, 0.7119);
  ASSERT_TRUE(rate.uplift);
  EXPECT_EQ(rate.uplift->value, 0.0487892);
  EXPECT_EQ(rate.uplift->ci_low, -0.1184434);
  EXPECT_EQ(rate.uplift->plus_minus, 0.1814);

  // The control carries no uplift and no p2bc; plus_minus may be missing.
  const model::ReportedMetric& control_rpv = metric(control, "net_revenue_per_visitor");
  EXPECT_EQ(control_rpv.p2bb, 0.1217);
  EXPECT_FALSE(control_rpv.p2bc);
  EXPECT_FALSE(control_rpv.uplift);
  EXPECT_FALSE(control_rpv.plus_minus);

  EXPECT_TRUE(metric(variant, "gross_profit_per_visitor").whole_null);
  EXPECT_TRUE(metric(control, "gross_profit_per_visitor").whole_null);

  // Low data: null intervals and probabilities are absent; the values stay.
  const model::ReportedMetric& low = metric(variant, "view_collection_page_rate");
  EXPECT_FALSE(low.whole_null);
  EXPECT_EQ(low.value, 0.0029572);
  EXPECT_FALSE(low.ci_low);
  EXPECT_FALSE(low.p2bb);
  EXPECT_FALSE(low.p2bc);
  ASSERT_TRUE(low.uplift);
  EXPECT_EQ(low.uplift->value, 0.0373195);
  EXPECT_FALSE(low.uplift->ci_low);
  EXPECT_FALSE(low.uplift->plus_minus);

  // A {value} ratio with an uplift on the variant: reported, never a total.
  const model::ReportedMetric& ratio = metric(variant, "pct_subscription_orders");
  EXPECT_EQ(ratio.value, 0.6023622);
  ASSERT_TRUE(ratio.uplift);
  EXPECT_EQ(ratio.uplift->value, -0.0926443);
  EXPECT_FALSE(metric(control, "pct_subscription_orders").uplift);
  EXPECT_EQ(control.totals.count("pct_subscription_orders"), 0U);
  EXPECT_EQ(variant.totals.count("pct_subscription_orders"), 0U);
}

TEST(ParseIntelligems, BareValueMetricsAreTotalsAndProfitIsCounted) {
  const std::string extra =
      R"(,"gross_profit":{"value":-12.5},"n_visitors_added_to_cart":{"value":88},)"
      R"("total_units":{"value":41},"pct_revenue_with_cogs":{"value":0.93},)"
      R"("net_product_revenue":{"value":null},"mystery_metric":{"value":3,"p2bb":0.5},)"
      R"("some_label":"ignored","flag":true,"weird":[1])";
  const model::Dataset dataset = parse_ok(
      {list_exchange(),
       overview(metrics({row("C", 100, 10, 500.0, extra), row("V", 100, 12, 600.0, extra)}))});
  const model::ArmCounts& arm = dataset.experiments.at(0).cells.at(0).arms.at(0);
  EXPECT_EQ(arm.profit, -12.5);
  EXPECT_THAT(arm.totals,
              ElementsAre(std::pair<const std::string, double>{"n_visitors_added_to_cart", 88.0},
                          std::pair<const std::string, double>{"pct_revenue_with_cogs", 0.93},
                          std::pair<const std::string, double>{"total_units", 41.0}));
  EXPECT_TRUE(metric(arm, "net_product_revenue").whole_null);
  EXPECT_EQ(metric(arm, "mystery_metric").p2bb, 0.5);
  EXPECT_EQ(arm.reported.size(), 9U); // the label, the flag and the array are not metrics
}

TEST(ParseIntelligems, ReadsMillisecondAndIsoTimesUnderEitherName) {
  const std::string list = R"({"experiencesList":[
    {"id":"A","name":"a","status":"ended","startedAtTs":"2026-07-31T16:00:43.427+00:00",
     "endedAtTs":1788220800000,"variations":[{"id":"c","isControl":true},{"id":"v"}]},
    {"id":"B","name":"b","status":"started","startedAt":"2026-09-01T02:00:00+02:00",
     "endedAt":null,"variations":[{"id":"c","isControl":true},{"id":"v"}]}]})";
  const model::Dataset dataset = parse_ok({list_exchange(list)});
  ASSERT_EQ(dataset.experiments.size(), 2U);
  EXPECT_EQ(dataset.experiments[0].started_at_ms, 1'785'513'643'427);
  EXPECT_EQ(dataset.experiments[0].ended_at_ms, 1'788'220'800'000);
  EXPECT_EQ(dataset.experiments[1].started_at_ms, 1'788'220'800'000);
  EXPECT_FALSE(dataset.experiments[1].ended_at_ms);
  EXPECT_TRUE(dataset.experiments[1].cells.empty()); // listed, never analysed
  EXPECT_FALSE(dataset.experiments[0].variations[0].allocation);
}

TEST(ParseIntelligems, DetailReplacesTheListEntryAndNamesThePrimaryMetric) {
  const std::string detail = R"json({"experience":{"id":"E","name":"Mag price (renamed)",
    "status":"ended","startedAtTs":1788220800000,"endedAtTs":1789430400000,
    "variations":[{"id":"C","name":"mag","percentage":40,"isControl":true,"order":0},
                  {"id":"V","name":"mag alt price","percentage":60,"isControl":false,"order":1}],
    "experienceKeyMetrics":[
      {"id":"k1","order":1,"isPrimary":false,"standardEventId":"conversionRate"},
      {"id":"k2","order":0,"isPrimary":true,"standardEventId":"profitPerVisitor"}]}})json";
  const model::Dataset dataset =
      parse_ok({exchange("GET", "/experiences/E", "", detail, "detail.json"), list_exchange()});
  ASSERT_EQ(dataset.experiments.size(), 1U);
  const model::Experiment& e = dataset.experiments[0];
  EXPECT_EQ(e.name, "Mag price (renamed)");
  EXPECT_EQ(e.status, "ended");
  EXPECT_EQ(e.ended_at_ms, 1'789'430'400'000);
  EXPECT_EQ(e.variations[1].allocation, 60.0);
  EXPECT_EQ(e.primary_metric, "gross_profit_per_visitor");
}

TEST(ParseIntelligems, AnUnwrappedDetailIsReadToo) {
  const std::string detail = R"({"id":"D","name":"d","status":"paused",
    "variations":[{"id":"c","isControl":true},{"id":"v","isControl":false}],
    "experienceKeyMetrics":[{"isPrimary":true,"standardEventId":"netRevenuePerVisitor"}]})";
  const model::Dataset dataset = parse_ok({exchange("GET", "/experiences/D", "", detail, "d")});
  ASSERT_EQ(dataset.experiments.size(), 1U);
  EXPECT_EQ(dataset.experiments[0].primary_metric, "net_revenue_per_visitor");
}

TEST(ParseIntelligems, AudienceRowsOutOfOrderFollowAudienceOrder) {
  const std::string body =
      metrics({audience_row("V", "Desktop", 50, 2), audience_row("C", "Tablet", 10, 0),
               audience_row("C", "Desktop", 40, 1), audience_row("V", "Mobile", 70, 3),
               audience_row("C", "Mobile", 60, 2), audience_row("V", "Tablet", 12, 1)},
              R"(,"audienceOrder":["Mobile","Desktop","Gone"])");
  const model::Dataset dataset =
      parse_ok({list_exchange(),
                exchange("POST", "/analytics/resource/E",
                         R"({"view":"audience","audience":"device_type"})", body, "aud.json")});
  const model::Experiment& e = dataset.experiments.at(0);
  EXPECT_THAT(slice_names(e),
              ElementsAre("device_type/Mobile", "device_type/Desktop", "device_type/Tablet"));
  const model::CountsCell& desktop = e.cells[1];
  EXPECT_EQ(desktop.arms[0].variation_id, "C");
  EXPECT_EQ(desktop.arms[0].visitors, 40U);
  EXPECT_EQ(desktop.arms[1].variation_id, "V");
  EXPECT_EQ(desktop.arms[1].visitors, 50U);
  EXPECT_EQ(metric(desktop.arms[1], "n_visitors").value, 50.0); // `audience` is not a metric
  EXPECT_EQ(desktop.arms[1].reported.size(), 3U);
}

TEST(ParseIntelligems, AudienceWithoutOrderKeepsFirstAppearanceAndDropsPartialSegments) {
  const std::string body =
      metrics({audience_row("C", "Email", 50, 2), audience_row("V", "Direct", 10, 0),
               audience_row("C", "Direct", 40, 1), audience_row("V", "Email", 70, 3),
               audience_row("V", "Paid Video", 3, 0)});
  std::vector<std::string> notes;
  const model::Dataset dataset = parse_ok(
      {list_exchange(),
       exchange("POST", "/analytics/resource/E",
                R"({"view":"audience","audience":"source_channel","topN":1000})", body, "ch")},
      &notes);
  EXPECT_THAT(slice_names(dataset.experiments.at(0)),
              ElementsAre("source_channel/Email", "source_channel/Direct"));
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_THAT(notes[0], HasSubstr("Paid Video"));
}

TEST(ParseIntelligems, DayWindowsBecomeDaySlicesInEitherApiGeneration) {
  contract::ApiExchange deprecated =
      exchange("GET", "/analytics/resource/E", "", k_two_rows, "get-day.json");
  deprecated.request.query = {{"view", "overview"},
                              {"start", std::to_string(k_sep_01 + 86'400)},
                              {"end", std::to_string(k_sep_01 + 2 * 86'400 - 1)}};
  // A Berlin day (UTC+2) starts at 22:00 UTC the evening before; its midpoint names it.
  const std::int64_t berlin_sep_03 = k_sep_01 + 2 * 86'400 - 7'200;
  const model::Dataset dataset = parse_ok({
      list_exchange(),
      exchange("POST", "/analytics/resource/E", window(k_sep_01, k_sep_01 + 86'399), k_two_rows,
               "day1.json"),
      deprecated,
      exchange("POST", "/analytics/resource/E", window(berlin_sep_03, berlin_sep_03 + 86'400),
               k_two_rows, "day3.json"),
      // 25 hours: the day daylight saving time ends.
      exchange("POST", "/analytics/resource/E",
               window(k_sep_01 + 3 * 86'400, k_sep_01 + 4 * 86'400 + 3'599), k_two_rows,
               "day4.json"),
  });
  const model::Experiment& e = dataset.experiments.at(0);
  EXPECT_THAT(slice_names(e),
              ElementsAre("day/2026-09-01", "day/2026-09-02", "day/2026-09-03", "day/2026-09-04"));
  EXPECT_EQ(e.cells[1].origin, "get-day.json");
  EXPECT_EQ(e.runtime_days(), 4);
}

TEST(ParseIntelligems, AWindowsCarriedDayDatesItWhereverItWasCut) {
  // Auckland in summer (UTC+13): 2026-12-01 starts at 11:00 UTC the day before, and its
  // midpoint still falls on November 30 in UTC.
  const std::int64_t start = 1'796'036'400; // 2026-11-30T11:00:00Z
  std::vector<contract::ApiExchange> exchanges = {
      list_exchange(), exchange("POST", "/analytics/resource/E", window(start, start + 86'399),
                                k_two_rows, "nz.json")};
  // Stored before fetch kept the day: the UTC midpoint rule.
  EXPECT_THAT(slice_names(parse_ok(exchanges).experiments.at(0)), ElementsAre("day/2026-11-30"));
  exchanges[1].request.day = contract::DayWindow{"2026-12-01", "Pacific/Auckland"};
  EXPECT_THAT(slice_names(parse_ok(exchanges).experiments.at(0)), ElementsAre("day/2026-12-01"));

  exchanges[1].request.day = contract::DayWindow{"1 December", "Pacific/Auckland"};
  const auto malformed = parse_intelligems(exchanges);
  ASSERT_FALSE(malformed);
  EXPECT_ERROR(malformed, util::ErrorCode::bad_input, HasSubstr("\"1 December\""));
  EXPECT_EQ(malformed.error().where, "nz.json: request local_date");
}

TEST(ParseIntelligems, AudienceOnADayGivesSegmentsOnThatDate) {
  const std::string body =
      metrics({audience_row("C", "New", 50, 2), audience_row("V", "New", 50, 3)});
  const model::Dataset dataset = parse_ok(
      {list_exchange(), exchange("POST", "/analytics/resource/E",
                                 R"({"view":"audience","audience":"visitor_type","startTs":")" +
                                     std::to_string(k_sep_01) + R"(","endTs":")" +
                                     std::to_string(k_sep_01 + 86'399) + "\"}",
                                 body, "aud-day.json")});
  EXPECT_THAT(slice_names(dataset.experiments.at(0)), ElementsAre("visitor_type/New@2026-09-01"));
}

TEST(ParseIntelligems, SkipsWhatIsNotStatisticsOfAWholeSliceWithAReason) {
  contract::ApiExchange other_source = overview(k_two_rows, "platform.json");
  other_source.request.source = "platform";
  contract::ApiExchange failed = overview("{\"error\":\"Unauthorized\"}", "401.json");
  failed.status = 401;
  std::vector<std::string> notes;
  const model::Dataset dataset = parse_ok(
      {list_exchange(),
       exchange("POST", "/analytics/resource/E", window(k_sep_01, k_sep_01 + 7 * 86'400 - 1),
                "not even json", "week.json"),
       exchange("POST", "/analytics/resource/E", R"({"view":"overview","startTs":"1788220800"})",
                "x", "open.json"),
       exchange("POST", "/analytics/resource/E", R"({"view":"post_test"})", "x", "post.json"),
       exchange("POST", "/analytics/resource/E",
                R"({"view":"overview","filters":{"deviceType":"mobile","maxZScore":null}})", "x",
                "filtered.json"),
       exchange("POST", "/analytics/sitewide/snapshot", "{}", "{}", "sitewide.json"),
       exchange("POST", "/analytics/experience/E/timeseries", R"({"granularity":"week"})", "x",
                "weekly.json"),
       exchange("POST", "/analytics/experience/E/timeseries", R"({"granularity":"day"})", "x",
                "cumulative.json"),
       other_source, failed},
      &notes);
  EXPECT_TRUE(dataset.experiments.at(0).cells.empty());
  ASSERT_EQ(notes.size(), 7U);
  EXPECT_THAT(notes[0], HasSubstr("week.json: a window of 604800 seconds is not one day"));
  EXPECT_THAT(notes[1], HasSubstr("open.json"));
  EXPECT_THAT(notes[2], HasSubstr("post-test"));
  EXPECT_THAT(notes[3], HasSubstr("filtered"));
  EXPECT_THAT(notes[4], HasSubstr("sitewide"));
  EXPECT_THAT(notes[5], HasSubstr("by week"));
  EXPECT_THAT(notes[6], HasSubstr("a cumulative timeseries"));
}

TEST(ParseIntelligems, AnEmptyOrAnyFilterStillDescribesEveryone) {
  const model::Dataset dataset =
      parse_ok({list_exchange(),
                exchange("POST", "/analytics/resource/E",
                         R"({"view":"overview","filters":{"deviceType":"any","countryCodes":[],)"
                         R"("countryCodesFilterType":"include","maxZScore":null}})",
                         k_two_rows, "any.json")});
  EXPECT_THAT(slice_names(dataset.experiments.at(0)), ElementsAre("overall/All"));
}
TEST(ParseIntelligems, TimeseriesKeyedByNameGivesDaySlices) {
  const model::Dataset dataset =
      parse_ok({list_exchange(), exchange("POST", "/analytics/experience/E/timeseries",
                                          std::string(k_daily), k_timeseries, "ts.json")});
  const model::Experiment& e = dataset.experiments.at(0);
  EXPECT_THAT(slice_names(e), ElementsAre("day/2026-09-01", "day/2026-09-02"));
  const model::ArmCounts& control = e.cells[0].arms[0];
  const model::ArmCounts& variant = e.cells[0].arms[1];
  EXPECT_EQ(control.variation_id, "C");
  EXPECT_EQ(control.conversions, 3U);
  EXPECT_EQ(variant.variation_id, "V");
  EXPECT_EQ(variant.visitors, 100U);
  EXPECT_EQ(variant.conversions, 4U);
  EXPECT_DOUBLE_EQ(variant.revenue, 200.0);
  std::vector<std::string> names;
  for (const model::ReportedMetric& m : variant.reported) {
    names.push_back(m.name);
  }
  EXPECT_THAT(names,
              ElementsAre("conversion_rate", "net_revenue_per_visitor", "gross_profit_per_visitor",
                          "net_revenue_per_order", "n_visitors", "n_orders", "net_revenue"));
  EXPECT_EQ(metric(variant, "net_revenue_per_order").value, 50.0);
  EXPECT_FALSE(metric(variant, "net_revenue_per_order").uplift);
  EXPECT_TRUE(metric(variant, "gross_profit_per_visitor").whole_null);
  // A day without traffic: null counts read as zero.
  const model::ArmCounts& quiet = e.cells[1].arms[0];
  EXPECT_EQ(quiet.visitors, 0U);
  EXPECT_TRUE(metric(quiet, "conversion_rate").whole_null);
}

TEST(ParseIntelligems, ADayWindowWinsOverTheTimeseriesDay) {
  const model::Dataset dataset =
      parse_ok({list_exchange(),
                exchange("POST", "/analytics/resource/E",
                         window(k_sep_01 + 86'400, k_sep_01 + 172'799), k_two_rows, "day2.json"),
                exchange("POST", "/analytics/experience/E/timeseries", std::string(k_daily),
                         k_timeseries, "ts.json"),
                overview(k_two_rows)});
  const model::Experiment& e = dataset.experiments.at(0);
  EXPECT_THAT(slice_names(e), ElementsAre("overall/All", "day/2026-09-01", "day/2026-09-02"));
  EXPECT_EQ(e.cells[1].origin, "ts.json");
  EXPECT_EQ(e.cells[2].origin, "day2.json");
  EXPECT_EQ(e.cells[2].arms[0].visitors, 1000U);
}

TEST(ParseIntelligems, TimeseriesWithoutCountsIsSkipped) {
  const std::string rates = R"({"granularity":"day","mode":"noncumulative","segments":{
    "mag":{"data":[{"dt":"2026-09-01 00:00:00","conversion_rate":0.03}]},
    "mag alt price":{"data":[{"dt":"2026-09-01 00:00:00","conversion_rate":0.04}]}}})";
  std::vector<std::string> notes;
  const model::Dataset dataset =
      parse_ok({list_exchange(), exchange("POST", "/analytics/experience/E/timeseries",
                                          R"({"mode":"noncumulative"})", rates, "ts.json")},
               &notes);
  EXPECT_TRUE(dataset.experiments.at(0).cells.empty());
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_THAT(notes[0], HasSubstr("lack n_visitors"));
}

TEST(ParseIntelligems, OrdersSlicesOverallDimensionsThenDays) {
  const auto audience = [](const std::string& dimension, const std::string& label) {
    return exchange(
        "POST", "/analytics/resource/E", R"({"view":"audience","audience":")" + dimension + "\"}",
        metrics({audience_row("C", label, 5, 1), audience_row("V", label, 5, 1)}), dimension);
  };
  const model::Dataset dataset = parse_ok({
      list_exchange(),
      exchange("POST", "/analytics/resource/E", window(k_sep_01 + 86'400, k_sep_01 + 172'799),
               k_two_rows, "day2.json"),
      audience("landing_page_full_path", "/"),
      audience("zz_custom", "x"),
      audience("visitor_type", "New"),
      exchange("POST", "/analytics/resource/E", window(k_sep_01, k_sep_01 + 86'399), k_two_rows,
               "day1.json"),
      audience("device_type", "Mobile"),
      overview(k_two_rows),
  });
  EXPECT_THAT(slice_names(dataset.experiments.at(0)),
              ElementsAre("overall/All", "device_type/Mobile", "visitor_type/New",
                          "landing_page_full_path//", "zz_custom/x", "day/2026-09-01",
                          "day/2026-09-02"));
}

TEST(ParseIntelligems, TheNewestExchangeOfARequestWins) {
  const std::string older = metrics({row("C", 1, 0, 0), row("V", 1, 0, 0)});
  const std::string newer = metrics({row("C", 2, 0, 0), row("V", 2, 0, 0)});
  const model::Dataset by_time =
      parse_ok({list_exchange(), overview(newer, "new", 2'000), overview(older, "old", 1'000)});
  EXPECT_EQ(by_time.experiments.at(0).cells.at(0).origin, "new");
  const model::Dataset by_place =
      parse_ok({list_exchange(), overview(older, "first", 5), overview(newer, "second", 5)});
  EXPECT_EQ(by_place.experiments.at(0).cells.at(0).origin, "second");
  // The older response is never parsed, so its flaws do not matter.
  const model::Dataset flawed =
      parse_ok({list_exchange(), overview("{broken", "old", 1), overview(newer, "new", 2)});
  EXPECT_EQ(flawed.experiments.at(0).cells.at(0).arms.at(0).visitors, 2U);
}

TEST(ParseIntelligems, ExperiencesFollowListOrderAcrossPages) {
  const auto page = [](int number, const std::string& ids) {
    std::string items;
    for (const char id : ids) {
      items += std::string(items.empty() ? "" : ",") + R"({"id":")" + id +
               R"(","variations":[{"id":"c","isControl":true},{"id":"v"}]})";
    }
    contract::ApiExchange result = exchange("GET", "/experiences-list", "",
                                            R"({"experiencesList":[)" + items + R"(],"page":)" +
                                                std::to_string(number) + R"(,"limit":2})",
                                            "page" + std::to_string(number));
    result.request.query = {{"page", std::to_string(number)}, {"limit", "2"}};
    return result;
  };
  const model::Dataset dataset = parse_ok({page(3, "E"), page(1, "AB"), page(2, "CA")});
  std::vector<std::string> ids;
  for (const model::Experiment& e : dataset.experiments) {
    ids.push_back(e.id);
  }
  EXPECT_THAT(ids, ElementsAre("A", "B", "C", "E"));
}

TEST(ParseIntelligems, AnUnlistedExperienceTakesTheResponsesVariations) {
  const model::Dataset dataset = parse_ok(
      {exchange("POST", "/analytics/resource/E", R"({"view":"overview"})", k_capture, "o")});
  ASSERT_EQ(dataset.experiments.size(), 1U);
  const model::Experiment& e = dataset.experiments[0];
  EXPECT_EQ(e.name, "Mag price");
  EXPECT_EQ(e.status, "");
  EXPECT_EQ(e.variations.at(0).id, "C");
  EXPECT_EQ(e.cells.at(0).arms.at(1).visitors, 6425U);
}

} // namespace
} // namespace reckon::parse
