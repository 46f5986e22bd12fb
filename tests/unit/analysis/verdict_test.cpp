#include "reckon/analysis/verdict.hpp"

#include <gtest/gtest.h>

namespace reckon::analysis {
namespace {

Evidence evidence(double p2bc, double uplift, double low, double high) {
  return Evidence{p2bc, uplift, low, high};
}

TEST(VerdictRule, WinnerNeedsTheThresholdAndAnUpliftStrictlyBeyondTheBand) {
  const VerdictRule rule;
  EXPECT_EQ(direction_of(evidence(0.80, 0.021, -0.01, 0.05), rule), Direction::better);
  EXPECT_EQ(direction_of(evidence(0.7999, 0.021, -0.01, 0.05), rule), Direction::unclear);
  EXPECT_EQ(direction_of(evidence(0.95, 0.02, -0.01, 0.05), rule), Direction::unclear);
}

TEST(VerdictRule, LoserMirrorsTheWinner) {
  const VerdictRule rule;
  EXPECT_EQ(direction_of(evidence(0.20, -0.021, -0.05, 0.01), rule), Direction::worse);
  EXPECT_EQ(direction_of(evidence(0.2001, -0.021, -0.05, 0.01), rule), Direction::unclear);
  EXPECT_EQ(direction_of(evidence(0.05, -0.02, -0.05, 0.01), rule), Direction::unclear);
}

TEST(VerdictRule, FlatWhenTheWholeIntervalSitsInsideTheBand) {
  const VerdictRule rule;
  EXPECT_EQ(direction_of(evidence(0.6, 0.004, -0.02, 0.02), rule), Direction::flat);
  EXPECT_EQ(direction_of(evidence(0.6, 0.004, -0.0201, 0.019), rule), Direction::unclear);
  VerdictRule wide = rule;
  wide.neutral_band = 0.05;
  EXPECT_EQ(direction_of(evidence(0.6, 0.004, -0.0201, 0.019), wide), Direction::flat);
}

TEST(VerdictRule, MissingNumbersAreUnclear) {
  EXPECT_EQ(direction_of(Evidence{}, VerdictRule{}), Direction::unclear);
  EXPECT_EQ(direction_of(Evidence{0.99, std::nullopt, 0.1, 0.3}, VerdictRule{}),
            Direction::unclear);
}

TEST(VerdictRule, LowerIsBetterMetricsTurnTheUpliftSoThatUpIsGood) {
  CellResult abandonment;
  abandonment.metric = "abandoned_cart_rate";
  abandonment.prob_beat_control = 0.97; // already "lower is better"
  abandonment.uplift = UpliftEstimate{-0.10, -0.18, -0.03};
  const Evidence turned = evidence_of(abandonment);
  EXPECT_EQ(turned.uplift, 0.10);
  EXPECT_EQ(turned.uplift_low, 0.03);
  EXPECT_EQ(turned.uplift_high, 0.18);
  EXPECT_EQ(direction_of(turned, VerdictRule{}), Direction::better);

  CellResult conversion = abandonment;
  conversion.metric = "conversion_rate";
  EXPECT_EQ(evidence_of(conversion).uplift, -0.10);
}

TEST(VerdictRule, LabelsReadAsTheVendorWritesThem) {
  EXPECT_EQ(verdict_label(Verdict::winner), "WINNER");
  EXPECT_EQ(verdict_label(Verdict::loser), "LOSER");
  EXPECT_EQ(verdict_label(Verdict::flat), "FLAT");
  EXPECT_EQ(verdict_label(Verdict::keep_running), "KEEP RUNNING");
  EXPECT_EQ(verdict_label(Verdict::too_early), "TOO EARLY");
}

// A two-arm test whose overall cells of `metric` carry the given variant statistics.
struct TestCase {
  model::Experiment experiment;
  ExperimentResult result;

  TestCase() {
    experiment.id = "t";
    experiment.variations = {{"a", "A", true, {}}, {"b", "B", false, {}}};
    result.id = "t";
    result.variations = experiment.variations;
    result.runtime_days = 14;
  }

  void add(const std::string& metric, std::optional<double> p2bc, double uplift,
           std::uint64_t visitors = 5000, std::uint64_t orders = 150) {
    CellResult control;
    control.slice = model::Slice::overall();
    control.metric = metric;
    control.variation_id = "a";
    control.is_control = true;
    control.n_visitors = visitors;
    control.n_orders = orders;
    CellResult variant = control;
    variant.variation_id = "b";
    variant.is_control = false;
    variant.prob_beat_control = p2bc;
    variant.uplift = UpliftEstimate{uplift, uplift - 0.05, uplift + 0.05};
    if (!p2bc) {
      variant.assumptions = {"revenue_sq missing: no spread of order values"};
    }
    result.cells.push_back(control);
    result.cells.push_back(variant);
  }
};

TEST(DecideTest, ReadsTheVendorsPrimaryMetricWhenItHasStatistics) {
  TestCase test;
  test.experiment.primary_metric = "conversion_rate";
  test.add("net_revenue_per_visitor", 0.5, 0.0);
  test.add("conversion_rate", 0.95, 0.08);
  const std::optional<TestVerdict> verdict = decide_test(test.experiment, test.result, {});
  ASSERT_TRUE(verdict);
  EXPECT_EQ(verdict->metric, "conversion_rate");
  EXPECT_EQ(verdict->metric_reason, "the test's primary metric at the vendor");
  ASSERT_EQ(verdict->variations.size(), 1u);
  EXPECT_EQ(verdict->variations[0].variation_id, "b");
  EXPECT_EQ(verdict->variations[0].verdict, Verdict::winner);
  EXPECT_EQ(verdict->variations[0].reason, "P(beat control) 0.95 and uplift +8.0 % beyond ±2.0 %");
}

TEST(DecideTest, PrefersProfitThenRevenueThenConversion) {
  TestCase profit;
  profit.add("conversion_rate", 0.5, 0.0);
  profit.add("net_revenue_per_visitor", 0.5, 0.0);
  profit.add("gross_profit_per_visitor", 0.1, -0.1);
  EXPECT_EQ(decide_test(profit.experiment, profit.result, {})->metric, "gross_profit_per_visitor");
  EXPECT_EQ(decide_test(profit.experiment, profit.result, {})->variations[0].verdict,
            Verdict::loser);

  TestCase no_spread;
  no_spread.experiment.primary_metric = "gross_profit_per_visitor";
  no_spread.add("net_revenue_per_visitor", std::nullopt, 0.1);
  no_spread.add("conversion_rate", 0.5, 0.0);
  const std::optional<TestVerdict> verdict =
      decide_test(no_spread.experiment, no_spread.result, {});
  EXPECT_EQ(verdict->metric, "conversion_rate");
  EXPECT_EQ(verdict->metric_reason,
            "the vendor's primary metric gross_profit_per_visitor has no statistics here; "
            "conversion rate: revenue per visitor has no statistics here");
}

TEST(DecideTest, TheFirstMetricOptionOverridesTheChoice) {
  TestCase test;
  test.add("net_revenue_per_visitor", 0.99, 0.2);
  test.add("conversion_rate", 0.6, 0.001);
  AnalysisOptions options;
  options.metrics = {"conversion_rate", "net_revenue_per_visitor"};
  const std::optional<TestVerdict> verdict = decide_test(test.experiment, test.result, options);
  EXPECT_EQ(verdict->metric, "conversion_rate");
  EXPECT_EQ(verdict->variations[0].verdict, Verdict::keep_running);
  EXPECT_EQ(verdict->variations[0].reason, "P(beat control) 0.60, uplift +0.1 %: no call yet");
}

TEST(DecideTest, TooEarlyUnderTheMinimumDaysVisitorsOrOrdersWhateverTheEvidence) {
  const auto verdict_of = [](TestCase test, const VerdictRule& rule) {
    AnalysisOptions options;
    options.verdict = rule;
    return decide_test(test.experiment, test.result, options)->variations.at(0);
  };
  TestCase strong;
  strong.add("net_revenue_per_visitor", 0.999, 0.3);
  EXPECT_EQ(verdict_of(strong, {}).verdict, Verdict::winner);

  TestCase young = strong;
  young.result.runtime_days = 9;
  EXPECT_EQ(verdict_of(young, {}).verdict, Verdict::too_early);
  EXPECT_EQ(verdict_of(young, {}).reason, "9 days of the 10 needed");
  VerdictRule patient;
  patient.min_runtime_days = 9;
  EXPECT_EQ(verdict_of(young, patient).verdict, Verdict::winner);

  TestCase small;
  small.add("net_revenue_per_visitor", 0.999, 0.3, 99, 40);
  EXPECT_EQ(verdict_of(small, {}).reason, "99 visitors in a, 100 needed");

  TestCase few_orders;
  few_orders.add("net_revenue_per_visitor", 0.999, 0.3, 5000, 14);
  EXPECT_EQ(verdict_of(few_orders, {}).reason, "28 orders in both arms, 30 needed");
}

TEST(DecideTest, FlatOnceMatureWithTheIntervalInsideTheBand) {
  TestCase test;
  test.add("net_revenue_per_visitor", 0.55, 0.001);
  test.result.cells.back().uplift = UpliftEstimate{0.001, -0.012, 0.015};
  const VariationVerdict verdict = decide_test(test.experiment, test.result, {})->variations[0];
  EXPECT_EQ(verdict.verdict, Verdict::flat);
  EXPECT_EQ(verdict.reason, "uplift interval [-1.2 %, +1.5 %] inside ±2.0 %");
}

TEST(DecideTest, RuntimeFromStartAndEndWithoutDaySlices) {
  TestCase test;
  test.add("net_revenue_per_visitor", 0.999, 0.3);
  test.result.runtime_days.reset();
  test.experiment.started_at_ms = 0;
  test.experiment.ended_at_ms = 8 * 86'400'000LL + 1; // into the ninth day
  EXPECT_EQ(decide_test(test.experiment, test.result, {})->variations[0].reason,
            "9 days of the 10 needed");
  test.experiment.ended_at_ms.reset();
  EXPECT_EQ(decide_test(test.experiment, test.result, {})->variations[0].reason,
            "P(beat control) 1.00 and uplift +30.0 % beyond ±2.0 % (runtime unknown: no day data)");
}

TEST(DecideTest, NoStatisticsIsTooEarlyWithTheCellsReason) {
  TestCase test;
  test.add("net_revenue_per_visitor", std::nullopt, 0.1);
  const std::optional<TestVerdict> verdict = decide_test(test.experiment, test.result, {});
  EXPECT_EQ(verdict->metric, "net_revenue_per_visitor");
  EXPECT_EQ(verdict->variations[0].verdict, Verdict::too_early);
  EXPECT_EQ(verdict->variations[0].reason,
            "no statistics: revenue_sq missing: no spread of order values");
}

} // namespace
} // namespace reckon::analysis
