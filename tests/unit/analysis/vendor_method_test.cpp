#include "reckon/analysis/vendor_method.hpp"

#include "analysis/vendor_formulas.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace reckon::analysis {
namespace {

using detail::ArmCount;

// The seed's example counts: 3.2 % of 5,420 and 4.1 % of 5,380 (173 and 221 conversions).
constexpr ArmCount k_control{173, 5420};
constexpr ArmCount k_variant{221, 5380};

// Reference values computed with mpmath at 40 digits (Evan Miller's sum for the Bayesian
// probability, the regularised incomplete beta for Student's t and the Beta quantiles).
TEST(VendorFormulas, ConfidencesMatchHighPrecisionReferences) {
  const auto confidence = [](VendorTest test) {
    return detail::vendor_confidence(test, k_control, k_variant);
  };
  EXPECT_NEAR(confidence(VendorTest::z_pooled_two_sided), 0.98886624093932628, 1e-13);
  EXPECT_NEAR(confidence(VendorTest::z_unpooled_two_sided), 0.98885420391159579, 1e-13);
  EXPECT_NEAR(confidence(VendorTest::z_pooled_one_sided), 0.99443312046966314, 1e-13);
  EXPECT_NEAR(confidence(VendorTest::z_unpooled_one_sided), 0.99442710195579789, 1e-13);
  EXPECT_NEAR(confidence(VendorTest::welch_two_sided), 0.98883254802467016, 1e-12);
  EXPECT_NEAR(confidence(VendorTest::welch_one_sided), 0.99441627401233508, 1e-12);
  EXPECT_NEAR(confidence(VendorTest::bayes_beta_uniform), 0.99442456611358693, 1e-12);
}

TEST(VendorFormulas, IntervalsAt90PercentMatchReferences) {
  const auto wald = detail::vendor_interval(VendorInterval::wald, 0.90, k_control);
  EXPECT_NEAR(wald.low, 0.027991403137772427, 1e-14);
  EXPECT_NEAR(wald.high, 0.035846235238611336, 1e-14);
  const auto wilson = detail::vendor_interval(VendorInterval::wilson, 0.90, k_control);
  EXPECT_NEAR(wilson.low, 0.028218982982705708, 1e-14);
  EXPECT_NEAR(wilson.high, 0.036085733668381489, 1e-14);
  const auto beta = detail::vendor_interval(VendorInterval::beta, 0.90, k_control);
  EXPECT_NEAR(beta.low, 0.028255388637992696, 1e-12);
  EXPECT_NEAR(beta.high, 0.036123780861307151, 1e-12);
}

double rounded(double value) {
  return std::round(value * 10.0) / 10.0;
}

// A platform experiment as parse_platform builds it, its figures made the way this test's
// vendor makes them: Wald 90 % intervals, two-sided unpooled z, improvement from the counts,
// significance at 95, everything a percentage with one decimal. `confidence_offset` plants a
// vendor bug.
model::Experiment platform_experiment(const std::string& id, ArmCount control, ArmCount variant,
                                      double confidence_offset = 0.0) {
  model::Experiment experiment;
  experiment.id = id;
  experiment.name = id;
  experiment.source = "platform";
  experiment.variations = {{"var_c", "control", true, 50.0}, {"var_t", "treatment", false, 50.0}};
  model::CountsCell cell{model::Slice::overall(), {}, id};
  const double z90 = 1.6448536269514722;
  const auto rate = [](ArmCount arm) {
    return static_cast<double>(arm.conversions) / static_cast<double>(arm.visitors);
  };
  for (const ArmCount arm : {control, variant}) {
    const double p = rate(arm);
    const double half = z90 * std::sqrt(p * (1.0 - p) / static_cast<double>(arm.visitors));
    model::ReportedMetric reported;
    reported.name = "conversion_rate";
    reported.value = rounded(100.0 * p) / 100.0;
    reported.ci_low = rounded(100.0 * (p - half)) / 100.0;
    reported.ci_high = rounded(100.0 * (p + half)) / 100.0;
    model::ArmCounts counts;
    counts.variation_id = cell.arms.empty() ? "var_c" : "var_t";
    counts.visitors = arm.visitors;
    counts.conversions = arm.conversions;
    counts.reported.push_back(reported);
    cell.arms.push_back(counts);
  }
  const double pc = rate(control);
  const double pt = rate(variant);
  const double se = std::sqrt(pc * (1.0 - pc) / static_cast<double>(control.visitors) +
                              pt * (1.0 - pt) / static_cast<double>(variant.visitors));
  const double confidence = rounded(100.0 * std::erf(std::abs(pt - pc) / se / std::sqrt(2.0)));
  model::ReportedMetric& comparison = cell.arms[1].reported.front();
  comparison.uplift = model::ReportedUplift{rounded(100.0 * (pt / pc - 1.0)) / 100.0, {}, {}, {}};
  comparison.confidence = (confidence + confidence_offset) / 100.0;
  comparison.significant = confidence >= 95.0;
  experiment.cells.push_back(cell);
  return experiment;
}

model::Dataset account(double planted_offset) {
  model::Dataset dataset;
  dataset.experiments = {platform_experiment("small", {20, 400}, {31, 410}),
                         platform_experiment("high-rate", {145, 1200}, {160, 1190}),
                         platform_experiment("tiny", {9, 150}, {17, 155}),
                         platform_experiment("seed", k_control, k_variant),
                         platform_experiment("bugged", {210, 4200}, {273, 4190}, planted_offset)};
  model::Experiment draft;
  draft.id = "draft";
  draft.source = "platform";
  draft.variations = {{"a", "control", true, {}}, {"b", "treatment", false, {}}};
  dataset.experiments.push_back(draft);
  model::Experiment other = platform_experiment("elsewhere", {20, 400}, {31, 410}, 40.0);
  other.source = "intelligems"; // another source's figures are not the platform's
  dataset.experiments.push_back(other);
  return dataset;
}

const AspectFit& aspect(const VendorMethodReport& report, std::string_view name) {
  const auto found = std::find_if(report.aspects.begin(), report.aspects.end(),
                                  [&](const AspectFit& a) { return a.aspect == name; });
  EXPECT_NE(found, report.aspects.end()) << name;
  return *found;
}

bool tied(const AspectFit& fit, std::size_t candidate) {
  return std::find(fit.tied.begin(), fit.tied.end(), candidate) != fit.tied.end();
}

TEST(VendorMethod, IdentifiesTheMethodThatMadeTheFiguresAndFlagsOnlyThePlantedBug) {
  const auto report = identify_vendor_method(account(-35.0), "platform");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->experiments, 5U);
  EXPECT_EQ(report->rate_decimals, 1);
  EXPECT_EQ(report->confidence_decimals, 1);
  ASSERT_EQ(report->not_checked.size(), 1U);
  EXPECT_EQ(report->not_checked[0].first, "draft");
  EXPECT_EQ(report->not_checked[0].second, "no results (a draft, or results not fetched)");

  // Two-sided z, unpooled (index 1) fits every honest confidence; the one-sided tests and the
  // Bayesian probability do not.
  const AspectFit& test = aspect(*report, "confidence");
  EXPECT_EQ(test.candidates[1].reproduced, 4U);
  EXPECT_EQ(test.candidates[1].figures, 5U);
  EXPECT_TRUE(tied(test, 1));
  for (const std::size_t one_sided : {2U, 3U, 5U, 6U}) {
    EXPECT_FALSE(tied(test, one_sided)) << test.candidates[one_sided].candidate;
  }
  EXPECT_TRUE(report->test == VendorTest::z_pooled_two_sided ||
              report->test == VendorTest::z_unpooled_two_sided ||
              report->test == VendorTest::welch_two_sided);

  const AspectFit& intervals = aspect(*report, "intervals");
  EXPECT_EQ(report->interval, VendorInterval::wald);
  EXPECT_DOUBLE_EQ(report->interval_level, 0.90);
  EXPECT_EQ(intervals.candidates[intervals.best].reproduced, 20U);
  EXPECT_EQ(intervals.tied, std::vector<std::size_t>{0});
  EXPECT_EQ(report->improvement, ImprovementBasis::counts);
  EXPECT_DOUBLE_EQ(report->significance_threshold, 0.95);

  ASSERT_EQ(report->drift.size(), 1U);
  EXPECT_EQ(report->drift[0].experiment_id, "bugged");
  EXPECT_EQ(report->drift[0].variation_id, "var_t");
  EXPECT_EQ(report->drift[0].field, "confidence");
  EXPECT_EQ(report->reproduced() + 1, report->figures());
}

TEST(VendorMethod, AnHonestAccountHasNoDrift) {
  const auto report = identify_vendor_method(account(0.0), "platform");
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->drift.empty());
  EXPECT_EQ(report->reproduced(), report->figures());
  EXPECT_EQ(report->figures(), 5U * 7U); // 4 bounds, improvement, confidence, significance
}

// The seed's own example fits a two-sided test with 90 % Wald intervals, not a one-sided one.
TEST(VendorMethod, TheSeedExampleIsTwoSidedWithWald90Intervals) {
  model::Experiment seed = platform_experiment("exp_12345", k_control, k_variant);
  model::ReportedMetric& control = seed.cells[0].arms[0].reported[0];
  model::ReportedMetric& variant = seed.cells[0].arms[1].reported[0];
  control.value = 0.032;
  control.ci_low = 0.028;
  control.ci_high = 0.036;
  variant.value = 0.041;
  variant.ci_low = 0.037;
  variant.ci_high = 0.045;
  variant.uplift->value = 0.281;
  variant.confidence = 0.985;
  variant.significant = true;
  model::Dataset dataset;
  dataset.experiments.push_back(seed);
  const auto report = identify_vendor_method(dataset, "platform");
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->drift.empty());
  const AspectFit& test = aspect(*report, "confidence");
  EXPECT_EQ(test.candidates[0].reproduced, 1U); // two-sided z, pooled
  EXPECT_EQ(test.candidates[2].reproduced, 0U); // one-sided z: 98.7 % at the least
  EXPECT_EQ(test.candidates[6].reproduced, 0U); // Bayesian
  EXPECT_EQ(report->interval, VendorInterval::wald);
  EXPECT_DOUBLE_EQ(report->interval_level, 0.90);
}

TEST(VendorMethod, NothingToIdentifyWithoutTheSourcesFigures) {
  EXPECT_FALSE(identify_vendor_method(account(0.0), "bandit").has_value());
}

} // namespace
} // namespace reckon::analysis
