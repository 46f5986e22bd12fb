#include "reckon/stats/exact.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <utility>
#include <vector>

namespace reckon::stats {
namespace {

// Pairs that exercise small and large counts, unequal sizes and shapes below 1.
const std::vector<std::pair<BetaParams, BetaParams>>& pairs() {
  static const std::vector<std::pair<BetaParams, BetaParams>> cases{
      {{50, 52}, {52, 50}},       {{1, 51}, {3, 49}},
      {{201, 9801}, {241, 9761}}, {{181, 9821}, {201, 10801}},
      {{3, 48.5}, {0.5, 50.5}},   {{2.5, 48.5}, {0.5, 50.5}},
      {{0.5, 0.5}, {1, 1}},       {{30001, 970001}, {30501, 969501}},
  };
  return cases;
}

TEST(ExactProbGreater, ComplementsSumToOne) {
  for (const auto& [b, a] : pairs()) {
    EXPECT_NEAR(prob_greater(b, a) + prob_greater(a, b), 1.0, 1e-12);
    EXPECT_NEAR(prob_greater_quadrature(b, a) + prob_greater_quadrature(a, b), 1.0, 1e-12);
  }
}

TEST(ExactProbGreater, ClosedFormAgreesWithQuadrature) {
  for (const auto& [b, a] : pairs()) {
    const std::optional<double> closed = prob_greater_closed_form(b, a);
    if (closed) {
      EXPECT_NEAR(*closed, prob_greater_quadrature(b, a), 1e-11)
          << "b = Beta(" << b.alpha << ", " << b.beta << "), a = Beta(" << a.alpha << ", " << a.beta
          << ")";
    }
  }
}

TEST(ExactProbGreater, IdenticalArmsGiveOneHalf) {
  for (const BetaParams x : {BetaParams{1, 1}, BetaParams{0.5, 0.5}, BetaParams{120, 881}}) {
    EXPECT_NEAR(prob_greater(x, x), 0.5, 1e-12);
    EXPECT_NEAR(prob_greater_quadrature(x, x), 0.5, 1e-12);
  }
}

// Hand-computable: for Beta(1, 1) vs Beta(2, 1), P(X_b > X_a) = integral of x^2 = 2/3.
TEST(ExactProbGreater, MatchesAHandComputedValue) {
  const BetaParams uniform{1, 1};
  const BetaParams rising{2, 1};
  EXPECT_NEAR(*prob_greater_closed_form(rising, uniform), 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(prob_greater_quadrature(rising, uniform), 2.0 / 3.0, 1e-13);
}

TEST(ExactProbGreater, ClosedFormNeedsAWholeParameter) {
  EXPECT_FALSE(prob_greater_closed_form(BetaParams{100.5, 900.5}, BetaParams{120.5, 880.5}));
  // Only a.beta is whole: the mirrored sum still applies.
  EXPECT_TRUE(prob_greater_closed_form(BetaParams{100.5, 900.5}, BetaParams{120.5, 880}));
}

TEST(ExactProbGreater, DispatchUsesQuadratureWhenNoParameterIsWhole) {
  const BetaParams a{100.5, 900.5};
  const BetaParams b{120.5, 880.5};
  EXPECT_EQ(prob_greater(b, a), prob_greater_quadrature(b, a));
}

TEST(ExactProbBest, TwoArmsReduceToProbGreater) {
  const std::vector<BetaParams> arms{{101, 901}, {121, 881}};
  const std::vector<double> p = prob_best(arms);
  ASSERT_EQ(p.size(), 2U);
  EXPECT_NEAR(p[1], prob_greater(arms[1], arms[0]), 1e-11);
  EXPECT_NEAR(p[0], prob_greater(arms[0], arms[1]), 1e-11);
}

TEST(ExactProbBest, RelabellingArmsPermutesResults) {
  const std::vector<BetaParams> arms{{101, 901}, {121, 881}, {111, 891}, {0.5, 10}};
  const std::vector<double> p = prob_best(arms);
  const std::vector<std::size_t> order{2, 0, 3, 1};
  std::vector<BetaParams> shuffled;
  for (const std::size_t i : order) {
    shuffled.push_back(arms[i]);
  }
  const std::vector<double> q = prob_best(shuffled);
  for (std::size_t k = 0; k < order.size(); ++k) {
    EXPECT_NEAR(q[k], p[order[k]], 1e-13);
  }
  EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-9);
}

TEST(ExactProbBest, SingleArmIsCertainlyBest) {
  const std::vector<BetaParams> arms{{3, 7}};
  EXPECT_NEAR(prob_best(arms).at(0), 1.0, 1e-12);
}

// A uniform variant has cdf x, so P(X_v <= f X_c) = f E[X_c]; a Beta(2, 1) variant has cdf
// x^2, so the answer is f^2 E[X_c^2]: closed forms the quadrature must meet. A control density
// unbounded at an end (shape 0.5, tanh-sinh) is met within 1e-8, the bounded ones within 1e-12.
TEST(ProbAtMostFraction, MatchesClosedFormsOfPolynomialDistributionFunctions) {
  for (const auto& [control, tolerance] :
       {std::pair{BetaParams{3, 97}, 1e-12}, std::pair{BetaParams{801, 22001}, 1e-12},
        std::pair{BetaParams{0.5, 0.5}, 1e-8}}) {
    const double n = control.alpha + control.beta;
    const double mean = control.alpha / n;
    const double second = control.alpha * (control.alpha + 1.0) / (n * (n + 1.0));
    for (const double fraction : {0.8, 0.5, 1.0}) {
      EXPECT_NEAR(prob_at_most_fraction({1, 1}, control, fraction), fraction * mean, tolerance);
      EXPECT_NEAR(prob_at_most_fraction({2, 1}, control, fraction), fraction * fraction * second,
                  tolerance);
    }
  }
}

TEST(ProbAtMostFraction, AtFractionOneIsTheChanceOfNotBeatingTheControl) {
  for (const auto& [b, a] : pairs()) {
    EXPECT_NEAR(prob_at_most_fraction(b, a, 1.0), 1.0 - prob_greater(b, a), 1e-9);
  }
}

} // namespace
} // namespace reckon::stats
