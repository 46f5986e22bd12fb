#include "chart_specs.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>
#include <string>
#include <vector>

namespace reckon::report::charts {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

const std::vector<model::Variation> k_variations = {{"c-id", "Control", true, 0.5},
                                                    {"v-id", "Free shipping", false, 0.5}};

// The spec parsed, with the checks every spec must pass: schema, title, width.
element parsed(simdjson::dom::parser& parser, const std::string& spec) {
  element root;
  EXPECT_EQ(parser.parse(spec).get(root), simdjson::SUCCESS) << spec;
  std::string_view schema;
  EXPECT_EQ(root["$schema"].get(schema), simdjson::SUCCESS);
  EXPECT_EQ(schema, "https://vega.github.io/schema/vega-lite/v5.json");
  std::string_view title;
  EXPECT_EQ(root["title"]["text"].get(title), simdjson::SUCCESS);
  EXPECT_FALSE(title.empty());
  return root;
}

std::vector<std::string> strings_of(array rows, std::string_view field) {
  std::vector<std::string> values;
  for (element row : rows) {
    std::string_view text;
    EXPECT_EQ(row[field].get(text), simdjson::SUCCESS);
    values.emplace_back(text);
  }
  return values;
}

std::vector<std::string> marks_of(array layers) {
  std::vector<std::string> marks;
  for (element layer : layers) {
    std::string_view mark;
    if (layer["mark"].get(mark) != simdjson::SUCCESS) {
      EXPECT_EQ(layer["mark"]["type"].get(mark), simdjson::SUCCESS);
    }
    marks.emplace_back(mark);
  }
  return marks;
}

analysis::SegmentRow segment_row(std::string segment, std::string metric,
                                 analysis::SegmentVerdict raw, double uplift) {
  analysis::SegmentRow row;
  row.dimension = "device_type";
  row.segment = std::move(segment);
  row.variation_id = "v-id";
  row.metric = std::move(metric);
  row.control_visitors = 1000;
  row.variant_visitors = 1010;
  row.raw = {{0.97, uplift, uplift - 0.04, uplift + 0.05}, raw, ""};
  row.pooled = {{0.9, uplift / 2, uplift / 2 - 0.03, uplift / 2 + 0.04},
                analysis::SegmentVerdict::inconclusive,
                ""};
  return row;
}

analysis::ExperimentSegments forest_input() {
  analysis::ExperimentSegments segments;
  segments.id = "exp-id";
  segments.name = "Shipping test";
  segments.variations = k_variations;
  segments.metrics = {"conversion_rate", "net_revenue_per_visitor"};
  analysis::CellResult overall;
  overall.metric = "conversion_rate";
  overall.variation_id = "v-id";
  overall.uplift = analysis::UpliftEstimate{0.05, 0.01, 0.09};
  segments.overall.push_back(overall);
  segments.rows.push_back(
      segment_row("Mobile", "conversion_rate", analysis::SegmentVerdict::winner, 0.12));
  segments.rows.push_back(
      segment_row("Desktop", "conversion_rate", analysis::SegmentVerdict::flat, 0.0));
  // Another metric's row: not the primary one, not drawn.
  segments.rows.push_back(
      segment_row("Tablet", "net_revenue_per_visitor", analysis::SegmentVerdict::loser, -0.2));
  return segments;
}

// The data rows of every panel of a forest, in order.
std::vector<element> forest_rows(element root) {
  std::vector<element> rows;
  array panels;
  EXPECT_EQ(root["vconcat"].get(panels), simdjson::SUCCESS);
  for (element panel : panels) {
    array values;
    EXPECT_EQ(panel["data"]["values"].get(values), simdjson::SUCCESS);
    for (element row : values) {
      rows.push_back(row);
    }
  }
  return rows;
}

std::vector<std::string> strings_of(const std::vector<element>& rows, std::string_view field) {
  std::vector<std::string> values;
  for (element row : rows) {
    std::string_view text;
    EXPECT_EQ(row[field].get(text), simdjson::SUCCESS);
    values.emplace_back(text);
  }
  return values;
}

TEST(ChartSpecs, ForestHasARawAndAShrunkenRowPerSegmentAndVariationWithWinnersMarked) {
  simdjson::dom::parser parser;
  const std::string spec = segment_forest(forest_input());
  const element root = parsed(parser, spec);
  const std::vector<element> rows = forest_rows(root);
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(strings_of(rows, "segment"),
            (std::vector<std::string>{"Mobile", "Mobile", "Desktop", "Desktop"}));
  EXPECT_EQ(strings_of(rows, "panel"), std::vector<std::string>(4, "device type"));
  EXPECT_EQ(strings_of(rows, "estimate"),
            (std::vector<std::string>{"raw", "shrunken (partially pooled)", "raw",
                                      "shrunken (partially pooled)"}));
  EXPECT_EQ(strings_of(rows, "verdict"),
            (std::vector<std::string>{"WINNER", "INCONCLUSIVE", "FLAT", "INCONCLUSIVE"}));
  for (const std::string& name : strings_of(rows, "variation")) {
    EXPECT_EQ(name, "Free shipping");
  }
  EXPECT_EQ(spec.find("v-id"), std::string::npos);
  double value = 0.0;
  ASSERT_EQ(rows[0]["uplift"].get(value), simdjson::SUCCESS);
  EXPECT_DOUBLE_EQ(value, 0.12);
  ASSERT_EQ(rows[1]["high"].get(value), simdjson::SUCCESS);
  EXPECT_DOUBLE_EQ(value, 0.06 + 0.04);
  ASSERT_EQ(rows[3]["overall"].get(value), simdjson::SUCCESS);
  EXPECT_DOUBLE_EQ(value, 0.05);

  // One panel per dimension, each with its own rows and so its own segments on y (in the
  // order written), the uplift axis shared.
  array panels;
  ASSERT_EQ(root["vconcat"].get(panels), simdjson::SUCCESS);
  ASSERT_EQ(panels.size(), 1U);
  std::string_view panel_title;
  ASSERT_EQ(panels.at(0)["title"]["text"].get(panel_title), simdjson::SUCCESS);
  EXPECT_EQ(panel_title, "device type");
  std::string_view y_scale;
  ASSERT_EQ(root["resolve"]["scale"]["y"].get(y_scale), simdjson::SUCCESS);
  EXPECT_EQ(y_scale, "independent");
  array layers;
  ASSERT_EQ(panels.at(0)["layer"].get(layers), simdjson::SUCCESS);
  EXPECT_EQ(marks_of(layers), (std::vector<std::string>{"rule", "point", "rule", "rule"}));
  EXPECT_TRUE(layers.at(0)["encoding"]["y"]["sort"].is_null());
  std::string_view shape_field;
  ASSERT_EQ(layers.at(1)["encoding"]["shape"]["field"].get(shape_field), simdjson::SUCCESS);
  EXPECT_EQ(shape_field, "verdict");
  std::int64_t zero = 1;
  ASSERT_EQ(layers.at(2)["encoding"]["x"]["datum"].get(zero), simdjson::SUCCESS);
  EXPECT_EQ(zero, 0);
}

// Each panel is one dimension of one variation, segments ranked by raw uplift (highest
// first), LOW DATA left out and counted in the subtitle.
TEST(ChartSpecs, ForestPanelsAreDimensionsRankedByRawUpliftWithoutLowData) {
  analysis::ExperimentSegments segments = forest_input();
  segments.variations.push_back({"w-id", "Bundle", false, 0.0});
  analysis::SegmentRow low =
      segment_row("Tablet", "conversion_rate", analysis::SegmentVerdict::low_data, 0.9);
  segments.rows.push_back(low);
  analysis::SegmentRow returning =
      segment_row("Returning", "conversion_rate", analysis::SegmentVerdict::winner, 0.3);
  returning.dimension = "visitor_type";
  segments.rows.insert(segments.rows.begin(), returning);
  analysis::SegmentRow other =
      segment_row("Desktop", "conversion_rate", analysis::SegmentVerdict::loser, -0.3);
  other.variation_id = "w-id";
  segments.rows.push_back(other);

  simdjson::dom::parser parser;
  const element root = parsed(parser, segment_forest(segments));
  const std::vector<element> rows = forest_rows(root);
  std::vector<std::string> raw_rows;
  std::vector<std::int64_t> ranks;
  std::vector<std::int64_t> panels;
  for (element row : rows) {
    std::string_view estimate;
    ASSERT_EQ(row["estimate"].get(estimate), simdjson::SUCCESS);
    if (estimate != "raw") {
      continue;
    }
    std::string_view panel;
    std::string_view segment;
    std::int64_t rank = -1;
    std::int64_t order = -1;
    ASSERT_EQ(row["panel"].get(panel), simdjson::SUCCESS);
    ASSERT_EQ(row["segment"].get(segment), simdjson::SUCCESS);
    ASSERT_EQ(row["rank"].get(rank), simdjson::SUCCESS);
    ASSERT_EQ(row["panel_order"].get(order), simdjson::SUCCESS);
    raw_rows.push_back(std::string(panel) + " / " + std::string(segment));
    ranks.push_back(rank);
    panels.push_back(order);
  }
  EXPECT_EQ(raw_rows, (std::vector<std::string>{"Free shipping · visitor type / Returning",
                                                "Free shipping · device type / Mobile",
                                                "Free shipping · device type / Desktop",
                                                "Bundle · device type / Desktop"}));
  EXPECT_EQ(ranks, (std::vector<std::int64_t>{0, 0, 1, 0}));
  EXPECT_EQ(panels, (std::vector<std::int64_t>{0, 1, 1, 2}));
  std::string_view subtitle;
  ASSERT_EQ(root["title"]["subtitle"].get(subtitle), simdjson::SUCCESS);
  EXPECT_NE(subtitle.find("1 LOW DATA segment left out"), std::string_view::npos) << subtitle;
}

TEST(ChartSpecs, ForestIsEmptyWithoutRowsOnThePrimaryMetric) {
  analysis::ExperimentSegments segments = forest_input();
  segments.metrics = {"aov"};
  EXPECT_EQ(segment_forest(segments), "");
  segments.metrics.clear();
  EXPECT_EQ(segment_forest(segments), "");
}

analysis::ExperimentTimeline timeline_input() {
  analysis::ExperimentTimeline timeline;
  timeline.id = "exp-id";
  timeline.name = "Shipping test";
  timeline.variations = k_variations;
  timeline.metric = "conversion_rate";
  // Friday 2026-09-04 to Monday 2026-09-07.
  const char* const dates[][2] = {{"2026-09-04", "Friday"},
                                  {"2026-09-05", "Saturday"},
                                  {"2026-09-06", "Sunday"},
                                  {"2026-09-07", "Monday"}};
  analysis::VariationTimeline primary;
  primary.variation_id = "v-id";
  primary.metric = "conversion_rate";
  for (std::size_t d = 0; d < 4; ++d) {
    const std::string weekday = dates[d][1];
    timeline.days.push_back(
        {dates[d][0], weekday, weekday == "Saturday" || weekday == "Sunday", "day window"});
    analysis::CellResult day;
    day.variation_id = "v-id";
    day.uplift = analysis::UpliftEstimate{0.01 * static_cast<double>(d), -0.1, 0.2};
    day.prob_beat_control = 0.6;
    primary.days.push_back(day);
    analysis::CellResult so_far;
    so_far.prob_beat_control = 0.5 + 0.1 * static_cast<double>(d);
    primary.cumulative.push_back(so_far);
  }
  // The second day has no uplift (no cell): no row.
  primary.days[1].uplift.reset();
  analysis::VariationTimeline other = primary;
  other.metric = "net_revenue_per_visitor";
  timeline.timelines = {primary, other};
  return timeline;
}

TEST(ChartSpecs, DailyUpliftShadesExactlyTheWeekendDays) {
  simdjson::dom::parser parser;
  const std::string spec = daily_uplift(timeline_input());
  const element root = parsed(parser, spec);
  array rows;
  ASSERT_EQ(root["data"]["values"].get(rows), simdjson::SUCCESS);
  EXPECT_EQ(strings_of(rows, "date"),
            (std::vector<std::string>{"2026-09-04", "2026-09-06", "2026-09-07"}));
  for (const std::string& name : strings_of(rows, "variation")) {
    EXPECT_EQ(name, "Free shipping");
  }
  EXPECT_EQ(spec.find("v-id"), std::string::npos);
  array layers;
  ASSERT_EQ(root["layer"].get(layers), simdjson::SUCCESS);
  EXPECT_EQ(marks_of(layers), (std::vector<std::string>{"rect", "area", "line", "rule"}));
  array weekend;
  ASSERT_EQ(layers.at(0)["data"]["values"].get(weekend), simdjson::SUCCESS);
  EXPECT_EQ(strings_of(weekend, "date"), (std::vector<std::string>{"2026-09-05", "2026-09-06"}));
  EXPECT_EQ(strings_of(weekend, "start"),
            (std::vector<std::string>{"2026-09-04T12:00:00Z", "2026-09-05T12:00:00Z"}));
  EXPECT_EQ(strings_of(weekend, "end"),
            (std::vector<std::string>{"2026-09-05T12:00:00Z", "2026-09-06T12:00:00Z"}));
}

TEST(ChartSpecs, CumulativeChanceDrawsEachDayAndBothThresholds) {
  simdjson::dom::parser parser;
  const std::string spec = cumulative_chance(timeline_input(), 0.8);
  const element root = parsed(parser, spec);
  array layers;
  ASSERT_EQ(root["layer"].get(layers), simdjson::SUCCESS);
  EXPECT_EQ(marks_of(layers), (std::vector<std::string>{"line", "rule", "rule"}));
  array rows;
  ASSERT_EQ(layers.at(0)["data"]["values"].get(rows), simdjson::SUCCESS);
  ASSERT_EQ(rows.size(), 4U);
  double p2bc = 0.0;
  ASSERT_EQ(rows.at(3)["p2bc"].get(p2bc), simdjson::SUCCESS);
  EXPECT_DOUBLE_EQ(p2bc, 0.5 + 0.3);
  double winner = 0.0;
  double loser = 0.0;
  ASSERT_EQ(layers.at(1)["data"]["values"].at(0)["y"].get(winner), simdjson::SUCCESS);
  ASSERT_EQ(layers.at(2)["data"]["values"].at(0)["y"].get(loser), simdjson::SUCCESS);
  EXPECT_DOUBLE_EQ(winner, 0.8);
  EXPECT_DOUBLE_EQ(loser, 1.0 - 0.8);
  EXPECT_EQ(strings_of(rows, "variation"), std::vector<std::string>(4, "Free shipping"));
}

TEST(ChartSpecs, TimelineChartsAreEmptyWithoutDaysOrTheirMetric) {
  analysis::ExperimentTimeline timeline = timeline_input();
  timeline.metric = "aov";
  EXPECT_EQ(daily_uplift(timeline), "");
  EXPECT_EQ(cumulative_chance(timeline, 0.8), "");
  timeline = timeline_input();
  timeline.days.clear();
  EXPECT_EQ(daily_uplift(timeline), "");
  EXPECT_EQ(cumulative_chance(timeline, 0.8), "");
}

model::CountsCell day_cell(std::string date, std::uint64_t control, std::uint64_t variant) {
  model::CountsCell cell;
  cell.slice = {"day", std::move(date), {}};
  cell.arms = {{"c-id", control, 1, 10.0, {}, {}, {}, {}, {}},
               {"v-id", variant, 1, 10.0, {}, {}, {}, {}, {}}};
  return cell;
}

TEST(ChartSpecs, StoreContextCoversTheTestsDaysAndItsShareOfVisitors) {
  model::SitewideSeries store;
  store.currency = "USD";
  store.days = {{"2026-09-03", 900, 9, 900.0},
                {"2026-09-04", 1000, 10, 2000.0},
                {"2026-09-05", 3000, 30, 3000.0},
                {"2026-09-06", 800, 8, 800.0}};
  model::Experiment experiment;
  experiment.variations = k_variations;
  experiment.cells = {day_cell("2026-09-04", 100, 150), day_cell("2026-09-05", 200, 250)};
  experiment.cells.push_back(day_cell("2026-09-05", 7, 7));
  experiment.cells.back().slice = {"device_type", "Mobile", "2026-09-05"}; // not a whole day
  const auto context = store_context_numbers(store, experiment);
  ASSERT_TRUE(context);
  EXPECT_EQ(context->first_day, "2026-09-04");
  EXPECT_EQ(context->last_day, "2026-09-05");
  EXPECT_EQ(context->store_visitors, 4000U);
  EXPECT_EQ(context->store_orders, 40U);
  EXPECT_DOUBLE_EQ(context->store_revenue, 5000.0);
  EXPECT_DOUBLE_EQ(*context->revenue_per_visitor, 5000.0 / 4000.0);
  EXPECT_EQ(context->test_visitors, 700U);
  EXPECT_DOUBLE_EQ(*context->test_share, 700.0 / 4000.0);
  ASSERT_EQ(context->days.size(), 2U);
  EXPECT_DOUBLE_EQ(*context->days[0].test_share, 250.0 / 1000.0);
  EXPECT_DOUBLE_EQ(*context->days[0].revenue_per_visitor, 2.0);

  simdjson::dom::parser parser;
  const element root = parsed(parser, store_context(*context, "Shipping test"));
  array rows;
  ASSERT_EQ(root["data"]["values"].get(rows), simdjson::SUCCESS);
  EXPECT_EQ(strings_of(rows, "date"), (std::vector<std::string>{"2026-09-04", "2026-09-05"}));
  array panels;
  ASSERT_EQ(root["vconcat"].get(panels), simdjson::SUCCESS);
  EXPECT_EQ(marks_of(panels), std::vector<std::string>(3, "line"));
}

TEST(ChartSpecs, StoreContextIsEmptyWithoutSharedDays) {
  model::SitewideSeries store;
  store.days = {{"2026-08-01", 900, 9, 900.0}};
  model::Experiment experiment;
  experiment.cells = {day_cell("2026-09-04", 100, 150)};
  EXPECT_FALSE(store_context_numbers(store, experiment));
  experiment.cells.clear();
  EXPECT_FALSE(store_context_numbers(store, experiment));
  EXPECT_EQ(store_context(StoreContext{}, "Shipping test"), "");
}

} // namespace
} // namespace reckon::report::charts
