#include "reckon/stats/trend.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace reckon::stats {
namespace {

TEST(WeightedTrend, EqualWeightsMatchHandComputedValues) {
  // x = 0, 1, 2; y = 1, 2, 4: slope 3/2 with variance 1/2; Q = 42/9 on two degrees of freedom,
  // whose upper tail is exp(-Q/2).
  const std::array<double, 3> x{0, 1, 2};
  const std::array<double, 3> y{1, 2, 4};
  const std::array<double, 3> w{1, 1, 1};
  const auto trend = weighted_trend(x, y, w);
  ASSERT_TRUE(trend);
  EXPECT_EQ(trend->points, 3U);
  EXPECT_NEAR(trend->slope, 1.5, 1e-15);
  EXPECT_NEAR(trend->slope_se, std::sqrt(0.5), 1e-15);
  EXPECT_NEAR(trend->p_value, 0.033894853524689274, 1e-14);
  EXPECT_NEAR(trend->weighted_mean, 7.0 / 3.0, 1e-15);
  EXPECT_NEAR(trend->q, 42.0 / 9.0, 1e-14);
  EXPECT_NEAR(trend->q_p_value, std::exp(-21.0 / 9.0), 1e-14);
}

TEST(WeightedTrend, WeightsPullTheLineTowardThePreciseDays) {
  // Weighted means 1.5 and 7/6; Sxx = 5.5, Sxy = 4.5.
  const std::array<double, 4> x{0, 1, 2, 3};
  const std::array<double, 4> y{0, 1, 1, 3};
  const std::array<double, 4> w{1, 2, 2, 1};
  const auto trend = weighted_trend(x, y, w);
  ASSERT_TRUE(trend);
  EXPECT_NEAR(trend->slope, 4.5 / 5.5, 1e-15);
  EXPECT_NEAR(trend->slope_se, std::sqrt(1.0 / 5.5), 1e-15);
  EXPECT_NEAR(trend->weighted_mean, 7.0 / 6.0, 1e-15);
}

TEST(WeightedTrend, NeedsThreeDistinctDays) {
  const std::array<double, 2> two{0, 1};
  EXPECT_FALSE(weighted_trend(two, two, two));
  const std::array<double, 3> same{2, 2, 2};
  const std::array<double, 3> y{1, 2, 3};
  EXPECT_FALSE(weighted_trend(same, y, y));
}

TEST(NormalQuantile, MatchesTabulatedValues) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-15);
  EXPECT_NEAR(normal_quantile(0.05), -1.6448536269514722, 1e-14);
}

TEST(SpearmanCorrelation, MatchesHandComputedRanksAndStudentT) {
  // Rank differences -1, 1, -1, 1, 0: rho = 1 - 6 * 4 / (5 * 24) = 0.8; t = 0.8 sqrt(3 / 0.36)
  // on 3 degrees of freedom, whose distribution function has a closed form.
  const std::array<double, 5> x{10, 20, 30, 40, 50};
  const std::array<double, 5> y{0.2, 0.1, 0.4, 0.3, 0.5};
  const auto found = spearman_correlation(x, y);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->n, 5U);
  EXPECT_NEAR(found->rho, 0.8, 1e-15);
  EXPECT_NEAR(found->p_value, 0.10408803866182792, 1e-12);
}

TEST(SpearmanCorrelation, TiesTakeTheirAverageRank) {
  // Ranks of y: 1.5, 1.5, 3.5, 3.5; r = 4 / sqrt(5 * 4).
  const std::array<double, 4> x{1, 2, 3, 4};
  const std::array<double, 4> y{7, 7, 9, 9};
  const auto found = spearman_correlation(x, y);
  ASSERT_TRUE(found);
  EXPECT_NEAR(found->rho, 4.0 / std::sqrt(20.0), 1e-15);
  const std::array<double, 4> flat{3, 3, 3, 3};
  EXPECT_FALSE(spearman_correlation(x, flat));
}

} // namespace
} // namespace reckon::stats
