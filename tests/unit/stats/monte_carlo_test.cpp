#include "reckon/stats/exact.hpp"
#include "reckon/stats/monte_carlo.hpp"
#include "reckon/stats/parallel.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

namespace reckon::stats {
namespace {

using Summaries = std::vector<ArmSummary>;

const std::vector<BetaParams> k_three_arms{{101, 901}, {121, 881}, {111, 891}};

bool same_bits(double x, double y) {
  return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y);
}

bool same_bits(const Interval& x, const Interval& y) {
  return same_bits(x.low, y.low) && same_bits(x.high, y.high);
}

bool same_bits(const Probability& x, const Probability& y) {
  return same_bits(x.value, y.value) && same_bits(x.standard_error, y.standard_error);
}

template <class T>
bool same_bits(const std::optional<T>& x, const std::optional<T>& y) {
  return x.has_value() == y.has_value() && (!x || same_bits(*x, *y));
}

bool same_bits(const ArmSummary& x, const ArmSummary& y) {
  return same_bits(x.credible, y.credible) && same_bits(x.prob_best, y.prob_best) &&
         same_bits(x.prob_beat_control, y.prob_beat_control) &&
         same_bits(x.uplift_median, y.uplift_median) && same_bits(x.uplift, y.uplift) &&
         same_bits(x.expected_loss, y.expected_loss);
}

void expect_same_bits(const Summaries& x, const Summaries& y) {
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t arm = 0; arm < x.size(); ++arm) {
    EXPECT_TRUE(same_bits(x[arm], y[arm])) << "arm " << arm;
  }
}

void expect_finite(const ArmSummary& s) {
  EXPECT_TRUE(std::isfinite(s.credible.low) && std::isfinite(s.credible.high));
  EXPECT_TRUE(std::isfinite(s.prob_best.value) && std::isfinite(s.prob_best.standard_error));
  if (s.prob_beat_control) {
    EXPECT_TRUE(std::isfinite(s.prob_beat_control->value));
  }
  if (s.uplift) {
    EXPECT_TRUE(std::isfinite(s.uplift->low) && std::isfinite(s.uplift->high));
    EXPECT_TRUE(std::isfinite(*s.uplift_median));
  }
  if (s.expected_loss) {
    EXPECT_TRUE(std::isfinite(*s.expected_loss));
  }
}

// 100,000 draws span 13 chunks, enough for two threads to share the work.
TEST(MonteCarloDeterminism, BitIdenticalForOneAndTwoThreads) {
  const SamplingPlan plan{100'000, 42, 0.95};
  Summaries one_thread;
  {
    const ThreadLimit limit(1);
    one_thread = compare_beta_arms(k_three_arms, 0, plan, 9);
  }
  Summaries two_threads;
  {
    const ThreadLimit limit(2);
    two_threads = compare_beta_arms(k_three_arms, 0, plan, 9);
  }
  expect_same_bits(one_thread, two_threads);
}

TEST(MonteCarloDeterminism, SameSeedGivesSameOutput) {
  const SamplingPlan plan{20'000, 7, 0.9};
  expect_same_bits(compare_beta_arms(k_three_arms, 1, plan, 3),
                   compare_beta_arms(k_three_arms, 1, plan, 3));
}

TEST(MonteCarloDeterminism, DifferentSeedOrStreamGivesDifferentOutput) {
  const Summaries base = compare_beta_arms(k_three_arms, 0, SamplingPlan{20'000, 7, 0.95}, 3);
  const Summaries other_seed = compare_beta_arms(k_three_arms, 0, SamplingPlan{20'000, 8, 0.95}, 3);
  const Summaries other_stream =
      compare_beta_arms(k_three_arms, 0, SamplingPlan{20'000, 7, 0.95}, 4);
  for (const Summaries* other : {&other_seed, &other_stream}) {
    EXPECT_NE(base[1].prob_beat_control->value, (*other)[1].prob_beat_control->value);
    EXPECT_NE(base[0].credible.low, (*other)[0].credible.low);
    EXPECT_NE(base[2].uplift->high, (*other)[2].uplift->high);
  }
}

// Arm i's draws depend only on (seed, stream, chunk, i): adding an arm leaves the others'
// draws, and every statistic of theirs that does not involve the new arm, bit for bit alone.
TEST(MonteCarloDeterminism, AppendingAnArmKeepsTheOthersDraws) {
  const SamplingPlan plan{30'000, 11, 0.95};
  const std::vector<BetaParams> two(k_three_arms.begin(), k_three_arms.begin() + 2);
  const Summaries smaller = compare_beta_arms(two, 0, plan, 5);
  const Summaries larger = compare_beta_arms(k_three_arms, 0, plan, 5);
  for (std::size_t arm = 0; arm < 2; ++arm) {
    EXPECT_TRUE(same_bits(smaller[arm].credible, larger[arm].credible)) << arm;
  }
  EXPECT_TRUE(same_bits(smaller[1].prob_beat_control, larger[1].prob_beat_control));
  EXPECT_TRUE(same_bits(smaller[1].uplift, larger[1].uplift));
  EXPECT_TRUE(same_bits(smaller[1].uplift_median, larger[1].uplift_median));
}

// Relabelled arms draw from other streams, so results agree only within Monte Carlo error.
TEST(MonteCarloProperties, RelabellingArmsPermutesResultsWithinError) {
  const SamplingPlan plan{100'000, 3, 0.95};
  const Summaries forward = compare_beta_arms(k_three_arms, 0, plan, 1);
  const std::vector<BetaParams> reversed{k_three_arms[2], k_three_arms[1], k_three_arms[0]};
  const Summaries backward = compare_beta_arms(reversed, 2, plan, 1);
  for (std::size_t arm = 0; arm < 3; ++arm) {
    const ArmSummary& x = forward[arm];
    const ArmSummary& y = backward[2 - arm];
    const double se = std::hypot(x.prob_best.standard_error, y.prob_best.standard_error);
    EXPECT_NEAR(x.prob_best.value, y.prob_best.value, 4.0 * se) << arm;
    EXPECT_NEAR(x.credible.low, y.credible.low, 1e-3) << arm;
    EXPECT_NEAR(x.credible.high, y.credible.high, 1e-3) << arm;
    EXPECT_EQ(x.prob_beat_control.has_value(), y.prob_beat_control.has_value());
  }
  const double se = std::hypot(forward[1].prob_beat_control->standard_error,
                               backward[1].prob_beat_control->standard_error);
  EXPECT_NEAR(forward[1].prob_beat_control->value, backward[1].prob_beat_control->value, 4.0 * se);
}

TEST(MonteCarloProperties, ProbBestCountsSumToTheDraws) {
  const std::uint64_t draws = 12'345;
  const std::vector<BetaParams> arms{{20, 980}, {24, 976}, {23, 977}, {19, 981}};
  const Summaries result = compare_beta_arms(arms, 0, SamplingPlan{draws, 1, 0.95}, 2);
  std::uint64_t total = 0;
  for (const ArmSummary& arm : result) {
    // value = count / draws, so value * draws recovers the count up to one rounding.
    const double count = arm.prob_best.value * static_cast<double>(draws);
    EXPECT_NEAR(count, std::round(count), 1e-9);
    total += static_cast<std::uint64_t>(std::llround(count));
  }
  EXPECT_EQ(total, draws);
}

// The same draws at a higher level give a wider type-7 interval, so nesting is exact.
TEST(MonteCarloProperties, IntervalsNestAsTheLevelGrows) {
  std::optional<Summaries> previous;
  for (const double level : {0.5, 0.8, 0.95, 0.99}) {
    Summaries current = compare_beta_arms(k_three_arms, 0, SamplingPlan{40'000, 5, level}, 6);
    if (previous) {
      for (std::size_t arm = 0; arm < current.size(); ++arm) {
        EXPECT_LT(current[arm].credible.low, (*previous)[arm].credible.low);
        EXPECT_GT(current[arm].credible.high, (*previous)[arm].credible.high);
      }
      EXPECT_LT(current[1].uplift->low, (*previous)[1].uplift->low);
      EXPECT_GT(current[1].uplift->high, (*previous)[1].uplift->high);
      EXPECT_TRUE(same_bits(current[1].uplift_median, (*previous)[1].uplift_median));
    }
    previous = std::move(current);
  }
}

TEST(MonteCarloProperties, ControlHasNoComparisonWithItself) {
  const Summaries result = compare_beta_arms(k_three_arms, 1, SamplingPlan{10'000, 1, 0.95}, 1);
  EXPECT_FALSE(result[1].prob_beat_control.has_value());
  EXPECT_FALSE(result[1].uplift.has_value());
  EXPECT_FALSE(result[1].uplift_median.has_value());
  EXPECT_TRUE(result[0].prob_beat_control.has_value());
  EXPECT_TRUE(result[2].uplift.has_value());
}

TEST(MonteCarloProperties, StandardErrorIsTheHitFractionPosteriorSd) {
  const std::uint64_t draws = 50'000;
  const Summaries result = compare_beta_arms(k_three_arms, 0, SamplingPlan{draws, 2, 0.95}, 8);
  const Probability p = *result[1].prob_beat_control;
  const double n = static_cast<double>(draws);
  const double k = std::round(p.value * n);
  EXPECT_DOUBLE_EQ(p.standard_error,
                   std::sqrt((k + 1) * (n - k + 1) / ((n + 2) * (n + 2) * (n + 3))));
}

TEST(MonteCarloProperties, CertainOutcomeStillHasAnError) {
  const std::vector<BetaParams> arms{{1, 1e6}, {1e6, 1}};
  const Summaries result = compare_beta_arms(arms, 0, SamplingPlan{10'000, 1, 0.95}, 1);
  EXPECT_EQ(result[1].prob_beat_control->value, 1.0);
  EXPECT_GT(result[1].prob_beat_control->standard_error, 0.0);
  EXPECT_EQ(result[0].prob_best.value, 0.0);
  EXPECT_GT(result[0].prob_best.standard_error, 0.0);
}

// C6: 0/50 vs 2/50 under Beta(1, 1). The control's alpha of 1 makes E[1 / control] infinite.
TEST(MonteCarloEdgeCases, ZeroSuccessesGiveFiniteOutputs) {
  const std::vector<BetaParams> arms{{1, 51}, {3, 49}};
  const Summaries result = compare_beta_arms(arms, 0, SamplingPlan{100'000, 1, 0.95}, 1);
  for (const ArmSummary& arm : result) {
    expect_finite(arm);
  }
  const Probability p = *result[1].prob_beat_control;
  EXPECT_NEAR(p.value, prob_greater(arms[1], arms[0]), 4.0 * p.standard_error);
  EXPECT_FALSE(result[0].expected_loss.has_value());
  EXPECT_TRUE(result[1].expected_loss.has_value());
}

TEST(MonteCarloEdgeCases, ShapesBelowOneWork) {
  // Beta(1/2, 1/2) prior: 0/50 and 2/50.
  const std::vector<BetaParams> arms{{0.5, 50.5}, {2.5, 48.5}};
  const Summaries result = compare_beta_arms(arms, 0, SamplingPlan{100'000, 1, 0.95}, 1);
  for (const ArmSummary& arm : result) {
    expect_finite(arm);
    EXPECT_GE(arm.credible.low, 0.0);
    EXPECT_LE(arm.credible.high, 1.0);
  }
  const Probability p = *result[1].prob_beat_control;
  EXPECT_NEAR(p.value, prob_greater(arms[1], arms[0]), 4.0 * p.standard_error);
  const Interval exact = beta_credible_interval(arms[0], 0.95);
  EXPECT_NEAR(result[0].credible.high, exact.high, 0.1 * exact.high);
}

// A shape of 0.001 puts most of the control's draws at exactly zero (the gamma draw
// underflows), where ratios to the control are undefined.
TEST(MonteCarloEdgeCases, ZeroControlDrawsLeaveRatiosAbsent) {
  const std::vector<BetaParams> arms{{0.001, 1}, {2, 2}};
  const Summaries result = compare_beta_arms(arms, 0, SamplingPlan{10'000, 1, 0.95}, 1);
  EXPECT_EQ(result[0].credible.low, 0.0);
  for (const ArmSummary& arm : result) {
    expect_finite(arm);
    EXPECT_FALSE(arm.expected_loss.has_value());
  }
  EXPECT_FALSE(result[1].uplift.has_value());
  EXPECT_FALSE(result[1].uplift_median.has_value());
  EXPECT_GT(result[1].prob_beat_control->value, 0.99);
}

TEST(MonteCarloEdgeCases, DrawCountsOffTheChunkGrid) {
  for (const std::uint64_t draws : {1U, 8191U, 8193U}) {
    const Summaries result = compare_beta_arms(k_three_arms, 0, SamplingPlan{draws, 1, 0.95}, 1);
    for (const ArmSummary& arm : result) {
      expect_finite(arm);
      EXPECT_LE(arm.credible.low, arm.credible.high);
    }
  }
}

} // namespace
} // namespace reckon::stats
