#include "reckon/analysis/temporal.hpp"
#include "reckon/parse/counts_csv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

namespace reckon::analysis {
namespace {

// Daily counts of a two-arm test, one CSV row per arm and day from 2026-09-07, a Monday.
struct DayCounts {
  int control_visitors;
  int control_orders;
  int variant_visitors;
  int variant_orders;
};

std::string day_text(int day) {
  const int date = 7 + day;
  return "2026-09-" + std::string(date < 10 ? "0" : "") + std::to_string(date);
}

std::string counts_csv(int days, const std::function<DayCounts(int)>& counts,
                       const std::string& extra_rows = {}) {
  std::string csv = "experiment,variation,is_control,segment_type,segment,date,visitors,"
                    "conversions,revenue,revenue_sq\n";
  for (int day = 0; day < days; ++day) {
    const DayCounts c = counts(day);
    const auto row = [&](const char* arm, const char* control, int visitors, int orders) {
      csv += std::string("t,") + arm + "," + control + ",,," + day_text(day) + "," +
             std::to_string(visitors) + "," + std::to_string(orders) + "," +
             std::to_string(50 * orders) + "," + std::to_string(2600 * orders) + "\n";
    };
    row("control", "true", c.control_visitors, c.control_orders);
    row("variant", "false", c.variant_visitors, c.variant_orders);
  }
  return csv + extra_rows;
}

TemporalResults analyze_text(const std::string& csv, const std::string& metric) {
  auto dataset = parse::parse_counts_csv(csv, "t.csv");
  EXPECT_TRUE(dataset) << (dataset ? "" : dataset.error().describe());
  AnalysisOptions options;
  options.sampling.draws = 20'000;
  options.sampling.seed = 3;
  if (!metric.empty()) {
    options.metrics = {metric};
  }
  return analyze_temporal(*dataset, options);
}

const VariationTimeline& timeline(const ExperimentTimeline& experiment, const std::string& metric) {
  for (const VariationTimeline& t : experiment.timelines) {
    if (t.metric == metric) {
      return t;
    }
  }
  ADD_FAILURE() << "no timeline for " << metric;
  return experiment.timelines.front();
}

// Two weeks: the variant doubles orders at weekends, equals the control on weekdays except a
// bad Wednesday (10 orders against 30).
DayCounts weekend_effect(int day) {
  const bool weekend = day % 7 >= 5;
  const int variant = weekend ? 60 : (day == 2 ? 10 : 30);
  return {1000, 30, 1000, variant};
}

TEST(Temporal, PoolsWeekdaysAndWeekendsAndComparesThem) {
  const TemporalResults results = analyze_text(counts_csv(14, weekend_effect), "conversion_rate");
  ASSERT_EQ(results.experiments.size(), 1U);
  const ExperimentTimeline& experiment = results.experiments.front();
  ASSERT_EQ(experiment.days.size(), 14U);
  EXPECT_EQ(experiment.days[0].weekday, "Monday");
  EXPECT_EQ(experiment.days[5].weekday, "Saturday");
  EXPECT_TRUE(experiment.days[6].weekend);
  EXPECT_FALSE(experiment.days[7].weekend);
  EXPECT_EQ(experiment.days[0].source, "counts CSV");
  EXPECT_EQ(experiment.metric, "conversion_rate");

  const VariationTimeline& rate = timeline(experiment, "conversion_rate");
  // Weekdays: 280 orders against 300 in 10,000 visitors each; weekends: 240 against 120.
  EXPECT_EQ(rate.day_type.weekday.n_visitors, 10'000U);
  EXPECT_EQ(rate.day_type.weekday.n_orders, 280U);
  EXPECT_DOUBLE_EQ(*rate.day_type.weekday.uplift->value, 280.0 / 300.0 - 1.0);
  EXPECT_DOUBLE_EQ(*rate.day_type.weekend.uplift->value, 1.0);
  ASSERT_TRUE(rate.day_type.difference) << rate.day_type.difference_reason;
  EXPECT_GT(rate.day_type.difference->prob_second_better.value, 0.999);
  EXPECT_GT(rate.day_type.difference->interval.low, 0.5);
  EXPECT_GT(rate.day_type.difference->prob_second_better.standard_error, 0.0);
  EXPECT_EQ(rate.day_type.call, "weekend only");

  ASSERT_EQ(rate.underperforming_days.size(), 1U);
  EXPECT_EQ(rate.underperforming_days.front(), "2026-09-09");
  ASSERT_EQ(rate.day_of_week.size(), 7U);
  EXPECT_EQ(rate.day_of_week[2].slice.segment, "Wednesday");
  EXPECT_EQ(rate.day_of_week[2].n_orders, 40U);

  // Cumulative slices are prefix sums: the first equals its day, the last holds every visitor.
  ASSERT_EQ(rate.cumulative.size(), 14U);
  EXPECT_DOUBLE_EQ(*rate.cumulative.front().value, *rate.days.front().value);
  EXPECT_EQ(rate.cumulative.back().n_visitors, 14'000U);
  EXPECT_EQ(rate.cumulative.back().n_orders, 520U);
  EXPECT_EQ(experiment.leaders.size(), 14U);
  EXPECT_EQ(experiment.leaders.back().variation_id, "variant");
}

TEST(Temporal, TheSameSeedGivesTheSameNumbers) {
  const std::string csv = counts_csv(14, weekend_effect);
  const TemporalResults a = analyze_text(csv, "");
  const TemporalResults b = analyze_text(csv, "");
  const auto& x = a.experiments.front().timelines.front().day_type.difference;
  const auto& y = b.experiments.front().timelines.front().day_type.difference;
  ASSERT_TRUE(x && y);
  EXPECT_EQ(x->prob_second_better.value, y->prob_second_better.value);
  EXPECT_EQ(x->interval.low, y->interval.low);
  // Without --metric and without costs the view follows revenue per visitor.
  EXPECT_EQ(a.experiments.front().metric, "net_revenue_per_visitor");
}

TEST(Temporal, AFadingEffectIsNamedAndAFlatOneIsSteady) {
  // The variant's +50 % on day one falls by five points a day to nothing.
  const auto fading = [](int day) { return DayCounts{10'000, 1000, 10'000, 1500 - 50 * day}; };
  // The results are kept: timeline() returns a reference into them.
  const TemporalResults fading_results = analyze_text(counts_csv(11, fading), "conversion_rate");
  const VariationTimeline& fades = timeline(fading_results.experiments.front(), "conversion_rate");
  ASSERT_TRUE(fades.trend.fit) << fades.trend.reason;
  EXPECT_EQ(fades.trend.label, "fading");
  EXPECT_LT(fades.trend.fit->slope, 0.0);
  EXPECT_LT(fades.trend.fit->p_value, 1e-6);
  EXPECT_LT(fades.trend.fit->q_p_value, 1e-6);

  const auto flat = [](int) { return DayCounts{10'000, 1000, 10'000, 1100}; };
  const TemporalResults flat_results = analyze_text(counts_csv(11, flat), "conversion_rate");
  const VariationTimeline& steady = timeline(flat_results.experiments.front(), "conversion_rate");
  ASSERT_TRUE(steady.trend.fit);
  EXPECT_EQ(steady.trend.label, "steady");
  EXPECT_NEAR(steady.trend.fit->slope, 0.0, 1e-12);
  EXPECT_NEAR(steady.trend.fit->q, 0.0, 1e-12);
  EXPECT_EQ(steady.day_type.call, "same on both");
}

TEST(Temporal, CorrelatesEachTrafficSourcesDailyShareWithTheDailyUplift) {
  // Paid traffic's share rises with the variant's uplift day by day; organic's falls.
  const auto rising = [](int day) { return DayCounts{10'000, 1000, 10'000, 1000 + 20 * day}; };
  std::string rows;
  for (int day = 0; day < 10; ++day) {
    for (const auto& [label, visitors] :
         {std::pair<std::string, int>{"Paid", 2000 + 300 * day}, {"Organic", 8000 - 300 * day}}) {
      for (const char* arm : {"control", "variant"}) {
        rows += std::string("t,") + arm + "," + (arm[0] == 'c' ? "true" : "false") +
                ",source_channel," + label + "," + day_text(day) + "," +
                std::to_string(visitors / 2) + ",10,500,26000\n";
      }
    }
  }
  const TemporalResults results = analyze_text(counts_csv(10, rising, rows), "conversion_rate");
  const VariationTimeline& rate = timeline(results.experiments.front(), "conversion_rate");
  ASSERT_EQ(rate.sources.size(), 2U);
  for (const SourceCorrelation& source : rate.sources) {
    EXPECT_EQ(source.dimension, "source_channel");
    ASSERT_TRUE(source.spearman) << source.reason;
    EXPECT_EQ(source.spearman->n, 10U);
    EXPECT_NEAR(source.spearman->rho, source.label == "Paid" ? 1.0 : -1.0, 1e-12);
  }
}

TEST(Temporal, AnExperimentWithoutDaysIsSkippedWithTheReason) {
  const std::string csv = "experiment,variation,is_control,segment_type,segment,date,visitors,"
                          "conversions,revenue\nt,a,true,,,,100,5,200\nt,b,false,,,,100,6,230\n";
  const TemporalResults results = analyze_text(csv, "");
  EXPECT_TRUE(results.experiments.empty());
  ASSERT_EQ(results.skipped.size(), 1U);
  EXPECT_EQ(results.skipped.front().id, "t");
  EXPECT_EQ(results.skipped.front().reason,
            "no day slices (fetch with --days, or day rows in the CSV)");
}

TEST(Temporal, NamesWhereEachDayCameFrom) {
  // A store's experiment: one day from a day window, one from the daily timeseries.
  model::Experiment experiment;
  experiment.id = "e";
  experiment.name = "E";
  experiment.source = "intelligems";
  experiment.variations = {{"a", "A", true, 50.0}, {"b", "B", false, 50.0}};
  const auto day = [](const std::string& date, const std::string& origin) {
    model::CountsCell cell{{"day", date, {}}, {}, origin};
    cell.arms.push_back({"a", 1000, 30, 1500.0, 90000.0, {}, {}, {}, {}});
    cell.arms.push_back({"b", 1000, 33, 1650.0, 99000.0, {}, {}, {}, {}});
    return cell;
  };
  experiment.cells = {
      day("2026-09-05", "s.db: POST /v25-10-beta/analytics/resource/e"),
      day("2026-09-06", "s.db: POST /v25-10-beta/analytics/experience/e/timeseries")};
  AnalysisOptions options;
  options.sampling.draws = 5'000;
  const TemporalResults results = analyze_temporal(model::Dataset{{experiment}}, options);
  ASSERT_EQ(results.experiments.size(), 1U);
  const std::vector<TemporalDay>& days = results.experiments.front().days;
  ASSERT_EQ(days.size(), 2U);
  EXPECT_EQ(days[0].source, "day window");
  EXPECT_EQ(days[1].source, "timeseries");
  EXPECT_EQ(days[1].weekday, "Sunday");
  // Without an overall slice the primary metric is revenue per visitor, and says why.
  EXPECT_EQ(results.experiments.front().metric, "net_revenue_per_visitor");
  EXPECT_EQ(results.experiments.front().metric_reason,
            "no overall slice to choose a primary metric by");
}

TEST(TemporalPooling, SumsCountsAndKeepsOnlyWhatEveryDayHas) {
  model::CountsCell a{{"day", "2026-09-01", {}}, {}, "x"};
  model::CountsCell b{{"day", "2026-09-02", {}}, {}, "x"};
  a.arms.push_back({"c", 10, 2, 30.0, 500.0, 4.0, 1.0, {{"total_units", 3.0}, {"n_x", 1.0}}, {}});
  b.arms.push_back({"c", 20, 3, 40.0, std::nullopt, 5.0, 2.0, {{"total_units", 4.0}}, {}});
  b.arms.front().reported.push_back({"conversion_rate", false, 0.15, {}, {}, {}, {}, {}, {}});
  const model::CountsCell pooled =
      temporal_detail::pool_cells({&a, &b}, {"day_type", "weekday", {}});
  ASSERT_EQ(pooled.arms.size(), 1U);
  const model::ArmCounts& arm = pooled.arms.front();
  EXPECT_EQ(pooled.slice.segment, "weekday");
  EXPECT_EQ(arm.visitors, 30U);
  EXPECT_EQ(arm.conversions, 5U);
  EXPECT_DOUBLE_EQ(arm.revenue, 70.0);
  EXPECT_FALSE(arm.revenue_sq);
  EXPECT_DOUBLE_EQ(*arm.profit, 9.0);
  EXPECT_DOUBLE_EQ(*arm.profit_sq, 3.0);
  EXPECT_EQ(arm.totals.size(), 1U);
  EXPECT_DOUBLE_EQ(arm.totals.at("total_units"), 7.0);
  EXPECT_TRUE(arm.reported.empty());
}

} // namespace
} // namespace reckon::analysis
