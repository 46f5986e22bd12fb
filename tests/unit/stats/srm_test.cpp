#include "reckon/stats/srm.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace reckon::stats {
namespace {

struct SrmVector {
  std::vector<std::uint64_t> visitors;
  std::vector<double> allocation;
  double chi2;
  double p_value;
};

// stats-anchors §5.6, equal to gbstats' check_srm.
TEST(SampleRatioTest, MatchesReferenceVectors) {
  const std::vector<SrmVector> vectors{
      {{5000, 5200}, {0.5, 0.5}, 3.9215686274509802, 0.0476703806561615},
      {{9000, 1100}, {0.9, 0.1}, 8.910891089108912, 0.002834749080259389},
      {{1000, 1100, 1050}, {1, 1, 1}, 4.761904761904762, 0.09246247606291999},
      {{4900, 5100}, {50, 50}, 4.0, 0.04550026389635857},
  };
  for (const SrmVector& v : vectors) {
    const auto test = sample_ratio_test(v.visitors, v.allocation);
    ASSERT_TRUE(test.has_value());
    EXPECT_NEAR(test->chi2, v.chi2, 1e-12 * v.chi2);
    EXPECT_NEAR(test->p_value, v.p_value, 1e-10 * v.p_value);
    EXPECT_FALSE(test->flagged);
  }
}

TEST(SampleRatioTest, FlagsBelowThreshold) {
  const std::vector<std::uint64_t> visitors{9000, 1100};
  const std::vector<double> allocation{0.9, 0.1};
  EXPECT_TRUE(sample_ratio_test(visitors, allocation, 0.01)->flagged);
  EXPECT_FALSE(sample_ratio_test(visitors, allocation, 0.001)->flagged);
}

TEST(SampleRatioTest, PerfectSplitIsNotFlagged) {
  const std::vector<std::uint64_t> visitors{5000, 5000};
  const std::vector<double> allocation{0.5, 0.5};
  const auto test = sample_ratio_test(visitors, allocation);
  ASSERT_TRUE(test.has_value());
  EXPECT_EQ(test->chi2, 0.0);
  EXPECT_EQ(test->p_value, 1.0);
}

TEST(SampleRatioTest, LeavesOutArmsWithZeroShare) {
  const std::vector<std::uint64_t> with_idle_arm{5000, 777, 5200};
  const std::vector<double> allocation{0.5, 0.0, 0.5};
  const auto test = sample_ratio_test(with_idle_arm, allocation);
  ASSERT_TRUE(test.has_value());
  EXPECT_NEAR(test->chi2, 3.9215686274509802, 1e-12);
}

TEST(SampleRatioTest, UndefinedWithoutTwoArmsOrVisitors) {
  const std::vector<std::uint64_t> one{100};
  const std::vector<double> one_share{1.0};
  EXPECT_FALSE(sample_ratio_test(one, one_share).has_value());
  const std::vector<std::uint64_t> visitors{100, 100};
  const std::vector<double> one_live{1.0, 0.0};
  EXPECT_FALSE(sample_ratio_test(visitors, one_live).has_value());
  const std::vector<std::uint64_t> nobody{0, 0};
  const std::vector<double> halves{0.5, 0.5};
  EXPECT_FALSE(sample_ratio_test(nobody, halves).has_value());
}

} // namespace
} // namespace reckon::stats
