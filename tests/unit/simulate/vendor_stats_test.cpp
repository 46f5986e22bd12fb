#include "reckon/simulate/vendor_stats.hpp"

#include "reckon/stats/beta.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace reckon::simulate {
namespace {

TEST(VendorRound, KeepsSevenDecimalsAndEightSignificantDigits) {
  // The shapes of the captured payload (research/intelligems-api.md §1.4.5).
  EXPECT_EQ(vendor_round(254.0 / 6425.0), 0.0395331);
  EXPECT_EQ(vendor_round(62.98358267716535), 62.983583);
  EXPECT_EQ(vendor_round(2.489934630350195), 2.4899346);
  EXPECT_EQ(vendor_round(-0.11844339), -0.1184434);
  EXPECT_EQ(vendor_round(1234.5678912), 1234.5679);
  EXPECT_EQ(vendor_round(0.0), 0.0);
  EXPECT_FALSE(std::signbit(vendor_round(-1e-12)));
  EXPECT_EQ(round_to(0.71189, 4), 0.7119);
}

TEST(VendorRound, P2bbIsAFourDecimalProbabilityStoredAsFloat32) {
  EXPECT_EQ(vendor_p2bb(0.7119), 0.711899995803833);
  EXPECT_EQ(vendor_p2bb(0.2881), 0.288100004196167);
  EXPECT_EQ(vendor_p2bb(1.0), 1.0);
}

std::vector<VendorArmInput> two_arms(std::uint64_t n_c, std::uint64_t k_c, std::uint64_t n_v,
                                     std::uint64_t k_v) {
  // Order values with mean 60 and sd 60 (CV 1): sum = 60 k, sum of squares = 7200 k.
  const auto arm = [](std::uint64_t n, std::uint64_t k) {
    const double orders = static_cast<double>(k);
    return VendorArmInput{n, k, k, 60.0 * orders, 7200.0 * orders};
  };
  return {arm(n_c, k_c), arm(n_v, k_v)};
}

TEST(VendorStatistics, ConversionMatchesTheBetaPosteriorAndIsInternallyConsistent) {
  // The captured payload's counts: control 238 / 6314, variant 254 / 6425.
  const auto arms = two_arms(6314, 238, 6425, 254);
  const auto cells = vendor_statistics(VendorMetricKind::rate, arms, 0, false, 1, 2);
  ASSERT_EQ(cells.size(), 2U);
  const VendorStatistic& control = cells[0];
  const VendorStatistic& variant = cells[1];
  EXPECT_TRUE(control.is_control);
  EXPECT_EQ(variant.value, 0.0395331);
  EXPECT_EQ(control.value, vendor_round(238.0 / 6314.0));
  EXPECT_EQ(variant.uplift.value, vendor_round((254.0 / 6425.0) / (238.0 / 6314.0) - 1.0));
  // Monte Carlo quantiles of 10,000 draws sit within a few 1e-4 of the exact Beta quantiles.
  const stats::BetaParams beta{255.0, 6425.0 - 254.0 + 1.0};
  EXPECT_NEAR(*variant.ci_low, stats::beta_quantile(beta, 0.025), 3e-4);
  EXPECT_NEAR(*variant.ci_high, stats::beta_quantile(beta, 0.975), 3e-4);
  EXPECT_EQ(*variant.plus_minus, vendor_round((*variant.ci_high - *variant.ci_low) / 2.0));
  // Two arms: probabilities are whole multiples of 1e-4 that add up, and p2bb = p2bc.
  EXPECT_NEAR(*control.p2bb + *variant.p2bb, 1.0, 1e-6);
  EXPECT_NEAR(*variant.p2bb, *variant.p2bc, 1e-6);
  EXPECT_EQ(*variant.p2bc, round_to(*variant.p2bc, 4));
  EXPECT_NEAR(*variant.p2bc, 0.705, 0.02); // the research note's simulated value
  EXPECT_FALSE(control.p2bc);
  EXPECT_FALSE(control.uplift.value);
  ASSERT_TRUE(variant.uplift.ci_low && variant.uplift.ci_high);
  EXPECT_LT(*variant.uplift.ci_low, *variant.uplift.value);
  EXPECT_GT(*variant.uplift.ci_high, *variant.uplift.value);
  EXPECT_NEAR(*variant.uplift.ci_low, -0.1186, 0.01);
  EXPECT_NEAR(*variant.uplift.ci_high, 0.2470, 0.015);
}

TEST(VendorStatistics, OrderValueIntervalIsSymmetricOnTheLogScale) {
  const auto arms = two_arms(6314, 238, 6425, 254);
  const auto cells = vendor_statistics(VendorMetricKind::per_order_value, arms, 0, false, 1, 3);
  const VendorStatistic& variant = cells[1];
  EXPECT_EQ(variant.value, 60.0);
  const double below = std::log(*variant.value / *variant.ci_low);
  const double above = std::log(*variant.ci_high / *variant.value);
  EXPECT_NEAR(below, above, 0.01);
  // CV 1 over 254 orders: log-scale sd sqrt(log(1 + 1/254)), times 1.96.
  EXPECT_NEAR(below, 1.96 * std::sqrt(std::log1p(1.0 / 254.0)), 0.01);
}

TEST(VendorStatistics, RevenuePerVisitorIsConversionTimesOrderValue) {
  const auto arms = two_arms(6314, 238, 6425, 254);
  const auto rpv = vendor_statistics(VendorMetricKind::per_visitor_value, arms, 0, false, 1, 4);
  const auto cr = vendor_statistics(VendorMetricKind::rate, arms, 0, false, 1, 5);
  EXPECT_EQ(rpv[1].value, vendor_round(60.0 * 254.0 / 6425.0));
  // Wider than conversion alone, relative to the value: the order value adds its own spread.
  const double rpv_width = (*rpv[1].ci_high - *rpv[1].ci_low) / *rpv[1].value;
  const double cr_width = (*cr[1].ci_high - *cr[1].ci_low) / *cr[1].value;
  EXPECT_GT(rpv_width, cr_width);
  EXPECT_NEAR(*rpv[1].uplift.value, *cr[1].uplift.value, 1e-6); // equal order values
}

TEST(VendorStatistics, LowDataLeavesEveryProbabilityAndIntervalNull) {
  // 29 orders in one arm: below the 30-event rule.
  const auto arms = two_arms(5000, 29, 5000, 60);
  for (const VendorMetricKind kind : {VendorMetricKind::rate, VendorMetricKind::per_order_value,
                                      VendorMetricKind::per_visitor_value}) {
    const auto cells = vendor_statistics(kind, arms, 0, false, 1, 6);
    for (const VendorStatistic& cell : cells) {
      EXPECT_TRUE(cell.value);
      EXPECT_FALSE(cell.ci_low || cell.ci_high || cell.plus_minus || cell.p2bb || cell.p2bc);
      EXPECT_FALSE(cell.uplift.ci_low || cell.uplift.ci_high || cell.uplift.plus_minus);
    }
    EXPECT_TRUE(cells[1].uplift.value);
  }
  // 99 visitors: below the 100-visitor rule even with enough orders.
  const auto few_visitors =
      vendor_statistics(VendorMetricKind::rate, two_arms(99, 40, 500, 40), 0, false, 1, 7);
  EXPECT_FALSE(few_visitors[0].p2bb);
  // No orders: no order value at all.
  const auto none = vendor_statistics(VendorMetricKind::per_order_value, two_arms(100, 0, 100, 0),
                                      0, false, 1, 8);
  EXPECT_FALSE(none[0].value);
  EXPECT_FALSE(none[1].uplift.value);
}

TEST(VendorStatistics, ThreeArmsGiveProbabilityToBeBestAndToBeatControl) {
  std::vector<VendorArmInput> arms = two_arms(10000, 300, 10000, 360);
  arms.push_back(arms[1]);
  arms[2].events = arms[2].orders = 330;
  const auto cells = vendor_statistics(VendorMetricKind::rate, arms, 0, false, 9, 9);
  double total = 0.0;
  for (const VendorStatistic& cell : cells) {
    total += *cell.p2bb;
  }
  EXPECT_NEAR(total, 1.0, 1e-6);
  // The middle arm very probably beats control but is rarely best.
  EXPECT_GT(*cells[2].p2bc, 0.8);
  EXPECT_LT(*cells[2].p2bb, 0.2);
  // Lower is better flips the ranking.
  const auto flipped = vendor_statistics(VendorMetricKind::rate, arms, 0, true, 9, 9);
  EXPECT_GT(*flipped[0].p2bb, 0.8);
  EXPECT_LT(*flipped[1].p2bc, 0.1);
}

TEST(VendorStatistics, AreFixedBySeedAndStream) {
  const auto arms = two_arms(6314, 238, 6425, 254);
  const auto a = vendor_statistics(VendorMetricKind::rate, arms, 0, false, 1, 2);
  const auto b = vendor_statistics(VendorMetricKind::rate, arms, 0, false, 1, 2);
  const auto c = vendor_statistics(VendorMetricKind::rate, arms, 0, false, 1, 3);
  EXPECT_EQ(a[1].ci_low, b[1].ci_low);
  EXPECT_EQ(a[1].p2bb, b[1].p2bb);
  EXPECT_NE(a[1].ci_low, c[1].ci_low);
}

} // namespace
} // namespace reckon::simulate
