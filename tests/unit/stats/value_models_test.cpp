#include "reckon/stats/value_models.hpp"

#include "reckon/stats/gaussian_effect.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace reckon::stats {
namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();

TEST(MeanPosteriorFromInterval, SymmetricLogIntervalIsRecoveredExactly) {
  const double z = normal_two_sided_z(0.95);
  const Interval reported{80.0 * std::exp(-z * 0.12), 80.0 * std::exp(z * 0.12)};
  const auto posterior = mean_posterior_from_interval(80.0, reported, 0.95);
  ASSERT_TRUE(posterior);
  EXPECT_NEAR(posterior->log_location, std::log(80.0), 1e-15);
  EXPECT_NEAR(posterior->log_scale, 0.12, 1e-15);
}

// A slightly lopsided interval (Monte Carlo noise in the source) keeps the median at the
// reported value and averages the two log half-widths.
TEST(MeanPosteriorFromInterval, LopsidedIntervalAveragesTheHalfWidths) {
  const double z = normal_two_sided_z(0.95);
  const Interval reported{100.0 * std::exp(-0.1216), 100.0 * std::exp(0.1211)};
  const auto posterior = mean_posterior_from_interval(100.0, reported, 0.95);
  ASSERT_TRUE(posterior);
  EXPECT_DOUBLE_EQ(posterior->log_location, std::log(100.0));
  EXPECT_NEAR(posterior->log_scale, (0.1216 + 0.1211) / (2 * z), 1e-15);
}

TEST(MeanPosteriorFromInterval, RejectsWhatCannotBeALogNormal) {
  EXPECT_FALSE(mean_posterior_from_interval(10.0, {0.0, 20.0}, 0.95));
  EXPECT_FALSE(mean_posterior_from_interval(10.0, {-1.0, 20.0}, 0.95));
  EXPECT_FALSE(mean_posterior_from_interval(10.0, {10.0, 10.0}, 0.95));
  EXPECT_FALSE(mean_posterior_from_interval(10.0, {12.0, 20.0}, 0.95));
  EXPECT_FALSE(mean_posterior_from_interval(30.0, {12.0, 20.0}, 0.95));
  EXPECT_FALSE(mean_posterior_from_interval(10.0, {5.0, k_inf}, 0.95));
  EXPECT_FALSE(mean_posterior_from_interval(10.0, {5.0, 20.0}, 1.0));
  EXPECT_FALSE(mean_posterior_from_interval(std::nan(""), {5.0, 20.0}, 0.95));
}

TEST(BorrowSpread, WidensByTheSquareRootOfTheOrderRatio) {
  const auto borrowed = borrow_spread({std::log(80.0), 0.05}, 1000, 95.0, 40);
  ASSERT_TRUE(borrowed);
  EXPECT_DOUBLE_EQ(borrowed->log_location, std::log(95.0));
  EXPECT_NEAR(borrowed->log_scale, 0.05 * 5.0, 1e-15);
  EXPECT_FALSE(borrow_spread({0.0, 0.05}, 1000, 95.0, 0));
  EXPECT_FALSE(borrow_spread({0.0, 0.05}, 0, 95.0, 4));
  EXPECT_FALSE(borrow_spread({0.0, 0.05}, 1000, 0.0, 4));
  EXPECT_FALSE(borrow_spread({0.0, 0.0}, 1000, 95.0, 4));
}

TEST(LogNormalFromMeanAndSd, MatchesBothMoments) {
  const auto params = lognormal_from_mean_and_sd(80.0, 6.0);
  ASSERT_TRUE(params);
  const double s2 = params->log_scale * params->log_scale;
  const double mean = std::exp(params->log_location + s2 / 2);
  const double variance = (std::exp(s2) - 1.0) * mean * mean;
  EXPECT_NEAR(mean, 80.0, 1e-12);
  EXPECT_NEAR(std::sqrt(variance), 6.0, 1e-12);
  EXPECT_FALSE(lognormal_from_mean_and_sd(-1.0, 1.0));
  EXPECT_FALSE(lognormal_from_mean_and_sd(1.0, 0.0));
}

// R1's arm A: 300 orders, revenue 24,000, sum of squares 2,996,400: AOV 80, order SD 60 (the
// n - 1 convention), so the mean has standard error 60 / sqrt(300).
TEST(MeanPosteriorFromMoments, UsesTheExactMoments) {
  const auto params = mean_posterior_from_moments(300, 24'000.0, 2'996'400.0);
  ASSERT_TRUE(params);
  const auto expected = lognormal_from_mean_and_sd(80.0, 60.0 / std::sqrt(300.0));
  EXPECT_NEAR(params->log_location, expected->log_location, 1e-14);
  EXPECT_NEAR(params->log_scale, expected->log_scale, 1e-14);
  const auto normal = normal_mean_from_moments(300, 24'000.0, 2'996'400.0);
  ASSERT_TRUE(normal);
  EXPECT_DOUBLE_EQ(normal->mean, 80.0);
  EXPECT_NEAR(normal->sd, 60.0 / std::sqrt(300.0), 1e-12);
}

TEST(MeanPosteriorFromMoments, DegenerateDataGiveNothing) {
  EXPECT_FALSE(mean_posterior_from_moments(1, 80.0, 6400.0));
  EXPECT_FALSE(mean_posterior_from_moments(3, 30.0, 300.0)); // all three equal 10
  EXPECT_FALSE(mean_posterior_from_moments(3, -30.0, 500.0));
  EXPECT_FALSE(mean_posterior_from_moments(3, 30.0, 100.0)); // sum_sq < sum^2 / n
  EXPECT_FALSE(normal_mean_from_moments(1, 80.0, 6400.0));
  EXPECT_FALSE(normal_mean_from_moments(2, 10.0, 50.0));
}

// Profit per order may be negative; the Normal route takes it as it is.
TEST(NormalMeanFromMoments, AcceptsNegativeMeans) {
  // -1, -2, -3, -4, -5.
  const auto normal = normal_mean_from_moments(5, -15.0, 55.0);
  ASSERT_TRUE(normal);
  EXPECT_DOUBLE_EQ(normal->mean, -3.0);
  EXPECT_NEAR(normal->sd, std::sqrt(2.5 / 5), 1e-15);
}

TEST(NormalMeanFromInterval, HalfWidthOverZ) {
  const auto normal = normal_mean_from_interval(-1.0, {-3.0, 1.0}, 0.95);
  ASSERT_TRUE(normal);
  EXPECT_DOUBLE_EQ(normal->mean, -1.0);
  EXPECT_NEAR(normal->sd, 2.0 / normal_two_sided_z(0.95), 1e-15);
  EXPECT_FALSE(normal_mean_from_interval(0.0, {1.0, 1.0}, 0.95));
  EXPECT_FALSE(normal_mean_from_interval(0.0, {-k_inf, 1.0}, 0.95));
  EXPECT_FALSE(normal_mean_from_interval(0.0, {-1.0, 1.0}, 0.0));
}

// The back-out inverts per_visitor_value_estimate's CLT interval exactly.
TEST(OrderValueSdFromRpvInterval, InvertsTheCltInterval) {
  for (const double sd : {20.0, 60.0, 150.0}) {
    const auto rpv = per_visitor_value_estimate(10'000, 300, 24'000.0, sd);
    ASSERT_TRUE(rpv);
    const double half = normal_two_sided_z(0.9) * std::sqrt(rpv->variance);
    const auto backed = order_value_sd_from_rpv_interval(10'000, 300, 24'000.0,
                                                         {rpv->mean - half, rpv->mean + half}, 0.9);
    ASSERT_TRUE(backed);
    EXPECT_NEAR(*backed, sd, 1e-9 * sd);
  }
}

// An interval narrower than the conversion noise alone implies a negative order variance.
TEST(OrderValueSdFromRpvInterval, RejectsIntervalsNarrowerThanConversionNoise) {
  EXPECT_FALSE(order_value_sd_from_rpv_interval(10'000, 300, 24'000.0, {2.35, 2.45}, 0.95));
  EXPECT_FALSE(order_value_sd_from_rpv_interval(10'000, 0, 0.0, {0.0, 1.0}, 0.95));
  EXPECT_FALSE(order_value_sd_from_rpv_interval(1, 1, 5.0, {0.0, 1.0}, 0.95));
  EXPECT_FALSE(order_value_sd_from_rpv_interval(10, 11, 5.0, {0.0, 1.0}, 0.95));
}

} // namespace
} // namespace reckon::stats
