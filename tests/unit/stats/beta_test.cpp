#include "reckon/stats/beta.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace reckon::stats {
namespace {

TEST(BetaPosterior, AddsSuccessesAndFailuresToThePrior) {
  const BetaParams posterior = beta_posterior(BetaPrior{0.5, 2.0}, 3, 10);
  EXPECT_EQ(posterior.alpha, 3.5);
  EXPECT_EQ(posterior.beta, 9.0);
}

TEST(BetaPosterior, DefaultPriorIsUniform) {
  const BetaParams posterior = beta_posterior(BetaPrior{}, 0, 50);
  EXPECT_EQ(posterior.alpha, 1.0);
  EXPECT_EQ(posterior.beta, 51.0);
}

TEST(BetaMean, IsAlphaOverTotal) {
  EXPECT_DOUBLE_EQ(beta_mean(BetaParams{2.0, 6.0}), 0.25);
}

TEST(BetaPdf, MatchesTheClosedFormOfBeta2_3) {
  // Beta(2, 3) has density 12 x (1 - x)^2.
  for (const double x : {0.0, 0.1, 0.4, 0.75, 1.0}) {
    EXPECT_NEAR(beta_pdf(BetaParams{2.0, 3.0}, x), 12.0 * x * (1.0 - x) * (1.0 - x), 1e-14);
  }
}

TEST(BetaQuantile, InvertsKnownDistributions) {
  for (const double p : {0.0, 0.025, 0.5, 0.9, 1.0}) {
    EXPECT_NEAR(beta_quantile(BetaParams{1.0, 1.0}, p), p, 1e-15);
    // Beta(2, 1) has CDF x^2.
    EXPECT_NEAR(beta_quantile(BetaParams{2.0, 1.0}, p), std::sqrt(p), 1e-15);
  }
}

TEST(BetaCredibleInterval, IsEqualTailed) {
  const BetaParams beta{51.0, 52.0};
  const Interval interval = beta_credible_interval(beta, 0.9);
  EXPECT_DOUBLE_EQ(interval.low, beta_quantile(beta, 0.05));
  EXPECT_NEAR(interval.high, beta_quantile(beta, 0.95), 1e-14);
}

TEST(BetaCredibleInterval, SymmetricDistributionGivesSymmetricInterval) {
  const Interval interval = beta_credible_interval(BetaParams{20.0, 20.0}, 0.95);
  EXPECT_NEAR(interval.low + interval.high, 1.0, 1e-14);
}

TEST(BetaCredibleInterval, NestsAsTheLevelGrows) {
  const BetaParams beta{3.0, 40.0};
  Interval previous = beta_credible_interval(beta, 0.5);
  for (const double level : {0.8, 0.9, 0.95, 0.99, 0.999}) {
    const Interval interval = beta_credible_interval(beta, level);
    EXPECT_LT(interval.low, previous.low) << level;
    EXPECT_GT(interval.high, previous.high) << level;
    previous = interval;
  }
}

TEST(BetaCredibleInterval, HandlesShapesBelowOne) {
  const Interval interval = beta_credible_interval(BetaParams{0.5, 50.5}, 0.95);
  EXPECT_GT(interval.low, 0.0);
  EXPECT_LT(interval.low, 1e-4);
  EXPECT_LT(interval.high, 0.1);
  EXPECT_TRUE(std::isfinite(interval.high));
}

} // namespace
} // namespace reckon::stats
