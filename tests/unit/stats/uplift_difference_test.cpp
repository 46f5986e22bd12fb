#include "reckon/stats/parallel.hpp"
#include "reckon/stats/uplift_difference.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>

namespace reckon::stats {
namespace {

// With log-normal arms every ratio R = v / c is log-normal, log R ~ N(m, s^2) with
// m = mu_v - mu_c and s^2 = sigma_v^2 + sigma_c^2, and u = R - 1. So P(u2 > u1) =
// Phi((m2 - m1) / sqrt(s1^2 + s2^2)) in closed form, and the difference D = R2 - R1 has
// F(x) = E_z[Phi((log(exp(m1 + s1 z) + x) - m2) / s2)], one-dimensional quadrature.
const ArmPair k_first{LogNormalParams{0.0, 0.05}, LogNormalParams{0.02, 0.05}};
const ArmPair k_second{LogNormalParams{0.0, 0.04}, LogNormalParams{0.08, 0.06}};

struct LogRatio {
  double mean;
  double sd;
};

LogRatio log_ratio(const ArmPair& pair) {
  const auto& control = std::get<LogNormalParams>(pair.control);
  const auto& variant = std::get<LogNormalParams>(pair.variant);
  return {variant.log_location - control.log_location,
          std::hypot(variant.log_scale, control.log_scale)};
}

double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

// F(x) by the trapezoid rule over z in [-9, 9]: the integrand is smooth, and the tails beyond
// hold less than 1e-18 of the mass.
double difference_cdf(LogRatio first, LogRatio second, double x) {
  constexpr int k_steps = 20000;
  constexpr double k_edge = 9.0;
  const double step = 2.0 * k_edge / k_steps;
  double sum = 0.0;
  for (int i = 0; i <= k_steps; ++i) {
    const double z = -k_edge + step * i;
    const double shifted = std::exp(first.mean + first.sd * z) + x;
    const double inner =
        shifted <= 0.0 ? 0.0 : normal_cdf((std::log(shifted) - second.mean) / second.sd);
    const double weight = (i == 0 || i == k_steps) ? 0.5 : 1.0;
    sum += weight * inner * std::exp(-0.5 * z * z);
  }
  return sum * step / std::sqrt(2.0 * M_PI);
}

double difference_quantile(LogRatio first, LogRatio second, double p) {
  double low = -2.0;
  double high = 2.0;
  for (int i = 0; i < 200 && high - low > 1e-13; ++i) {
    const double mid = 0.5 * (low + high);
    (difference_cdf(first, second, mid) < p ? low : high) = mid;
  }
  return 0.5 * (low + high);
}

TEST(UpliftDifference, MatchesTheLogNormalClosedFormAndQuadrature) {
  const SamplingPlan plan{400'000, 11, 0.95};
  const auto found =
      compare_uplift_difference(k_first, k_second, plan, 99, Direction::higher_is_better);
  ASSERT_TRUE(found.has_value());
  const LogRatio first = log_ratio(k_first);
  const LogRatio second = log_ratio(k_second);
  const double exact_prob =
      normal_cdf((second.mean - first.mean) / std::hypot(first.sd, second.sd));
  EXPECT_NEAR(exact_prob, 0.723774, 1e-6); // a case far from 0 and 1
  EXPECT_NEAR(found->prob_second_better.value, exact_prob,
              4.0 * found->prob_second_better.standard_error);
  EXPECT_NEAR(found->median, difference_quantile(first, second, 0.5), 4.0 * found->median_se);
  EXPECT_NEAR(found->interval.low, difference_quantile(first, second, 0.025),
              4.0 * found->interval_se.low);
  EXPECT_NEAR(found->interval.high, difference_quantile(first, second, 0.975),
              4.0 * found->interval_se.high);
  EXPECT_GT(found->interval_se.low, 0.0);
  EXPECT_LT(found->interval_se.high, 0.005);
}

TEST(UpliftDifference, LowerIsBetterCountsTheOtherSideOfTheSameDraws) {
  const SamplingPlan plan{50'000, 3, 0.9};
  const auto higher =
      compare_uplift_difference(k_first, k_second, plan, 5, Direction::higher_is_better);
  const auto lower =
      compare_uplift_difference(k_first, k_second, plan, 5, Direction::lower_is_better);
  ASSERT_TRUE(higher && lower);
  const double draws = static_cast<double>(plan.draws);
  EXPECT_EQ(std::lround(higher->prob_second_better.value * draws) +
                std::lround(lower->prob_second_better.value * draws),
            std::lround(draws));
  EXPECT_EQ(higher->median, lower->median);
}

TEST(UpliftDifference, BetaArmsGiveTheSameBitsOnAnyThreadCount) {
  const ArmPair weekday{BetaParams{301, 9701}, BetaParams{311, 9691}};
  const ArmPair weekend{BetaParams{121, 3881}, BetaParams{171, 3831}};
  const SamplingPlan plan{70'001, 8, 0.95}; // a partial last chunk
  std::optional<UpliftDifference> one;
  std::optional<UpliftDifference> two;
  {
    const ThreadLimit limit(1);
    one = compare_uplift_difference(weekday, weekend, plan, 17, Direction::higher_is_better);
  }
  {
    const ThreadLimit limit(2);
    two = compare_uplift_difference(weekday, weekend, plan, 17, Direction::higher_is_better);
  }
  ASSERT_TRUE(one && two);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(one->prob_second_better.value),
            std::bit_cast<std::uint64_t>(two->prob_second_better.value));
  EXPECT_EQ(std::bit_cast<std::uint64_t>(one->interval.low),
            std::bit_cast<std::uint64_t>(two->interval.low));
  EXPECT_EQ(std::bit_cast<std::uint64_t>(one->interval.high),
            std::bit_cast<std::uint64_t>(two->interval.high));
  // The weekend's planted +40 % against a flat weekday is clear.
  EXPECT_GT(one->prob_second_better.value, 0.95);
  EXPECT_GT(one->median, 0.2);
}

} // namespace
} // namespace reckon::stats
