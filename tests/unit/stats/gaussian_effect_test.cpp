#include "reckon/stats/gaussian_effect.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace reckon::stats {
namespace {

// z Phi(z) + phi(z) at 50 digits (mpmath), across the switch to the continued fraction at -5.
TEST(ExpectedPositivePart, MatchesHighPrecisionValuesInTheLowerTail) {
  struct Case {
    double z;
    double value;
  };
  const Case cases[] = {{-1.0, 0.083315470587686298383},    {-4.99, 5.6403760970256249961e-8},
                        {-5.0, 5.3461655338328149539e-8},   {-5.01, 5.0668251394237854645e-8},
                        {-6.0, 1.5635697959709664279e-10},  {-10.0, 7.4745602545893280366e-25},
                        {-20.0, 1.3700124947295799431e-90}, {-30.0, 1.6319567340914011894e-199},
                        {-37.0, 1.5451991905122024593e-301}};
  for (const Case& c : cases) {
    EXPECT_NEAR(expected_positive_part(c.z, 1.0), c.value, 1e-13 * c.value) << "z = " << c.z;
  }
}

TEST(ExpectedPositivePart, ScalesWithTheSdAndNeverLeavesTheRealLine) {
  EXPECT_NEAR(expected_positive_part(-0.3, 0.1), 0.1 * expected_positive_part(-3.0, 1.0), 1e-17);
  const double far = expected_positive_part(-40.0, 1.0);
  EXPECT_TRUE(std::isfinite(far));
  EXPECT_GE(far, 0.0);
  EXPECT_LT(far, 1e-300);
  EXPECT_EQ(expected_positive_part(-1e6, 1.0), 0.0);
  EXPECT_NEAR(expected_positive_part(50.0, 1.0), 50.0, 1e-12);
}

// max(x, 0) - max(-x, 0) = x, so the two risks differ by the mean.
TEST(ExpectedPositivePart, PositiveAndNegativePartsDifferByTheMean) {
  for (const double mean : {-2.0, -0.3, 0.0, 0.04, 1.5}) {
    const double sd = 0.7;
    EXPECT_NEAR(expected_positive_part(mean, sd) - expected_positive_part(-mean, sd), mean, 1e-15);
  }
}

TEST(NormalTwoSidedZ, KnownQuantiles) {
  EXPECT_NEAR(normal_two_sided_z(0.95), 1.959963984540054, 1e-15);
  EXPECT_NEAR(normal_two_sided_z(0.8), 1.2815515655446004, 1e-15);
  EXPECT_NEAR(normal_two_sided_z(0.99), 2.5758293035489004, 1e-14);
}

TEST(MeanEstimates, ProportionUsesPTimesOneMinusPWithoutCorrection) {
  const auto p = proportion_estimate(49, 100);
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->mean, 0.49);
  EXPECT_DOUBLE_EQ(p->variance, 0.49 * 0.51 / 100);
  EXPECT_FALSE(proportion_estimate(1, 0));
  EXPECT_FALSE(proportion_estimate(5, 4));
  EXPECT_EQ(proportion_estimate(0, 10)->variance, 0.0);
}

TEST(MeanEstimates, SampleMeanUsesTheNMinusOneVariance) {
  // 1, 2, 3, 4, 5: mean 3, sample variance 2.5.
  const auto m = sample_mean_estimate(5, 15.0, 55.0);
  ASSERT_TRUE(m);
  EXPECT_DOUBLE_EQ(m->mean, 3.0);
  EXPECT_DOUBLE_EQ(m->variance, 2.5 / 5);
  EXPECT_FALSE(sample_mean_estimate(1, 3.0, 9.0));
  EXPECT_FALSE(sample_mean_estimate(3, std::numeric_limits<double>::infinity(), 1.0));
  // Inconsistent sums (sum_sq below sum^2 / n) clamp to zero variance.
  EXPECT_EQ(sample_mean_estimate(2, 10.0, 1.0)->variance, 0.0);
}

// The ratio of two columns equals a plain mean when the denominator is 1 for every unit.
TEST(MeanEstimates, RatioWithUnitDenominatorIsTheSampleMean) {
  const auto ratio = ratio_estimate(RatioSums{5, 15.0, 55.0, 5.0, 5.0, 15.0});
  const auto mean = sample_mean_estimate(5, 15.0, 55.0);
  ASSERT_TRUE(ratio && mean);
  EXPECT_DOUBLE_EQ(ratio->mean, mean->mean);
  EXPECT_NEAR(ratio->variance, mean->variance, 1e-15);
  EXPECT_FALSE(ratio_estimate(RatioSums{5, 15.0, 55.0, 0.0, 0.0, 0.0}));
  EXPECT_FALSE(ratio_estimate(RatioSums{1, 1.0, 1.0, 1.0, 1.0, 1.0}));
}

TEST(MeanEstimates, PerVisitorValueAddsOrderAndConversionVariance) {
  // p = 0.03, m = 80, s = 60: p s^2 + p (1 - p) m^2 = 108 + 186.24, times n / (n - 1).
  const auto rpv = per_visitor_value_estimate(10'000, 300, 24'000.0, 60.0);
  ASSERT_TRUE(rpv);
  EXPECT_DOUBLE_EQ(rpv->mean, 2.4);
  EXPECT_NEAR(rpv->variance, 294.24 / 9'999, 1e-15);
  // The same as the sample mean of per-visitor sums with sum_sq = orders (s^2 + m^2).
  const auto sums = sample_mean_estimate(10'000, 24'000.0, 300 * (3600.0 + 6400.0));
  EXPECT_NEAR(rpv->variance, sums->variance, 1e-15);
  EXPECT_EQ(per_visitor_value_estimate(100, 0, 0.0, 10.0)->variance, 0.0);
  EXPECT_FALSE(per_visitor_value_estimate(1, 0, 0.0, 1.0));
  EXPECT_FALSE(per_visitor_value_estimate(10, 11, 5.0, 1.0));
  EXPECT_FALSE(per_visitor_value_estimate(10, 1, 5.0, -1.0));
}

TEST(LiftEstimate, RelativeAndAbsoluteDeltaMethod) {
  const MeanEstimate control{2.0, 0.01};
  const MeanEstimate variant{2.5, 0.04};
  const auto relative = lift_estimate(control, variant, LiftScale::relative);
  ASSERT_TRUE(relative);
  EXPECT_DOUBLE_EQ(relative->mean, 0.25);
  EXPECT_NEAR(relative->sd, std::sqrt(0.01 * 6.25 / 16 + 0.04 / 4), 1e-15);
  const auto absolute = lift_estimate(control, variant, LiftScale::absolute);
  ASSERT_TRUE(absolute);
  EXPECT_DOUBLE_EQ(absolute->mean, 0.5);
  EXPECT_NEAR(absolute->sd, std::sqrt(0.05), 1e-15);
}

// A negative baseline (profit) keeps the lift's sign: from -10 to -5 is an improvement.
TEST(LiftEstimate, NegativeBaselineUsesItsAbsoluteValue) {
  const auto lift = lift_estimate({-10.0, 1.0}, {-5.0, 1.0}, LiftScale::relative);
  ASSERT_TRUE(lift);
  EXPECT_DOUBLE_EQ(lift->mean, 0.5);
}

TEST(LiftEstimate, DegenerateInputsGiveNothing) {
  EXPECT_FALSE(lift_estimate({0.0, 1.0}, {1.0, 1.0}, LiftScale::relative));
  EXPECT_TRUE(lift_estimate({0.0, 1.0}, {1.0, 1.0}, LiftScale::absolute));
  EXPECT_FALSE(lift_estimate({1.0, 0.0}, {1.0, 1.0}, LiftScale::relative));
  EXPECT_FALSE(lift_estimate({1.0, 1.0}, {1.0, 0.0}, LiftScale::absolute));
  EXPECT_FALSE(lift_estimate({1e-200, 1.0}, {1.0, 1.0}, LiftScale::relative));
}

TEST(GaussianEffect, FlatPriorKeepsTheDataAndItsInterval) {
  const MeanEstimate control{2.0, 0.01};
  const MeanEstimate variant{2.2, 0.012};
  const auto data = lift_estimate(control, variant, LiftScale::relative);
  const auto effect = gaussian_effect(control, variant);
  ASSERT_TRUE(data && effect);
  EXPECT_EQ(effect->lift.mean, data->mean);
  EXPECT_EQ(effect->lift.sd, data->sd);
  const double z = normal_two_sided_z(0.95);
  EXPECT_DOUBLE_EQ(effect->credible.low, data->mean - z * data->sd);
  EXPECT_DOUBLE_EQ(effect->credible.high, data->mean + z * data->sd);
  EXPECT_NEAR(effect->chance_to_win, 0.5 * std::erfc(-data->mean / data->sd / std::sqrt(2.0)),
              1e-15);
}

// Lower is better: the same lift, the complementary chance and the risks swapped.
TEST(GaussianEffect, LowerIsBetterComplementsAndSwaps) {
  const MeanEstimate control{0.3, 1e-4};
  const MeanEstimate variant{0.28, 1e-4};
  EffectOptions lower;
  lower.direction = Direction::lower_is_better;
  const auto up = gaussian_effect(control, variant);
  const auto down = gaussian_effect(control, variant, lower);
  ASSERT_TRUE(up && down);
  EXPECT_EQ(up->lift.mean, down->lift.mean);
  EXPECT_NEAR(up->chance_to_win + down->chance_to_win, 1.0, 1e-15);
  EXPECT_GT(down->chance_to_win, 0.5);
  EXPECT_EQ(up->risk_keep_control, down->risk_ship_variant);
  EXPECT_EQ(up->risk_ship_variant, down->risk_keep_control);
}

// The prior is stated on the relative scale and rescaled by the baseline for absolute lifts,
// so both scales shrink the data by the same factor.
TEST(GaussianEffect, PriorShrinksBothScalesAlike) {
  const MeanEstimate control{4.0, 0.04};
  const MeanEstimate variant{4.4, 0.05};
  EffectOptions relative;
  relative.prior = LiftPrior{0.0, 0.01};
  EffectOptions absolute = relative;
  absolute.scale = LiftScale::absolute;
  const auto rel_data = lift_estimate(control, variant, LiftScale::relative);
  const auto rel = gaussian_effect(control, variant, relative);
  const auto abs_data = lift_estimate(control, variant, LiftScale::absolute);
  const auto abs = gaussian_effect(control, variant, absolute);
  ASSERT_TRUE(rel_data && rel && abs_data && abs);
  EXPECT_LT(rel->lift.mean, rel_data->mean);
  EXPECT_LT(rel->lift.sd, rel_data->sd);
  const double rel_weight = 0.01 / (0.01 + rel_data->sd * rel_data->sd);
  EXPECT_NEAR(rel->lift.mean, rel_weight * rel_data->mean, 1e-15);
  const double abs_weight = 0.01 * 16 / (0.01 * 16 + abs_data->sd * abs_data->sd);
  EXPECT_NEAR(abs->lift.mean, abs_weight * abs_data->mean, 1e-15);
  // A prior of huge variance is the flat prior in the limit.
  EffectOptions vague;
  vague.prior = LiftPrior{0.0, 1e12};
  EXPECT_NEAR(gaussian_effect(control, variant, vague)->lift.mean, rel_data->mean, 1e-12);
  EffectOptions broken;
  broken.prior = LiftPrior{0.0, 0.0};
  EXPECT_FALSE(gaussian_effect(control, variant, broken));
}

TEST(GaussianEffect, RisksAreTruncatedNormalMeansThatDifferByTheLift) {
  const auto effect = gaussian_effect({1.0, 0.002}, {1.05, 0.002});
  ASSERT_TRUE(effect);
  EXPECT_NEAR(effect->risk_keep_control - effect->risk_ship_variant, effect->lift.mean, 1e-15);
  EXPECT_GT(effect->risk_ship_variant, 0.0);
  // A huge effect: the chance is 1 and the loss of shipping underflows to 0, never NaN.
  const auto certain = gaussian_effect({1.0, 1e-12}, {2.0, 1e-12});
  ASSERT_TRUE(certain);
  EXPECT_EQ(certain->chance_to_win, 1.0);
  EXPECT_EQ(certain->risk_ship_variant, 0.0);
  EXPECT_NEAR(certain->risk_keep_control, 1.0, 1e-12);
}

TEST(GaussianEffect, IntervalsNestAsTheLevelGrows) {
  double previous_width = 0.0;
  for (const double level : {0.5, 0.8, 0.95, 0.99}) {
    EffectOptions options;
    options.level = level;
    const auto effect = gaussian_effect({1.0, 0.01}, {1.1, 0.01}, options);
    ASSERT_TRUE(effect);
    const double width = effect->credible.high - effect->credible.low;
    EXPECT_GT(width, previous_width);
    previous_width = width;
  }
}

} // namespace
} // namespace reckon::stats

namespace reckon::stats {
namespace {

TEST(StudentT, TwoSidedCriticalValuesMatchTablesAndTendToTheNormal) {
  EXPECT_NEAR(student_t_two_sided(0.95, 1.0), 12.706204736174698, 1e-9);
  EXPECT_NEAR(student_t_two_sided(0.95, 10.0), 2.2281388519649385, 1e-9);
  EXPECT_NEAR(student_t_two_sided(0.999999, 1e9), normal_two_sided_z(0.999999), 1e-6);
  // Heavier tails than the Normal at every finite degree of freedom.
  EXPECT_GT(student_t_two_sided(1.0 - 3e-7, 49.0), normal_two_sided_z(1.0 - 3e-7) + 0.5);
}

} // namespace
} // namespace reckon::stats
