#include "reckon/analysis/conversion.hpp"
#include "reckon/stats/exact.hpp"

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
  experiment.cells.push_back({model::Slice::overall(),
                              {{"a", control_visitors, control_orders, 0.0, {}},
                               {"b", variant_visitors, variant_orders, 0.0, {}}}});
  return experiment;
}

AnalysisOptions options_with(std::uint64_t draws, std::uint64_t seed) {
  AnalysisOptions options;
  options.sampling.draws = draws;
  options.sampling.seed = seed;
  return options;
}

TEST(AnalyzeConversion, ReportsObservedValuesAndVendorStyleUplift) {
  model::Dataset dataset;
  dataset.experiments.push_back(two_arm_experiment("e", 1000, 100, 1000, 120));
  const Results results = analyze_conversion(dataset, options_with(50'000, 1));
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

  const Results first = analyze_conversion(alone, options_with(20'000, 9));
  const Results second = analyze_conversion(crowded, options_with(20'000, 9));
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
  const Results results = analyze_conversion(dataset, options_with(5'000, 1));
  const CellResult& control = results.experiments[0].cells[0];
  const CellResult& variant = results.experiments[0].cells[1];
  EXPECT_FALSE(control.value);
  EXPECT_FALSE(variant.uplift->value);
  const auto mentions = [](const CellResult& cell, const std::string& text) {
    for (const std::string& note : cell.assumptions) {
      if (note.find(text) != std::string::npos) {
        return true;
      }
    }
    return false;
  };
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
  const Results results = analyze_conversion(dataset, options_with(2'000, 1));

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

} // namespace
} // namespace reckon::analysis
