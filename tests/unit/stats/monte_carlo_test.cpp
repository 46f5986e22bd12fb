#include "reckon/stats/exact.hpp"
#include "reckon/stats/gaussian_effect.hpp"
#include "reckon/stats/monte_carlo.hpp"
#include "reckon/stats/parallel.hpp"

#include "stats/batch_sampling.hpp"
#include "stats/sample_quantile.hpp"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

namespace reckon::stats {
namespace {

using Summaries = std::vector<ArmSummary>;

const std::vector<BetaParams> k_three_arms{{101, 901}, {121, 881}, {111, 891}};

// Beta arms through the general entry point.
Summaries compare_beta_arms(std::span<const BetaParams> arms, std::size_t control,
                            const SamplingPlan& plan, std::uint64_t stream) {
  return compare_arms(std::vector<ArmPosterior>(arms.begin(), arms.end()), control, plan, stream);
}

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
  return same_bits(x.credible, y.credible) && same_bits(x.credible_se, y.credible_se) &&
         same_bits(x.prob_best, y.prob_best) &&
         same_bits(x.prob_beat_control, y.prob_beat_control) &&
         same_bits(x.uplift_median, y.uplift_median) && same_bits(x.uplift, y.uplift) &&
         same_bits(x.uplift_se, y.uplift_se) && same_bits(x.expected_loss, y.expected_loss) &&
         same_bits(x.expected_loss_se, y.expected_loss_se);
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
  EXPECT_TRUE(std::isfinite(s.credible_se.low) && std::isfinite(s.credible_se.high));
  EXPECT_GE(s.credible_se.low, 0.0);
  EXPECT_GE(s.credible_se.high, 0.0);
  EXPECT_EQ(s.uplift.has_value(), s.uplift_se.has_value());
  if (s.uplift_se) {
    EXPECT_TRUE(std::isfinite(s.uplift_se->low) && std::isfinite(s.uplift_se->high));
  }
  if (s.expected_loss_se) {
    EXPECT_TRUE(s.expected_loss.has_value());
    EXPECT_TRUE(std::isfinite(*s.expected_loss_se));
  }
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

// ---- Every arm model -----------------------------------------------------------------------

struct Family {
  std::string name;
  std::vector<ArmPosterior> arms;
};

// Three arms of each model, as the analysis builds them: conversion, order value from an
// interval, profit per order, revenue and profit per visitor.
const std::vector<Family>& families() {
  static const std::vector<Family> all{
      {"beta", {BetaParams{101, 901}, BetaParams{121, 881}, BetaParams{111, 891}}},
      {"lognormal",
       {LogNormalParams{4.38, 0.05}, LogNormalParams{4.36, 0.06}, LogNormalParams{4.42, 0.05}}},
      {"normal", {NormalParams{12.0, 2.0}, NormalParams{13.0, 2.5}, NormalParams{11.5, 2.0}}},
      {"rate_times_lognormal",
       {RateTimesValue{{301, 9701}, LogNormalParams{4.38, 0.05}},
        RateTimesValue{{331, 9671}, LogNormalParams{4.36, 0.06}},
        RateTimesValue{{311, 9691}, LogNormalParams{4.40, 0.05}}}},
      {"rate_times_normal",
       {RateTimesValue{{301, 9701}, NormalParams{12.0, 2.0}},
        RateTimesValue{{331, 9671}, NormalParams{13.0, 2.5}},
        RateTimesValue{{311, 9691}, NormalParams{11.5, 2.0}}}},
  };
  return all;
}

std::vector<ArmPosterior> first_two(const std::vector<ArmPosterior>& arms) {
  return {arms[0], arms[1]};
}

std::uint64_t hits(const Probability& p, std::uint64_t draws) {
  return static_cast<std::uint64_t>(std::llround(p.value * static_cast<double>(draws)));
}

constexpr std::array<Direction, 2> k_directions{Direction::higher_is_better,
                                                Direction::lower_is_better};

// 100,000 draws span 13 chunks, enough for two threads to share the work.
TEST(MonteCarloModels, BitIdenticalForOneAndTwoThreads) {
  const SamplingPlan plan{100'000, 42, 0.95};
  for (const Family& family : families()) {
    for (const Direction direction : k_directions) {
      SCOPED_TRACE(family.name);
      Summaries one_thread;
      {
        const ThreadLimit limit(1);
        one_thread = compare_arms(family.arms, 1, plan, 9, direction);
      }
      Summaries two_threads;
      {
        const ThreadLimit limit(2);
        two_threads = compare_arms(family.arms, 1, plan, 9, direction);
      }
      expect_same_bits(one_thread, two_threads);
    }
  }
}

// The documented keying: a rate-times-value arm's draw i is fill_beta(component 0) times
// exp(log_location + log_scale * fill_standard_normal(component 1)), chunk by chunk, and a
// log-normal arm alone draws the same values. Type-7 quantiles of the rebuilt draws must then
// equal the engine's bit for bit.
TEST(MonteCarloModels, RateTimesValueDrawsFollowTheStreamKeys) {
  constexpr std::uint64_t draws = 20'000; // three chunks, the last one partial
  constexpr std::uint64_t chunk_draws = 8192;
  const SamplingPlan plan{draws, 77, 0.9};
  const BetaParams rate{31, 971};
  const LogNormalParams value{4.0, 0.2};
  const std::vector<ArmPosterior> products{RateTimesValue{{20, 980}, value},
                                           RateTimesValue{rate, value}};
  const std::vector<ArmPosterior> values{value, value};
  std::vector<double> product_draws(draws);
  std::vector<double> value_draws(draws);
  for (std::uint64_t begin = 0, chunk = 0; begin < draws; begin += chunk_draws, ++chunk) {
    const auto length = static_cast<std::size_t>(std::min(chunk_draws, draws - begin));
    const std::span<double> z = std::span(value_draws).subspan(begin, length);
    const std::span<double> b = std::span(product_draws).subspan(begin, length);
    detail::fill_standard_normal(z, detail::StreamKey{plan.seed, 5, chunk, 1, 1});
    detail::fill_beta(b, rate, detail::StreamKey{plan.seed, 5, chunk, 1, 0});
    for (std::size_t i = 0; i < length; ++i) {
      z[i] = std::exp(value.log_location + value.log_scale * z[i]);
      b[i] = z[i] * b[i];
    }
  }
  const std::array<double, 2> probs{0.05, 0.95};
  std::array<double, 2> expected_product{};
  std::array<double, 2> expected_value{};
  detail::select_quantiles(product_draws, probs, expected_product);
  detail::select_quantiles(value_draws, probs, expected_value);
  const Summaries product = compare_arms(products, 0, plan, 5);
  const Summaries alone = compare_arms(values, 0, plan, 5);
  EXPECT_TRUE(same_bits(product[1].credible, Interval{expected_product[0], expected_product[1]}));
  EXPECT_TRUE(same_bits(alone[1].credible, Interval{expected_value[0], expected_value[1]}));
}

// Swapping which arm is the control leaves the draws alone, so the two p2bc count
// complementary events: no ties occur between continuous draws.
TEST(MonteCarloModels, BeatControlBothWaysSumsToOne) {
  const std::uint64_t draws = 50'000;
  for (const Family& family : families()) {
    SCOPED_TRACE(family.name);
    const std::vector<ArmPosterior> arms = first_two(family.arms);
    const SamplingPlan plan{draws, 3, 0.95};
    const Summaries a_control = compare_arms(arms, 0, plan, 12);
    const Summaries b_control = compare_arms(arms, 1, plan, 12);
    EXPECT_EQ(hits(*a_control[1].prob_beat_control, draws) +
                  hits(*b_control[0].prob_beat_control, draws),
              draws);
  }
}

TEST(MonteCarloModels, ProbBestSumsToOne) {
  const std::uint64_t draws = 12'345;
  for (const Family& family : families()) {
    for (const Direction direction : k_directions) {
      SCOPED_TRACE(family.name);
      const Summaries result =
          compare_arms(family.arms, 0, SamplingPlan{draws, 1, 0.95}, 2, direction);
      std::uint64_t total = 0;
      for (const ArmSummary& arm : result) {
        total += hits(arm.prob_best, draws);
        expect_finite(arm);
      }
      EXPECT_EQ(total, draws);
    }
  }
}

// Lower is better reads the same draws the other way: p2bc is exactly the complement,
// intervals and uplifts are unchanged, and with two arms so is p2bb.
TEST(MonteCarloModels, LowerIsBetterIsTheExactComplementOnTheSameDraws) {
  const std::uint64_t draws = 40'000;
  const SamplingPlan plan{draws, 8, 0.95};
  for (const Family& family : families()) {
    SCOPED_TRACE(family.name);
    const Summaries up = compare_arms(family.arms, 0, plan, 4, Direction::higher_is_better);
    const Summaries down = compare_arms(family.arms, 0, plan, 4, Direction::lower_is_better);
    for (std::size_t arm = 1; arm < up.size(); ++arm) {
      EXPECT_EQ(hits(*up[arm].prob_beat_control, draws) + hits(*down[arm].prob_beat_control, draws),
                draws);
      EXPECT_EQ(up[arm].prob_beat_control->standard_error,
                down[arm].prob_beat_control->standard_error);
      EXPECT_TRUE(same_bits(up[arm].uplift, down[arm].uplift));
      EXPECT_TRUE(same_bits(up[arm].credible, down[arm].credible));
    }
    const std::vector<ArmPosterior> two = first_two(family.arms);
    const Summaries up2 = compare_arms(two, 0, plan, 4, Direction::higher_is_better);
    const Summaries down2 = compare_arms(two, 0, plan, 4, Direction::lower_is_better);
    for (std::size_t arm = 0; arm < 2; ++arm) {
      EXPECT_EQ(hits(up2[arm].prob_best, draws) + hits(down2[arm].prob_best, draws), draws);
    }
  }
}

// The same draws at a higher level give a wider type-7 interval, so nesting is exact.
TEST(MonteCarloModels, IntervalsNestAsTheLevelGrows) {
  for (const Family& family : families()) {
    SCOPED_TRACE(family.name);
    std::optional<Summaries> previous;
    for (const double level : {0.5, 0.8, 0.95, 0.99}) {
      Summaries current = compare_arms(family.arms, 0, SamplingPlan{40'000, 5, level}, 6);
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
}

// Relabelled arms draw from other streams, so results agree only within Monte Carlo error.
TEST(MonteCarloModels, RelabellingArmsPermutesResultsWithinError) {
  const SamplingPlan plan{100'000, 3, 0.95};
  for (const Family& family : families()) {
    for (const Direction direction : k_directions) {
      SCOPED_TRACE(family.name);
      const Summaries forward = compare_arms(family.arms, 0, plan, 1, direction);
      const std::vector<ArmPosterior> reversed{family.arms[2], family.arms[1], family.arms[0]};
      const Summaries backward = compare_arms(reversed, 2, plan, 1, direction);
      for (std::size_t arm = 0; arm < 3; ++arm) {
        const ArmSummary& x = forward[arm];
        const ArmSummary& y = backward[2 - arm];
        const double best_se = std::hypot(x.prob_best.standard_error, y.prob_best.standard_error);
        EXPECT_NEAR(x.prob_best.value, y.prob_best.value, 4.0 * best_se) << arm;
        EXPECT_NEAR(x.credible.low, y.credible.low,
                    4.0 * std::hypot(x.credible_se.low, y.credible_se.low))
            << arm;
        EXPECT_NEAR(x.credible.high, y.credible.high,
                    4.0 * std::hypot(x.credible_se.high, y.credible_se.high))
            << arm;
        ASSERT_EQ(x.expected_loss.has_value(), y.expected_loss.has_value());
        if (x.expected_loss_se && y.expected_loss_se) {
          EXPECT_NEAR(*x.expected_loss, *y.expected_loss,
                      4.0 * std::hypot(*x.expected_loss_se, *y.expected_loss_se))
              << arm;
        }
      }
      for (const std::size_t arm : {std::size_t{1}, std::size_t{2}}) {
        const ArmSummary& x = forward[arm];
        const ArmSummary& y = backward[2 - arm];
        const double se =
            std::hypot(x.prob_beat_control->standard_error, y.prob_beat_control->standard_error);
        EXPECT_NEAR(x.prob_beat_control->value, y.prob_beat_control->value, 4.0 * se);
        EXPECT_NEAR(x.uplift->low, y.uplift->low,
                    4.0 * std::hypot(x.uplift_se->low, y.uplift_se->low));
        EXPECT_NEAR(x.uplift->high, y.uplift->high,
                    4.0 * std::hypot(x.uplift_se->high, y.uplift_se->high));
      }
    }
  }
}

TEST(MonteCarloModels, DrawCountsOffTheChunkGrid) {
  for (const Family& family : families()) {
    SCOPED_TRACE(family.name);
    for (const std::uint64_t draws : {1U, 2U, 8191U, 8193U}) {
      const Summaries result = compare_arms(family.arms, 0, SamplingPlan{draws, 1, 0.5}, 1);
      for (const ArmSummary& arm : result) {
        expect_finite(arm);
        EXPECT_LE(arm.credible.low, arm.credible.high);
      }
    }
  }
}

// ---- Monte Carlo errors against their empirical spread ---------------------------------------

struct Spread {
  std::vector<double> values;
  std::vector<double> reported_errors;

  // The reported standard error, averaged over runs, over the spread of the estimates.
  double ratio() const {
    const double n = static_cast<double>(values.size());
    const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
    double squares = 0.0;
    for (const double value : values) {
      squares += (value - mean) * (value - mean);
    }
    const double sd = std::sqrt(squares / (n - 1.0));
    return std::accumulate(reported_errors.begin(), reported_errors.end(), 0.0) / n / sd;
  }
};

// 80 independent seeds: the spread's own relative error is about 1 / sqrt(2 * 79) = 8%, so a
// correct error lands in [0.7, 1.4] with a wide margin.
TEST(MonteCarloErrors, ReportedErrorsMatchTheSpreadOverSeeds) {
  constexpr int k_runs = 80;
  const std::vector<std::vector<ArmPosterior>> cases{
      {BetaParams{101, 901}, BetaParams{121, 881}},
      {RateTimesValue{{301, 9701}, LogNormalParams{4.38, 0.05}},
       RateTimesValue{{331, 9671}, LogNormalParams{4.36, 0.06}}},
      {NormalParams{12.0, 2.0}, NormalParams{13.0, 2.5}, NormalParams{11.5, 2.0}},
  };
  for (std::size_t c = 0; c < cases.size(); ++c) {
    SCOPED_TRACE(testing::Message() << "case " << c);
    std::array<Spread, 7> spreads;
    for (int run = 0; run < k_runs; ++run) {
      const SamplingPlan plan{20'000, 1000 + static_cast<std::uint64_t>(run), 0.95};
      const Summaries s = compare_arms(cases[c], 0, plan, 31);
      const auto add = [&](std::size_t i, double value, double error) {
        spreads[i].values.push_back(value);
        spreads[i].reported_errors.push_back(error);
      };
      add(0, s[1].credible.low, s[1].credible_se.low);
      add(1, s[1].credible.high, s[1].credible_se.high);
      add(2, s[1].uplift->low, s[1].uplift_se->low);
      add(3, s[1].uplift->high, s[1].uplift_se->high);
      add(4, s[1].prob_beat_control->value, s[1].prob_beat_control->standard_error);
      add(5, *s[1].expected_loss, *s[1].expected_loss_se);
      add(6, *s[0].expected_loss, *s[0].expected_loss_se);
    }
    const char* names[] = {"credible.low", "credible.high", "uplift.low",  "uplift.high",
                           "p2bc",         "loss variant",  "loss control"};
    for (std::size_t i = 0; i < spreads.size(); ++i) {
      const double ratio = spreads[i].ratio();
      EXPECT_GT(ratio, 0.7) << names[i];
      EXPECT_LT(ratio, 1.4) << names[i];
    }
  }
}

// The order-statistic error of a quantile is close to sqrt(q (1 - q) / N) / f(x_q): here for a
// normal arm, whose density is known.
TEST(MonteCarloErrors, QuantileErrorMatchesTheAsymptoticFormula) {
  const std::uint64_t draws = 200'000;
  const std::vector<ArmPosterior> arms{NormalParams{0.0, 1.0}, NormalParams{0.0, 2.0}};
  const Summaries s = compare_arms(arms, 0, SamplingPlan{draws, 5, 0.95}, 2);
  const double z = normal_two_sided_z(0.95);
  const double density = std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::acos(-1.0));
  const double expected = std::sqrt(0.025 * 0.975 / static_cast<double>(draws)) / density;
  for (std::size_t arm = 0; arm < 2; ++arm) {
    const double sd = arm == 0 ? 1.0 : 2.0;
    EXPECT_NEAR(s[arm].credible_se.low, sd * expected, 0.25 * sd * expected);
    EXPECT_NEAR(s[arm].credible_se.high, sd * expected, 0.25 * sd * expected);
  }
}

// ---- Expected loss conventions ---------------------------------------------------------------

// A Normal control can be 0 or negative, so E[1 / |control|] diverges; the loss is then
// E[gap] / |E[control]|, in closed form E[max(A - B, 0)] / |mu_A| for two arms.
TEST(MonteCarloLoss, SignedControlDividesByItsMean) {
  const std::vector<ArmPosterior> arms{NormalParams{10.0, 1.0}, NormalParams{10.5, 1.2}};
  const Summaries s = compare_arms(arms, 0, SamplingPlan{200'000, 9, 0.95}, 3);
  const double sd = std::hypot(1.0, 1.2);
  ASSERT_TRUE(s[1].expected_loss && s[1].expected_loss_se && s[0].expected_loss);
  // The control's sample mean moves the reference by about 1e-4 relative; far below the SE.
  EXPECT_NEAR(*s[1].expected_loss, expected_positive_part(-0.5, sd) / 10.0,
              4.0 * *s[1].expected_loss_se);
  EXPECT_NEAR(*s[0].expected_loss, expected_positive_part(0.5, sd) / 10.0,
              4.0 * *s[0].expected_loss_se);
  EXPECT_NEAR(s[1].prob_beat_control->value, 0.5 * std::erfc(-0.5 / sd / std::sqrt(2.0)),
              4.0 * s[1].prob_beat_control->standard_error);
}

// Profit below zero: from -10 to -8 per order is an improvement of 20%, not a drop.
TEST(MonteCarloLoss, NegativeControlKeepsTheUpliftsSign) {
  const std::vector<ArmPosterior> arms{NormalParams{-10.0, 0.5}, NormalParams{-8.0, 0.5}};
  const Summaries s = compare_arms(arms, 0, SamplingPlan{50'000, 2, 0.95}, 3);
  EXPECT_GT(s[1].prob_beat_control->value, 0.99);
  ASSERT_TRUE(s[1].uplift_median && s[1].uplift);
  EXPECT_NEAR(*s[1].uplift_median, 0.2, 0.01);
  EXPECT_GT(s[1].uplift->low, 0.0);
  ASSERT_TRUE(s[0].expected_loss);
  EXPECT_NEAR(*s[0].expected_loss, 0.2, 0.01);
  for (const ArmSummary& arm : s) {
    expect_finite(arm);
  }
}

// E[1 / control] is finite for alpha > 1 and E[1 / control^2] for alpha > 2: between the two
// the loss has a value but its Monte Carlo error does not exist.
TEST(MonteCarloLoss, ErrorNeedsAFiniteSecondInverseMoment) {
  const std::vector<ArmPosterior> arms{BetaParams{1.5, 60}, BetaParams{3, 58}, BetaParams{2, 59}};
  const Summaries s = compare_arms(arms, 0, SamplingPlan{20'000, 2, 0.95}, 3);
  for (const ArmSummary& arm : s) {
    EXPECT_TRUE(arm.expected_loss.has_value());
    EXPECT_FALSE(arm.expected_loss_se.has_value());
  }
  const std::vector<ArmPosterior> rpv{RateTimesValue{{1.5, 60}, LogNormalParams{4.0, 0.1}},
                                      RateTimesValue{{3, 58}, LogNormalParams{4.0, 0.1}},
                                      RateTimesValue{{2, 59}, LogNormalParams{4.0, 0.1}}};
  const Summaries r = compare_arms(rpv, 0, SamplingPlan{20'000, 2, 0.95}, 3);
  for (const ArmSummary& arm : r) {
    EXPECT_TRUE(arm.expected_loss.has_value());
    EXPECT_FALSE(arm.expected_loss_se.has_value());
  }
}

// Lower is better with a control of alpha 1: the control's own loss, (control - best) /
// control, is at most 1; the variant's, (variant - control) / control, is infinite.
TEST(MonteCarloLoss, LowerIsBetterBoundsTheControlsOwnLoss) {
  const std::vector<ArmPosterior> arms{BetaParams{1, 51}, BetaParams{3, 49}};
  const Summaries s =
      compare_arms(arms, 0, SamplingPlan{50'000, 2, 0.95}, 3, Direction::lower_is_better);
  ASSERT_TRUE(s[0].expected_loss && s[0].expected_loss_se);
  EXPECT_GT(*s[0].expected_loss, 0.0);
  EXPECT_LT(*s[0].expected_loss, 1.0);
  EXPECT_FALSE(s[1].expected_loss.has_value());
  EXPECT_FALSE(s[1].expected_loss_se.has_value());
}

// A log-normal control has every inverse moment, so even three arms keep their losses.
TEST(MonteCarloLoss, LogNormalControlAlwaysHasALoss) {
  const std::vector<ArmPosterior> arms{LogNormalParams{0.0, 1.5}, LogNormalParams{0.2, 1.5},
                                       LogNormalParams{0.1, 1.5}};
  const Summaries s = compare_arms(arms, 0, SamplingPlan{20'000, 2, 0.95}, 3);
  for (const ArmSummary& arm : s) {
    EXPECT_TRUE(arm.expected_loss && arm.expected_loss_se);
    expect_finite(arm);
  }
}

} // namespace
} // namespace reckon::stats
