#include "reckon/analysis/analyze.hpp"
#include "reckon/stats/beta.hpp"
#include "reckon/stats/exact.hpp"
#include "reckon/stats/gaussian_effect.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace reckon::analysis {
namespace {

model::Experiment two_arm_experiment(const std::string& id, std::uint64_t control_visitors,
                                     std::uint64_t control_orders, std::uint64_t variant_visitors,
                                     std::uint64_t variant_orders) {
  model::Experiment experiment;
  experiment.id = id;
  experiment.name = id;
  experiment.source = "test";
  experiment.variations = {{"a", "A", true, {}}, {"b", "B", false, {}}};
  model::CountsCell cell{model::Slice::overall(), {{}, {}}, {}};
  cell.arms[0].variation_id = "a";
  cell.arms[0].visitors = control_visitors;
  cell.arms[0].conversions = control_orders;
  cell.arms[1].variation_id = "b";
  cell.arms[1].visitors = variant_visitors;
  cell.arms[1].conversions = variant_orders;
  experiment.cells.push_back(std::move(cell));
  return experiment;
}

AnalysisOptions options_with(std::uint64_t draws, std::uint64_t seed,
                             std::vector<std::string> metrics = {"conversion_rate"}) {
  AnalysisOptions options;
  options.sampling.draws = draws;
  options.sampling.seed = seed;
  options.metrics = std::move(metrics);
  return options;
}

// The cells of one metric, in arm order.
std::vector<CellResult> cells_of(const ExperimentResult& experiment, const std::string& metric) {
  std::vector<CellResult> cells;
  for (const CellResult& cell : experiment.cells) {
    if (cell.metric == metric) {
      cells.push_back(cell);
    }
  }
  return cells;
}

bool mentions(const CellResult& cell, const std::string& text) {
  for (const std::string& note : cell.assumptions) {
    if (note.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(AnalyzeConversion, ReportsObservedValuesAndVendorStyleUplift) {
  model::Dataset dataset;
  dataset.experiments.push_back(two_arm_experiment("e", 1000, 100, 1000, 120));
  AnalysisOptions options = options_with(50'000, 1);
  options.exact = false; // --monte-carlo: every number drawn, with its error
  const Results results = analyze_counts(dataset, options);
  ASSERT_EQ(results.experiments.size(), 1U);
  const auto& cells = results.experiments[0].cells;
  ASSERT_EQ(cells.size(), 2U);

  const CellResult& control = cells[0];
  EXPECT_TRUE(control.is_control);
  EXPECT_EQ(control.value, 0.1);
  EXPECT_FALSE(control.uplift);
  EXPECT_FALSE(control.prob_beat_control);

  const CellResult& variant = cells[1];
  EXPECT_EQ(variant.metric, "conversion_rate");
  EXPECT_EQ(variant.model, "beta_binomial");
  EXPECT_EQ(variant.value, 0.12);
  ASSERT_TRUE(variant.uplift && variant.uplift->value);
  EXPECT_NEAR(*variant.uplift->value, 0.2, 1e-15);
  // Stats anchor C2: exact P(B > A) = 0.9231834389736; Monte Carlo within 4 standard errors.
  ASSERT_TRUE(variant.prob_beat_control && variant.prob_beat_control_se);
  EXPECT_NEAR(*variant.prob_beat_control, 0.9231834389736, 4 * *variant.prob_beat_control_se);
  // Two arms: the variant is best exactly when it beats the control.
  EXPECT_EQ(variant.prob_best, variant.prob_beat_control);
  EXPECT_DOUBLE_EQ(*control.prob_best + *variant.prob_best, 1.0);
}

TEST(AnalyzeConversion, ACellsResultsDoNotDependOnWhatElseIsAnalysed) {
  model::Dataset alone;
  alone.experiments.push_back(two_arm_experiment("target", 5000, 150, 5000, 170));
  model::Dataset crowded;
  crowded.experiments.push_back(two_arm_experiment("other", 800, 20, 800, 30));
  crowded.experiments.push_back(two_arm_experiment("target", 5000, 150, 5000, 170));

  const Results first = analyze_counts(alone, options_with(20'000, 9));
  const Results second = analyze_counts(crowded, options_with(20'000, 9));
  const CellResult& a = first.experiments[0].cells[1];
  const CellResult& b = second.experiments[1].cells[1];
  EXPECT_EQ(a.prob_beat_control, b.prob_beat_control);
  EXPECT_EQ(a.ci_low, b.ci_low);
  EXPECT_EQ(a.uplift->ci_high, b.uplift->ci_high);
  EXPECT_EQ(a.expected_loss, b.expected_loss);
}

TEST(AnalyzeConversion, AnArmWithoutVisitorsHasNoValueAndSaysWhy) {
  model::Dataset dataset;
  dataset.experiments.push_back(two_arm_experiment("e", 0, 0, 100, 3));
  const Results results = analyze_counts(dataset, options_with(5'000, 1));
  const CellResult& control = results.experiments[0].cells[0];
  const CellResult& variant = results.experiments[0].cells[1];
  EXPECT_FALSE(control.value);
  EXPECT_FALSE(variant.uplift->value);
  EXPECT_TRUE(mentions(control, "no visitors"));
  EXPECT_TRUE(mentions(variant, "uplift.value"));
  // The intervals still come from the posterior, and are finite.
  EXPECT_TRUE(std::isfinite(*control.ci_low) && std::isfinite(*control.ci_high));
}

TEST(AnalyzeConversion, FlagsASampleRatioMismatchAgainstAnEqualSplit) {
  model::Dataset dataset;
  dataset.experiments.push_back(two_arm_experiment("balanced", 5000, 100, 5200, 100));
  dataset.experiments.push_back(two_arm_experiment("skewed", 9000, 100, 1100, 20));
  dataset.experiments[1].variations[0].allocation = 0.9;
  dataset.experiments[1].variations[1].allocation = 0.1;
  dataset.experiments.push_back(two_arm_experiment("broken", 5000, 100, 5600, 100));
  const Results results = analyze_counts(dataset, options_with(2'000, 1));

  // Stats anchor §5.6: 5000 vs 5200 at 1/2, 1/2 gives chi2 3.9215686, p 0.04767038.
  const auto& balanced = results.experiments[0].srm;
  ASSERT_TRUE(balanced);
  EXPECT_NEAR(balanced->chi2, 3.9215686, 1e-7);
  EXPECT_NEAR(balanced->p_value, 0.04767038, 1e-8);
  EXPECT_FALSE(balanced->flagged);
  EXPECT_TRUE(balanced->allocation_assumed_equal);

  // 9000 vs 1100 at 0.9, 0.1 gives chi2 8.9108911, p 0.00283475.
  const auto& skewed = results.experiments[1].srm;
  ASSERT_TRUE(skewed);
  EXPECT_NEAR(skewed->chi2, 8.9108911, 1e-7);
  EXPECT_FALSE(skewed->allocation_assumed_equal);

  EXPECT_TRUE(results.experiments[2].srm->flagged);
}

TEST(AnalyzeCounts, ExactRouteMatchesTheOraclesAndDropsTheirMonteCarloErrors) {
  model::Dataset dataset;
  dataset.experiments.push_back(two_arm_experiment("e", 1000, 100, 1000, 120));
  AnalysisOptions options = options_with(20'000, 3);
  const std::vector<CellResult> cells =
      cells_of(analyze_counts(dataset, options).experiments[0], "conversion_rate");
  const stats::BetaParams a{101, 901};
  const stats::BetaParams b{121, 881};
  EXPECT_EQ(cells[1].prob_beat_control, stats::prob_greater(b, a));
  EXPECT_NEAR(*cells[1].prob_beat_control, 0.9231834389736, 1e-12);
  EXPECT_NEAR(*cells[1].prob_best, 0.9231834389736, 1e-9);
  EXPECT_FALSE(cells[1].prob_beat_control_se);
  EXPECT_FALSE(cells[1].ci_se);
  const stats::Interval interval = stats::beta_credible_interval(a, 0.95);
  EXPECT_EQ(cells[0].ci_low, interval.low);
  EXPECT_EQ(cells[0].ci_high, interval.high);
  // The uplift interval and the losses are exact too: stats anchor C2 (scipy quadrature).
  EXPECT_NEAR(*cells[1].uplift->ci_low, -0.06536043211097901, 1e-6);
  EXPECT_NEAR(*cells[1].uplift->ci_high, 0.5408381930997952, 1e-6);
  EXPECT_FALSE(cells[1].uplift_ci_se);
  EXPECT_NEAR(*cells[0].expected_loss, 0.2129627542222142, 1e-9);
  EXPECT_FALSE(cells[0].expected_loss_se);
  EXPECT_TRUE(mentions(cells[1], "exact"));
}

model::Dataset revenue_dataset(bool with_revenue_sq) {
  // Stats anchor R1: n 10000, orders 300 / 330, revenue 24000 / 25740, sum of squares
  // 2,996,400 / 3,397,745 (order-value SD 60 and 65, AOV 80 and 78).
  model::Dataset dataset;
  model::Experiment experiment = two_arm_experiment("r", 10000, 300, 10000, 330);
  experiment.cells[0].arms[0].revenue = 24000;
  experiment.cells[0].arms[1].revenue = 25740;
  if (with_revenue_sq) {
    experiment.cells[0].arms[0].revenue_sq = 2'996'400;
    experiment.cells[0].arms[1].revenue_sq = 3'397'745;
  }
  dataset.experiments.push_back(experiment);
  return dataset;
}

TEST(AnalyzeCounts, OrderAndVisitorValuesComeFromTheOrderValueMoments) {
  const Results results = analyze_counts(
      revenue_dataset(true),
      options_with(100'000, 5, {"net_revenue_per_order", "net_revenue_per_visitor"}));
  const auto aov = cells_of(results.experiments[0], "net_revenue_per_order");
  const auto rpv = cells_of(results.experiments[0], "net_revenue_per_visitor");
  ASSERT_EQ(aov.size(), 2U);
  ASSERT_EQ(rpv.size(), 2U);
  EXPECT_EQ(aov[0].value, 80.0);
  EXPECT_EQ(aov[1].value, 78.0);
  EXPECT_NEAR(*aov[1].uplift->value, -0.025, 1e-15);
  EXPECT_EQ(rpv[0].value, 2.4);
  EXPECT_EQ(rpv[1].value, 2.574);
  // AOV's standard error is SD / sqrt(orders): 60 / sqrt(300) = 3.46, so the 95% interval
  // spans about +-6.8 around 80.
  EXPECT_NEAR(*aov[0].ci_low, 80.0 - 1.96 * 60.0 / std::sqrt(300.0), 0.3);
  EXPECT_NEAR(*aov[0].ci_high, 80.0 + 1.96 * 60.0 / std::sqrt(300.0), 0.3);
  // The delta-method answers of anchor R1 (CTW 0.342 for AOV, 0.749 for RPV) are what a
  // Normal model gives; the log-normal and product posteriors land close to them.
  EXPECT_NEAR(*aov[1].prob_beat_control, 0.342, 0.02);
  EXPECT_NEAR(*rpv[1].prob_beat_control, 0.749, 0.02);
  EXPECT_EQ(aov[0].model, "lognormal_from_moments");
  EXPECT_EQ(rpv[0].model, "conversion_x_lognormal_from_moments");
}

TEST(AnalyzeCounts, ValueMetricsWithoutRevenueSquaresAreReportedButNotReanalysed) {
  const Results results = analyze_counts(
      revenue_dataset(false), options_with(5'000, 5, {"conversion_rate", "net_revenue_per_order"}));
  const auto aov = cells_of(results.experiments[0], "net_revenue_per_order");
  ASSERT_EQ(aov.size(), 2U);
  EXPECT_EQ(aov[0].value, 80.0);
  EXPECT_FALSE(aov[0].ci_low);
  EXPECT_FALSE(aov[1].prob_beat_control);
  EXPECT_TRUE(mentions(aov[0], "revenue_sq"));
  EXPECT_TRUE(cells_of(results.experiments[0], "conversion_rate")[1].prob_beat_control);
}

TEST(AnalyzeCounts, ProfitMayBeNegativeAndTakesANormalPosterior) {
  // Profit per order: control mean 10 over 300 orders, variant -2 over 330, both with sample
  // SD 40, so sums of squares are (n - 1) 1600 + n mean^2.
  model::Dataset dataset = revenue_dataset(true);
  model::ArmCounts& control = dataset.experiments[0].cells[0].arms[0];
  model::ArmCounts& variant = dataset.experiments[0].cells[0].arms[1];
  control.profit = 3000.0;
  control.profit_sq = 299.0 * 1600.0 + 300.0 * 100.0;
  variant.profit = -660.0;
  variant.profit_sq = 329.0 * 1600.0 + 330.0 * 4.0;
  const Results results = analyze_counts(dataset, options_with(200'000, 2, {}));
  const auto per_order = cells_of(results.experiments[0], "gross_profit_per_order");
  const auto per_visitor = cells_of(results.experiments[0], "gross_profit_per_visitor");
  ASSERT_EQ(per_order.size(), 2U);
  ASSERT_EQ(per_visitor.size(), 2U);
  EXPECT_EQ(per_order[0].model, "normal_from_moments");
  EXPECT_EQ(per_visitor[0].model, "conversion_x_normal_from_moments");
  EXPECT_EQ(per_order[1].value, -2.0);
  EXPECT_NEAR(*per_order[1].uplift->value, -1.2, 1e-15);
  EXPECT_NEAR(*per_visitor[0].value, 0.3, 1e-15);
  // The means differ by 12 with standard error sqrt(40^2/300 + 40^2/330) = 3.19: P(variant
  // better) = Phi(-3.76) = 8.5e-5.
  EXPECT_LT(*per_order[1].prob_beat_control, 0.001);
  EXPECT_LT(*per_order[1].ci_low, *per_order[1].value);
  EXPECT_LT(*per_order[1].ci_high, 5.0);

  // Without profit in the data, the profit metrics are not listed at all.
  const Results no_profit = analyze_counts(revenue_dataset(true), options_with(2'000, 2, {}));
  EXPECT_TRUE(cells_of(no_profit.experiments[0], "gross_profit_per_order").empty());
  EXPECT_EQ(cells_of(no_profit.experiments[0], "net_revenue_per_order").size(), 2U);
}

TEST(AnalyzeCounts, NormalDeltaRouteReproducesGrowthBook) {
  // Stats anchor G1: proportions 49/100 vs 51/100, flat prior: relative lift 0.04082,
  // CI (-0.24779, 0.32943), chance to win 0.60918.
  model::Dataset dataset;
  dataset.experiments.push_back(two_arm_experiment("g", 100, 49, 100, 51));
  AnalysisOptions options = options_with(200'000, 1);
  options.routes["conversion_rate"] = ModelRoute::normal_delta;
  const auto cells = cells_of(analyze_counts(dataset, options).experiments[0], "conversion_rate");
  EXPECT_EQ(cells[1].model, "normal_delta");
  EXPECT_NEAR(*cells[1].prob_beat_control, 0.60918, 5e-6);
  EXPECT_NEAR(*cells[1].uplift->ci_low, -0.24779, 5e-6);
  EXPECT_NEAR(*cells[1].uplift->ci_high, 0.32943, 5e-6);
  EXPECT_FALSE(cells[1].prob_beat_control_se);
  // p2bb over arms still sums to one.
  EXPECT_NEAR(*cells[0].prob_best + *cells[1].prob_best, 1.0, 1e-12);
  // Two arms: p2bb is p2bc, and the expected losses are gbstats' risks of G1: keeping the
  // control 0.08139584915516311, shipping the variant 0.04057952262455082; all exact.
  EXPECT_EQ(cells[1].prob_best, cells[1].prob_beat_control);
  EXPECT_NEAR(*cells[0].expected_loss, 0.08139584915516311, 1e-15);
  EXPECT_NEAR(*cells[1].expected_loss, 0.04057952262455082, 1e-15);
  for (const CellResult& cell : cells) {
    EXPECT_FALSE(cell.prob_best_se);
    EXPECT_FALSE(cell.expected_loss_se);
  }
}

TEST(AnalyzeCounts, NormalDeltaRouteTakesKArmsFromTheJointLifts) {
  model::Dataset dataset;
  model::Experiment experiment = two_arm_experiment("k", 1000, 100, 1000, 120);
  experiment.variations.push_back({"c", "C", false, {}});
  model::ArmCounts third;
  third.variation_id = "c";
  third.visitors = 900;
  third.conversions = 110;
  experiment.cells[0].arms.push_back(third);
  dataset.experiments.push_back(experiment);
  AnalysisOptions options = options_with(2'000, 1);
  options.routes["conversion_rate"] = ModelRoute::normal_delta;
  const auto cells = cells_of(analyze_counts(dataset, options).experiments[0], "conversion_rate");
  ASSERT_EQ(cells.size(), 3U);
  const std::vector<stats::MeanEstimate> arms{*stats::proportion_estimate(100, 1000),
                                              *stats::proportion_estimate(120, 1000),
                                              *stats::proportion_estimate(110, 900)};
  const auto joint =
      stats::compare_gaussian_arms(arms, 0, 0.95, stats::Direction::higher_is_better);
  ASSERT_TRUE(joint);
  double total = 0.0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    EXPECT_EQ(cells[i].prob_best, (*joint)[i].prob_best);
    EXPECT_EQ(cells[i].expected_loss, (*joint)[i].expected_loss);
    EXPECT_FALSE(cells[i].prob_best_se);
    total += *cells[i].prob_best;
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
  // Three arms: being best is harder than beating the control.
  EXPECT_LT(*cells[1].prob_best, *cells[1].prob_beat_control);
  EXPECT_LT(*cells[2].prob_best, *cells[2].prob_beat_control);
}

} // namespace
} // namespace reckon::analysis

namespace reckon::analysis {
namespace {

// An overall rebuilt from some days (model::keep_days) has counts but no interval of its own:
// its order value borrows the spread of the source's whole-window overall, and every
// whole-window result says what the cell is.
TEST(AnalyzeCounts, AnOverallSummedFromDaysBorrowsTheSourcesSpreadAndSaysItIsASum) {
  model::Experiment experiment = revenue_dataset(false).experiments[0];
  model::CountsCell source = experiment.cells[0];
  for (model::ArmCounts& arm : source.arms) {
    arm.visitors *= 2;
    arm.conversions *= 2;
    arm.revenue *= 2;
    model::ReportedMetric aov;
    aov.name = "net_revenue_per_order";
    aov.value = 80.0;
    aov.ci_low = 75.0;
    aov.ci_high = 85.0;
    arm.reported.push_back(aov);
  }
  model::CountsCell day = experiment.cells[0];
  day.slice = {"day", "2026-09-02", ""};
  experiment.cells.push_back(day);
  experiment.rebuilt_window =
      model::Experiment::RebuiltWindow{"a sum of the 1 days 2026-09-02 to 2026-09-02", source};
  model::Dataset dataset;
  dataset.experiments.push_back(experiment);

  const Results results =
      analyze_counts(dataset, options_with(5'000, 5, {"net_revenue_per_order"}));
  const auto cells = cells_of(results.experiments[0], "net_revenue_per_order");
  ASSERT_EQ(cells.size(), 4U); // the overall's two arms, then the day's
  for (std::size_t i = 0; i < cells.size(); ++i) {
    EXPECT_EQ(cells[i].model, "lognormal_borrowed_spread") << i;
    EXPECT_TRUE(cells[i].ci_low) << i;
    EXPECT_EQ(mentions(cells[i], "a sum of the 1 days 2026-09-02 to 2026-09-02"), i < 2) << i;
  }
  // Half the source's orders: the borrowed interval is wider than the source's 75 to 85, and
  // as wide as that of the day with the same counts.
  const double width = *cells[0].ci_high - *cells[0].ci_low;
  EXPECT_GT(width, 12.0);
  EXPECT_NEAR(width, *cells[2].ci_high - *cells[2].ci_low, 0.3);
}

} // namespace
} // namespace reckon::analysis
