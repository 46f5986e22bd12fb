#include "reckon/stats/gaussian_effect.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

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

// Two arms: p2bb is the chance to win itself, and the losses are gbstats' risks, whichever
// arm is the control and whichever way is better.
TEST(CompareGaussianArms, TwoArmsAreTheEffectInClosedForm) {
  const MeanEstimate a = *proportion_estimate(49, 100);
  const MeanEstimate b = *proportion_estimate(51, 100);
  for (const Direction direction : {Direction::higher_is_better, Direction::lower_is_better}) {
    for (const std::size_t control : {0U, 1U}) {
      const std::vector<MeanEstimate> arms = control == 0 ? std::vector{a, b} : std::vector{b, a};
      const auto result = compare_gaussian_arms(arms, control, 0.95, direction);
      ASSERT_TRUE(result);
      EffectOptions options;
      options.direction = direction;
      const GaussianEffect effect = *gaussian_effect(arms[control], arms[1 - control], options);
      const GaussianArm& variant = (*result)[1 - control];
      const GaussianArm& base = (*result)[control];
      ASSERT_TRUE(variant.effect);
      EXPECT_FALSE(base.effect);
      EXPECT_EQ(variant.prob_best, variant.effect->chance_to_win);
      EXPECT_EQ(variant.prob_best, effect.chance_to_win);
      EXPECT_NEAR(base.prob_best, 1.0 - variant.prob_best, 1e-16);
      EXPECT_EQ(variant.expected_loss, effect.risk_ship_variant);
      EXPECT_EQ(base.expected_loss, effect.risk_keep_control);
    }
  }
}

// A third arm with no chance of being best changes nothing: the quadrature of the joint model
// reproduces the two-arm closed forms.
TEST(CompareGaussianArms, AHopelessThirdArmLeavesTheTwoArmAnswers) {
  const MeanEstimate control = *sample_mean_estimate(10, 100.0, 1002.25);
  const MeanEstimate variant = *sample_mean_estimate(10, 105.0, 1111.5);
  const MeanEstimate hopeless{1.0, 1e-4};
  const std::vector<MeanEstimate> arms{control, variant, hopeless};
  const auto three = compare_gaussian_arms(arms, 0, 0.95, Direction::higher_is_better);
  const auto two =
      compare_gaussian_arms(std::span(arms).first(2), 0, 0.95, Direction::higher_is_better);
  ASSERT_TRUE(three && two);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_NEAR((*three)[i].prob_best, (*two)[i].prob_best, 1e-12);
    EXPECT_NEAR((*three)[i].expected_loss, (*two)[i].expected_loss, 1e-12);
  }
  EXPECT_EQ((*three)[2].prob_best, 0.0);
  EXPECT_EQ((*three)[1].effect->chance_to_win, (*two)[1].effect->chance_to_win);
}

// Draws the arms' means independently and maps them through the same first-order (delta)
// expansion of the relative lift, L_i = m_i + (x_i - mu_i) / |mu_c| - sign(mu_c) mu_i
// (x_c - mu_c) / mu_c^2: a route to the joint model that shares nothing with the quadrature.
struct BruteForce {
  std::vector<double> prob_best;
  std::vector<double> expected_loss;
  std::vector<double> loss_error; // the standard error of each loss
};

BruteForce simulate_lifts(const std::vector<MeanEstimate>& arms, std::size_t control,
                          Direction direction, std::size_t draws) {
  std::mt19937_64 engine(20'261'206);
  std::normal_distribution<double> normal;
  const double mu_c = arms[control].mean;
  const double sign = direction == Direction::higher_is_better ? 1.0 : -1.0;
  BruteForce out{std::vector<double>(arms.size()), std::vector<double>(arms.size()),
                 std::vector<double>(arms.size())};
  std::vector<double> lift(arms.size());
  for (std::size_t n = 0; n < draws; ++n) {
    const double dc = std::sqrt(arms[control].variance) * normal(engine);
    for (std::size_t i = 0; i < arms.size(); ++i) {
      const double di = i == control ? 0.0 : std::sqrt(arms[i].variance) * normal(engine);
      lift[i] = i == control ? 0.0
                             : (arms[i].mean - mu_c) / std::abs(mu_c) + di / std::abs(mu_c) -
                                   std::copysign(1.0, mu_c) * arms[i].mean * dc / (mu_c * mu_c);
      lift[i] *= sign;
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < arms.size(); ++i) {
      best = lift[i] > lift[best] ? i : best;
    }
    out.prob_best[best] += 1.0;
    for (std::size_t i = 0; i < arms.size(); ++i) {
      double other = -std::numeric_limits<double>::infinity();
      for (std::size_t j = 0; j < arms.size(); ++j) {
        other = j == i ? other : std::max(other, lift[j]);
      }
      const double loss = std::max(other - lift[i], 0.0);
      out.expected_loss[i] += loss;
      out.loss_error[i] += loss * loss;
    }
  }
  for (std::size_t i = 0; i < arms.size(); ++i) {
    out.prob_best[i] /= static_cast<double>(draws);
    const double n = static_cast<double>(draws);
    out.expected_loss[i] /= n;
    const double mean_square = out.loss_error[i] / n;
    out.loss_error[i] = std::sqrt((mean_square - out.expected_loss[i] * out.expected_loss[i]) / n);
  }
  return out;
}

// Four arms whose variants are close enough for every arm to have a real chance: p2bb sums to
// 1, and both p2bb and the loss agree with the brute-force simulation within 4.5 of its
// standard errors.
TEST(CompareGaussianArms, FourArmsMatchASimulationOfTheJointLifts) {
  const std::vector<MeanEstimate> arms{
      *proportion_estimate(100, 1000), *proportion_estimate(120, 1000),
      *proportion_estimate(110, 900), *proportion_estimate(95, 1100)};
  constexpr std::size_t draws = 400'000;
  for (const Direction direction : {Direction::higher_is_better, Direction::lower_is_better}) {
    for (const std::size_t control : {0U, 2U}) {
      SCOPED_TRACE(control);
      const auto result = compare_gaussian_arms(arms, control, 0.95, direction);
      ASSERT_TRUE(result);
      const BruteForce check = simulate_lifts(arms, control, direction, draws);
      double total = 0.0;
      for (std::size_t i = 0; i < arms.size(); ++i) {
        const GaussianArm& arm = (*result)[i];
        total += arm.prob_best;
        EXPECT_EQ(arm.effect.has_value(), i != control);
        const double p = check.prob_best[i];
        EXPECT_NEAR(arm.prob_best, p, 4.5 * std::sqrt(p * (1 - p) / draws) + 1e-9) << i;
        EXPECT_NEAR(arm.expected_loss, check.expected_loss[i], 4.5 * check.loss_error[i]) << i;
        EXPECT_GT(arm.expected_loss, 0.0);
      }
      EXPECT_NEAR(total, 1.0, 1e-9);
    }
  }
}

// E[max of the others - L_i] = E[max of all] - E[L_i]: the losses differ by the lifts' means.
TEST(CompareGaussianArms, LossesDifferByTheLifts) {
  const std::vector<MeanEstimate> arms{*sample_mean_estimate(100, 270, 848.79),
                                       *sample_mean_estimate(120, 300, 869),
                                       *sample_mean_estimate(90, 260, 900)};
  const auto result = compare_gaussian_arms(arms, 0, 0.95, Direction::higher_is_better);
  ASSERT_TRUE(result);
  for (std::size_t i = 1; i < arms.size(); ++i) {
    EXPECT_NEAR((*result)[0].expected_loss - (*result)[i].expected_loss,
                (*result)[i].effect->lift.mean, 1e-10);
  }
  EXPECT_FALSE(compare_gaussian_arms(std::vector<MeanEstimate>{{0.0, 1.0}, {1.0, 1.0}, {2.0, 1.0}},
                                     0, 0.95, Direction::higher_is_better));
}

} // namespace
} // namespace reckon::stats
