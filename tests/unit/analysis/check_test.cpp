#include "reckon/analysis/analyze.hpp"
#include "reckon/analysis/check.hpp"
#include "reckon/stats/exact.hpp"

#include <gtest/gtest.h>

#include <cmath>
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

CheckReport check(const model::Experiment& experiment, CheckSettings settings = {}) {
  model::Dataset dataset;
  dataset.experiments.push_back(experiment);
  AnalysisOptions options;
  options.sampling.draws = 200'000;
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

TEST(Check, StatisticsMustBeNullExactlyWhenDataAreLow) {
  model::Experiment experiment = two_arm_experiment();
  EXPECT_TRUE(outcome(check(experiment), "null_exactly_when_low").failures.empty());
  // Plenty of data, yet the variant's p2bb is missing.
  variant_rate(experiment).p2bb.reset();
  const CheckOutcome missing = outcome(check(experiment), "null_exactly_when_low");
  ASSERT_EQ(missing.failures.size(), 1U);
  EXPECT_NE(missing.failures[0].detail.find("null although"), std::string::npos);
  // Too few orders in an arm, yet statistics are reported.
  model::Experiment small = two_arm_experiment();
  small.cells[0].arms[0].conversions = 20;
  small.cells[0].arms[0].reported[0].value = 0.002;
  const CheckOutcome present = outcome(check(small), "null_exactly_when_low");
  ASSERT_EQ(present.failures.size(), 1U);
  EXPECT_NE(present.failures[0].detail.find("reported although"), std::string::npos);
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
