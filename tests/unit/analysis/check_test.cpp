#include "reckon/analysis/analyze.hpp"
#include "reckon/analysis/check.hpp"
#include "reckon/stats/exact.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <span>
#include <stdexcept>

namespace reckon::analysis {
namespace {

model::ReportedMetric reported(std::string name, double value) {
  model::ReportedMetric metric;
  metric.name = std::move(name);
  metric.value = value;
  return metric;
}

model::ArmCounts arm(std::string id, std::uint64_t visitors, std::uint64_t orders) {
  model::ArmCounts counts;
  counts.variation_id = std::move(id);
  counts.visitors = visitors;
  counts.conversions = orders;
  counts.revenue = 60.0 * static_cast<double>(orders);
  return counts;
}

// Two arms, control first, with one overall cell whose arms report conversion_rate exactly
// as counts give it; tests then break one rule at a time.
model::Experiment two_arm_experiment() {
  model::Experiment experiment;
  experiment.id = "exp";
  experiment.name = "Experiment";
  experiment.source = "intelligems";
  experiment.variations = {{"c", "Control", true, 50.0}, {"v", "Variant", false, 50.0}};
  model::CountsCell cell{
      model::Slice::overall(), {arm("c", 10'000, 500), arm("v", 10'000, 560)}, "test"};
  model::ReportedMetric control = reported("conversion_rate", 0.05);
  control.p2bb = 0.0305;
  model::ReportedMetric variant = reported("conversion_rate", 0.056);
  variant.p2bb = 0.9695;
  variant.p2bc = 0.9695;
  variant.uplift = model::ReportedUplift{0.12, {}, {}, {}};
  cell.arms[0].reported.push_back(control);
  cell.arms[1].reported.push_back(variant);
  experiment.cells.push_back(std::move(cell));
  return experiment;
}

CheckReport check(const model::Experiment& experiment, CheckSettings settings = {},
                  std::uint64_t draws = 200'000) {
  model::Dataset dataset;
  dataset.experiments.push_back(experiment);
  AnalysisOptions options;
  options.sampling.draws = draws;
  options.sampling.seed = 7;
  Results results = analyze_counts(dataset, options);
  return check_results(results, dataset, settings);
}

CheckOutcome outcome(const CheckReport& report, std::string_view name) {
  for (const CheckOutcome& check : report.experiments.at(0).checks) {
    if (check.name == name) {
      return check;
    }
  }
  throw std::logic_error("no check " + std::string(name));
}

model::ReportedMetric& variant_rate(model::Experiment& experiment) {
  return experiment.cells[0].arms[1].reported[0];
}

TEST(Check, AnHonestCellPassesEveryRule) {
  model::Experiment experiment = two_arm_experiment();
  // The exact P(variant > control) under Beta(1,1) priors, rounded as the vendor rounds.
  const double exact =
      stats::prob_greater(stats::BetaParams{561.0, 9441.0}, stats::BetaParams{501.0, 9501.0});
  const double p2bc = std::round(exact * 1e4) / 1e4;
  variant_rate(experiment).p2bb = p2bc;
  variant_rate(experiment).p2bc = p2bc;
  experiment.cells[0].arms[0].reported[0].p2bb = 1.0 - p2bc;
  const CheckReport report = check(experiment);
  EXPECT_FALSE(report.any_failure());
  EXPECT_EQ(outcome(report, "drift").examined, 2U);
  EXPECT_EQ(outcome(report, "value_matches_counts").examined, 2U);
  EXPECT_EQ(outcome(report, "uplift_is_ratio").examined, 1U);
  EXPECT_EQ(outcome(report, "control_complements_variant").examined, 1U);
}

TEST(Check, DriftFlagsAReportedProbabilityBeyondTheNoise) {
  model::Experiment experiment = two_arm_experiment();
  const double exact =
      stats::prob_greater(stats::BetaParams{561.0, 9441.0}, stats::BetaParams{501.0, 9501.0});
  variant_rate(experiment).p2bc = std::round((exact - 0.05) * 1e4) / 1e4;
  variant_rate(experiment).p2bb = std::round(exact * 1e4) / 1e4;
  experiment.cells[0].arms[0].reported[0].p2bb = 1.0 - *variant_rate(experiment).p2bb;
  const CheckReport report = check(experiment);
  const CheckOutcome drift = outcome(report, "drift");
  ASSERT_EQ(drift.failures.size(), 1U);
  EXPECT_EQ(drift.failures[0].metric, "conversion_rate");
  EXPECT_EQ(drift.failures[0].variation_id, "v");
  EXPECT_NE(drift.failures[0].detail.find("p2bc reported"), std::string::npos);
  EXPECT_EQ(drift.failures[0].detail.find("p2bb"), std::string::npos);
  EXPECT_EQ(report.drift_flagged, 1U);
}

TEST(Check, TheFamilyWiseCorrectionRaisesKOnlyWhenManyNumbersAreCompared) {
  const CheckReport few = check(two_arm_experiment());
  EXPECT_EQ(few.comparisons, 4U); // p2bb twice, p2bc, uplift
  // 2 P(Z > k) = 0.01 / 4 at k = 3.023 < 4: the stated K stands.
  EXPECT_DOUBLE_EQ(few.effective_k, 4.0);
  CheckSettings off;
  off.family_alpha = 0.0;
  off.tolerance_k = 2.5;
  EXPECT_DOUBLE_EQ(check(two_arm_experiment(), off).effective_k, 2.5);
  CheckSettings strict;
  strict.family_alpha = 1e-6;
  // 2 P(Z > k) = 2.5e-7 at k = 5.157.
  EXPECT_NEAR(check(two_arm_experiment(), strict).effective_k, 5.157, 0.002);
}

TEST(Check, ValueMustEqualCountsOverVisitors) {
  model::Experiment experiment = two_arm_experiment();
  variant_rate(experiment).value = 0.0561;
  const CheckOutcome rule = outcome(check(experiment), "value_matches_counts");
  ASSERT_EQ(rule.failures.size(), 1U);
  EXPECT_NE(rule.failures[0].detail.find("value reported 0.0561, counts give 0.056"),
            std::string::npos);
}

TEST(Check, ValueWithinTheVendorsRoundingPasses) {
  model::Experiment experiment = two_arm_experiment();
  experiment.cells[0].arms[1].conversions = 561; // 0.0561 exactly
  variant_rate(experiment).value = 0.05610004;   // written with 7 decimals: off by 4e-8
  EXPECT_TRUE(outcome(check(experiment), "value_matches_counts").failures.empty());
}

TEST(Check, UpliftMustBeTheRatioOfValuesMinusOne) {
  model::Experiment experiment = two_arm_experiment();
  variant_rate(experiment).uplift->value = 0.125;
  const CheckOutcome rule = outcome(check(experiment), "uplift_is_ratio");
  ASSERT_EQ(rule.failures.size(), 1U);
  EXPECT_NE(rule.failures[0].detail.find("uplift reported 0.125"), std::string::npos);
}

TEST(Check, ControlP2bbMustComplementTheVariantsInTwoArms) {
  model::Experiment experiment = two_arm_experiment();
  experiment.cells[0].arms[0].reported[0].p2bb = 0.1305;
  const CheckOutcome rule = outcome(check(experiment), "control_complements_variant");
  ASSERT_EQ(rule.failures.size(), 1U);
  EXPECT_NE(rule.failures[0].detail.find("= 1.1"), std::string::npos);
}

TEST(Check, TheVariantsP2bcMustEqualItsP2bbInTwoArms) {
  model::Experiment experiment = two_arm_experiment();
  EXPECT_EQ(outcome(check(experiment), "p2bc_equals_p2bb").examined, 1U);
  EXPECT_TRUE(outcome(check(experiment), "p2bc_equals_p2bb").failures.empty());
  variant_rate(experiment).p2bc = 0.9712;
  const CheckOutcome rule = outcome(check(experiment), "p2bc_equals_p2bb");
  ASSERT_EQ(rule.failures.size(), 1U);
  EXPECT_EQ(rule.failures[0].detail, "p2bc 0.9712 but p2bb 0.9695");
}

TEST(Check, P2bbMustSumToOneOverThreeArms) {
  model::Experiment experiment = two_arm_experiment();
  experiment.variations.push_back({"w", "Other", false, 50.0});
  experiment.cells[0].arms.push_back(arm("w", 10'000, 540));
  model::ReportedMetric third = reported("conversion_rate", 0.054);
  third.p2bb = 0.2;
  third.p2bc = 0.8;
  experiment.cells[0].arms[2].reported.push_back(third);
  variant_rate(experiment).p2bb = 0.8;
  experiment.cells[0].arms[0].reported[0].p2bb = 0.0;
  EXPECT_TRUE(outcome(check(experiment), "p2bb_sums_to_one").failures.empty());
  variant_rate(experiment).p2bb = 0.9;
  const CheckOutcome rule = outcome(check(experiment), "p2bb_sums_to_one");
  ASSERT_EQ(rule.failures.size(), 1U);
  EXPECT_NE(rule.failures[0].detail.find("sums to 1.1"), std::string::npos);
}

TEST(Check, FixedThresholdsHoldStatisticsNullExactlyWhenDataAreLow) {
  CheckSettings fixed;
  fixed.fixed_null_rule = true; // --low-data-visitors 100 --low-data-events 30
  model::Experiment experiment = two_arm_experiment();
  EXPECT_TRUE(outcome(check(experiment, fixed), "null_exactly_when_low").failures.empty());
  // Plenty of data, yet the variant's p2bb is missing.
  variant_rate(experiment).p2bb.reset();
  const CheckOutcome missing = outcome(check(experiment, fixed), "null_exactly_when_low");
  ASSERT_EQ(missing.failures.size(), 1U);
  EXPECT_NE(missing.failures[0].detail.find("null although"), std::string::npos);
  // Too few orders in an arm, yet statistics are reported.
  model::Experiment small = two_arm_experiment();
  small.cells[0].arms[0].conversions = 20;
  small.cells[0].arms[0].reported[0].value = 0.002;
  const CheckOutcome present = outcome(check(small, fixed), "null_exactly_when_low");
  ASSERT_EQ(present.failures.size(), 1U);
  EXPECT_NE(present.failures[0].detail.find("reported although"), std::string::npos);
  EXPECT_EQ(present.title, "statistics are null exactly when data are low (below 100 visitors or "
                           "30 events in an arm)");
  EXPECT_TRUE(check(small, fixed).null_boundaries.empty());
}

// The least data of a slice's smallest arm; the other arm has twice as much.
struct ArmSize {
  std::uint64_t visitors;
  std::uint64_t orders;
};

// The vendor's choice for a slice whose smallest arm holds `size`: statistics null or not.
using NullPolicy = std::function<bool(ArmSize)>;

// An account of one two-arm test with a segment per size, each reporting a rate
// (conversion_rate), a per-order value and a per-visitor value, with statistics left null where
// `nulls` says.
model::Experiment account(std::span<const ArmSize> sizes, const NullPolicy& nulls) {
  model::Experiment experiment = two_arm_experiment();
  experiment.cells.clear();
  for (const ArmSize& size : sizes) {
    model::CountsCell cell{
        {"utm_source", std::to_string(size.visitors) + "/" + std::to_string(size.orders), ""},
        {arm("c", size.visitors, size.orders), arm("v", 2 * size.visitors, 2 * size.orders)},
        "test"};
    for (const char* name :
         {"conversion_rate", "net_revenue_per_order", "net_revenue_per_visitor"}) {
      model::ReportedMetric control = reported(name, 1.0);
      model::ReportedMetric variant = reported(name, 1.0);
      variant.uplift = model::ReportedUplift{0.0, {}, {}, {}};
      if (!nulls(size)) {
        control.p2bb = 0.5;
        variant.p2bb = 0.5;
        variant.p2bc = 0.5;
      }
      cell.arms[0].reported.push_back(control);
      cell.arms[1].reported.push_back(variant);
    }
    experiment.cells.push_back(std::move(cell));
  }
  return experiment;
}

// Visitors that do not follow orders, so that only orders can explain a vendor who counts
// orders alone: 1 to 40 orders, on 20 to 617 visitors.
std::vector<ArmSize> scattered_sizes() {
  std::vector<ArmSize> sizes;
  for (std::uint64_t orders = 1; orders <= 40; ++orders) {
    sizes.push_back({std::max<std::uint64_t>(orders, 20 + (orders * 157) % 600), orders});
  }
  return sizes;
}

const NullPolicy k_below_10_orders = [](ArmSize size) { return size.orders < 10; };

CheckReport check_account(const model::Experiment& experiment, CheckSettings settings = {}) {
  return check(experiment, settings, 2'000); // the null rule does not look at the draws
}

TEST(Check, TheNullBoundaryIsInferredFromTheAccountPerMetricKind) {
  const std::vector<ArmSize> sizes = scattered_sizes();
  const CheckReport report = check_account(account(sizes, k_below_10_orders));
  const CheckOutcome rule = outcome(report, "null_exactly_when_low");
  EXPECT_EQ(rule.examined, 3 * sizes.size());
  EXPECT_TRUE(rule.failures.empty());
  ASSERT_EQ(report.null_boundaries.size(), 3U);
  for (const NullBoundary& boundary : report.null_boundaries) {
    // A rate counts its own events: the orders, for conversion_rate.
    EXPECT_EQ(boundary.events, boundary.kind == "rates" ? "events" : "orders");
    EXPECT_EQ(boundary.min_events, 10U);
    EXPECT_EQ(boundary.min_visitors, 0U); // visitors play no part
    EXPECT_EQ(boundary.largest_null_events, 9U);
    EXPECT_EQ(boundary.smallest_non_null_events, 10U);
    EXPECT_EQ(boundary.rows, sizes.size());
    EXPECT_EQ(boundary.null_rows, 9U);
    EXPECT_EQ(boundary.unexplained, 0U);
  }
  EXPECT_EQ(report.null_boundaries[0].kind, "rates");
  EXPECT_EQ(report.null_boundaries[1].kind, "per-order values");
  EXPECT_EQ(report.null_boundaries[2].kind, "per-visitor values");
  EXPECT_EQ(describe(report.null_boundaries[1]),
            "null below 10 orders in an arm (orders: largest null 9, smallest non-null 10)");
  EXPECT_NE(rule.title.find("rates: null below 10 events in an arm;"), std::string::npos)
      << rule.title;
}

TEST(Check, TheSimulatorsTwoDimensionalBoundaryIsInferred) {
  // The simulator's vendor: null below 100 visitors or 30 events in an arm.
  std::vector<ArmSize> sizes;
  for (const std::uint64_t visitors : {40, 99, 100, 150, 1000}) {
    for (const std::uint64_t orders : {5, 29, 30, 35}) {
      sizes.push_back({visitors, orders});
    }
  }
  const CheckReport report = check_account(
      account(sizes, [](ArmSize size) { return size.visitors < 100 || size.orders < 30; }));
  EXPECT_TRUE(outcome(report, "null_exactly_when_low").failures.empty());
  ASSERT_EQ(report.null_boundaries.size(), 3U);
  const NullBoundary& rates = report.null_boundaries[0];
  EXPECT_EQ(rates.min_events, 30U);
  EXPECT_EQ(rates.min_visitors, 100U);
  EXPECT_EQ(rates.null_rows, 14U);
  EXPECT_EQ(describe(rates), "null below 30 events or 100 visitors in an arm (events: largest "
                             "null 29, smallest non-null 30; visitors: largest null 99, smallest "
                             "non-null 100)");
}

TEST(Check, OnlyARowNoThresholdExplainsFails) {
  const std::vector<ArmSize> sizes = scattered_sizes();
  // A null with more data than most non-null rows: 35 orders.
  model::Experiment late = account(sizes, k_below_10_orders);
  late.cells[34].arms[1].reported[0].p2bb.reset();
  const CheckReport report = check_account(late);
  const CheckOutcome rule = outcome(report, "null_exactly_when_low");
  ASSERT_EQ(rule.failures.size(), 1U);
  EXPECT_EQ(rule.failures[0].slice, late.cells[34].slice);
  EXPECT_EQ(rule.failures[0].metric, "conversion_rate");
  EXPECT_NE(rule.failures[0].detail.find("statistics are null although every arm has enough "
                                         "data by the account's boundary (fewest in an arm: "),
            std::string::npos)
      << rule.failures[0].detail;
  EXPECT_EQ(report.null_boundaries[0].min_events, 10U);
  EXPECT_EQ(report.null_boundaries[0].unexplained, 1U);
  EXPECT_EQ(report.null_boundaries[1].unexplained, 0U);

  // A non-null row far below the null ones: 2 orders.
  model::Experiment early = account(sizes, k_below_10_orders);
  for (model::ArmCounts& arm : early.cells[1].arms) {
    arm.reported[1].p2bb = 0.5;
  }
  const CheckOutcome present = outcome(check_account(early), "null_exactly_when_low");
  ASSERT_EQ(present.failures.size(), 1U);
  EXPECT_EQ(present.failures[0].slice, early.cells[1].slice);
  EXPECT_EQ(present.failures[0].metric, "net_revenue_per_order");
  EXPECT_NE(present.failures[0].detail.find("reported although an arm has too little data"),
            std::string::npos);
}

TEST(Check, ARateNulledByOrdersIsJudgedOnOrders) {
  // The vendor nulls every metric below 10 orders; the rate's own events (visitors who added
  // to cart) do not follow orders, so only orders explain its nulls.
  const std::vector<ArmSize> sizes = scattered_sizes();
  model::Experiment experiment = account(sizes, k_below_10_orders);
  for (model::CountsCell& cell : experiment.cells) {
    for (model::ArmCounts& arm : cell.arms) {
      arm.totals["n_visitors_added_to_cart"] = static_cast<double>(arm.visitors / 2);
      arm.reported[0].name = "add_to_cart_rate";
    }
  }
  const CheckReport report = check_account(experiment);
  EXPECT_TRUE(outcome(report, "null_exactly_when_low").failures.empty());
  EXPECT_EQ(report.null_boundaries[0].events, "orders");
  EXPECT_EQ(report.null_boundaries[0].min_events, 10U);
}

TEST(Check, TheFixedThresholdsOverrideTheInferredBoundary) {
  const model::Experiment experiment = account(scattered_sizes(), k_below_10_orders);
  CheckSettings fixed;
  fixed.fixed_null_rule = true;
  const CheckReport report = check_account(experiment, fixed);
  EXPECT_TRUE(report.null_boundaries.empty());
  // 100 visitors or 30 events: the rows of 10 to 29 orders, or with fewer than 100 visitors
  // and at least 10 orders, are reported although low.
  std::size_t low = 0;
  for (const ArmSize& size : scattered_sizes()) {
    low += size.orders >= 10 && (size.orders < 30 || size.visitors < 100) ? 3 : 0;
  }
  EXPECT_GT(low, 0U);
  EXPECT_EQ(outcome(report, "null_exactly_when_low").failures.size(), low);
  fixed.low_data_events = 10;
  fixed.low_data_visitors = 0;
  EXPECT_TRUE(outcome(check_account(experiment, fixed), "null_exactly_when_low").failures.empty());
}

TEST(Check, SegmentVisitorsMustNotExceedTheOverall) {
  model::Experiment experiment = two_arm_experiment();
  model::CountsCell segment{
      {"device_type", "Mobile", ""}, {arm("c", 6'000, 300), arm("v", 10'001, 330)}, "test"};
  experiment.cells.push_back(segment);
  const CheckOutcome rule = outcome(check(experiment), "segments_within_overall");
  EXPECT_EQ(rule.examined, 2U);
  ASSERT_EQ(rule.failures.size(), 1U);
  EXPECT_EQ(rule.failures[0].variation_id, "v");
  EXPECT_NE(rule.failures[0].detail.find("10001 visitors"), std::string::npos);
}

} // namespace
} // namespace reckon::analysis
