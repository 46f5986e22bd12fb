#include "reckon/analysis/segments.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace reckon::analysis {
namespace {

// Expected values below are computed by hand from the formulas in segments.hpp (checked with
// Python's statistics.NormalDist for the Normal quantiles).
constexpr double k_z975 = 1.9599639845400536;
constexpr double k_z80 = 0.8416212335729144;

TEST(SegmentPooling, LogUpliftReadsTheStandardErrorOffTheIntervalWidth) {
  const std::optional<LogUplift> log = log_uplift_from_interval(0.1, 0.0, std::expm1(0.2), 0.95);
  ASSERT_TRUE(log);
  EXPECT_NEAR(log->estimate, 0.09531017980432487, 1e-15);
  EXPECT_NEAR(log->standard_error, 0.2 / (2.0 * k_z975), 1e-12);
  EXPECT_FALSE(log_uplift_from_interval(0.1, -1.0, 0.5, 0.95)); // a zero variant
  EXPECT_FALSE(log_uplift_from_interval(0.1, 0.2, 0.2, 0.95));  // no width
}

TEST(SegmentPooling, HeterogeneityIsDerSimonianLaird) {
  const std::vector<LogUplift> segments{{0.0, 0.1}, {0.2, 0.2}, {0.5, 0.25}};
  const Heterogeneity h = heterogeneity(segments);
  EXPECT_EQ(h.segments, 3U);
  EXPECT_NEAR(h.q, 3.8014184397163113, 1e-12);
  EXPECT_NEAR(h.tau2, 0.028222222222222197, 1e-12);
  EXPECT_NEAR(h.i2, 0.4738805970149253, 1e-12);
}

TEST(SegmentPooling, TwoSegmentsByHand) {
  // w = 100 each, mean 0.2, Q = 2, tau^2 = (2 - 1) / (200 - 100) = 0.01, I^2 = 1/2.
  const std::vector<LogUplift> segments{{0.1, 0.1}, {0.3, 0.1}};
  const Heterogeneity h = heterogeneity(segments);
  EXPECT_NEAR(h.q, 2.0, 1e-12);
  EXPECT_NEAR(h.tau2, 0.01, 1e-12);
  EXPECT_NEAR(h.i2, 0.5, 1e-12);
}

TEST(SegmentPooling, SegmentsThatAgreeHaveNoBetweenSegmentVariance) {
  const std::vector<LogUplift> segments{{0.1, 0.1}, {0.12, 0.1}, {0.09, 0.2}};
  EXPECT_EQ(heterogeneity(segments).tau2, 0.0);
  EXPECT_EQ(heterogeneity(segments).i2, 0.0);
  EXPECT_EQ(heterogeneity(std::vector<LogUplift>{{0.4, 0.1}}).tau2, 0.0);
}

TEST(SegmentPooling, ShrinksHalfwayWhenTauSquaredEqualsTheSegmentsVariance) {
  // B = 0.01 / (0.01 + 0.01) = 0.5; estimate 0.5 * 0.2 + 0.5 * 0.3 = 0.25;
  // variance 0.5 * 0.01 + 0.25 * 0.0025 = 0.005625, sd 0.075.
  const ShrunkUplift shrunk = shrink_toward({0.3, 0.1}, {0.2, 0.05}, 0.01);
  EXPECT_NEAR(shrunk.shrinkage, 0.5, 1e-15);
  EXPECT_NEAR(shrunk.estimate, 0.25, 1e-15);
  EXPECT_NEAR(shrunk.standard_error, 0.075, 1e-15);
}

TEST(SegmentPooling, AgreeingSegmentsTakeTheOverall) {
  const ShrunkUplift shrunk = shrink_toward({0.3, 0.1}, {0.2, 0.05}, 0.0);
  EXPECT_EQ(shrunk.shrinkage, 1.0);
  EXPECT_EQ(shrunk.estimate, 0.2);
  EXPECT_EQ(shrunk.standard_error, 0.05);
}

TEST(SegmentPooling, AHugeTauSquaredLeavesTheSegmentAlone) {
  const ShrunkUplift shrunk = shrink_toward({0.3, 0.1}, {0.2, 0.05}, 1e12);
  EXPECT_LT(shrunk.shrinkage, 1e-13);
  EXPECT_NEAR(shrunk.estimate, 0.3, 1e-12);
  EXPECT_NEAR(shrunk.standard_error, 0.1, 1e-12);
}

double posterior_mean_tau2(const TauPosterior& posterior) {
  double mean = 0.0;
  double total = 0.0;
  for (std::size_t j = 0; j < posterior.tau2.size(); ++j) {
    mean += posterior.weight[j] * posterior.tau2[j];
    total += posterior.weight[j];
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
  return mean;
}

TEST(SegmentPooling, TheTauPosteriorOfAgreeingSegmentsSitsNearZero) {
  // Ten precise segments at the overall: the likelihood falls with tau, so the posterior mean
  // of tau^2 is far below a segment's own variance, and each segment is pooled almost fully.
  const std::vector<LogUplift> segments(10, LogUplift{0.1, 0.02});
  const LogUplift overall{0.1, 0.01};
  const TauPosterior posterior = tau_posterior(segments, overall);
  EXPECT_LT(posterior_mean_tau2(posterior), 0.02 * 0.02);
  const ShrunkUplift pooled = shrink_hierarchically({0.14, 0.02}, overall, posterior);
  EXPECT_GT(pooled.shrinkage, 0.5);
  EXPECT_LT(pooled.estimate, 0.12);
}

TEST(SegmentPooling, SegmentsFarApartKeepTheirOwnEstimates) {
  // Segments at -0.6, 0 and +0.6 with standard errors 0.02: tau is clearly large, B tiny.
  const std::vector<LogUplift> segments{{-0.6, 0.02}, {0.0, 0.02}, {0.6, 0.02}};
  const LogUplift overall{0.0, 0.01};
  const TauPosterior posterior = tau_posterior(segments, overall);
  EXPECT_GT(posterior_mean_tau2(posterior), 0.2);
  const ShrunkUplift pooled = shrink_hierarchically(segments.back(), overall, posterior);
  EXPECT_LT(pooled.shrinkage, 0.01);
  EXPECT_NEAR(pooled.estimate, 0.6, 0.01);
  EXPECT_NEAR(pooled.standard_error, 0.02, 0.002);
}

TEST(SegmentPooling, APointPosteriorIsShrinkTowardAtThatPoint) {
  const TauPosterior point{{0.01}, {1.0}};
  const ShrunkUplift mixed = shrink_hierarchically({0.3, 0.1}, {0.2, 0.05}, point);
  const ShrunkUplift direct = shrink_toward({0.3, 0.1}, {0.2, 0.05}, 0.01);
  EXPECT_NEAR(mixed.estimate, direct.estimate, 1e-15);
  EXPECT_NEAR(mixed.standard_error, direct.standard_error, 1e-12);
  EXPECT_NEAR(mixed.shrinkage, direct.shrinkage, 1e-15);
}

TEST(SegmentPooling, EvidenceFromALogPosterior) {
  const Evidence evidence = evidence_from_log({0.0, 0.1}, 0.95, stats::Direction::higher_is_better);
  EXPECT_DOUBLE_EQ(*evidence.p2bc, 0.5);
  EXPECT_DOUBLE_EQ(*evidence.uplift, 0.0);
  EXPECT_NEAR(*evidence.uplift_low, -0.17798480480161089, 1e-12);
  EXPECT_NEAR(*evidence.uplift_high, 0.21652252396460284, 1e-12);
  const Evidence lower = evidence_from_log({0.1, 0.1}, 0.95, stats::Direction::lower_is_better);
  EXPECT_NEAR(*lower.p2bc, 1.0 - 0.8413447460685429, 1e-12); // P(log uplift < 0), z = 1
}

TEST(SegmentChance, AWinnerNeedsTheThresholdAndTheBand) {
  const VerdictRule rule;
  EXPECT_NEAR(winner_z(0.5, rule), k_z80, 1e-12); // the band is no hurdle for a wide interval
  EXPECT_NEAR(winner_z(0.01, rule), 1.9802627296179711, 1e-12); // log(1.02) / 0.01
}

TEST(SegmentChance, OneSegmentIsABernoulliOfItsChance) {
  const std::vector<ChanceDimension> dimensions{{1.0}};
  const std::vector<ChanceComparison> comparisons{{0, 0, 1, 1000.0, 1000.0, k_z80}};
  const ChanceCount count = chance_count(dimensions, comparisons, 2, 0, 100'000, 7);
  EXPECT_NEAR(count.expected, 0.2, 1e-12);
  EXPECT_EQ(count.upper_95, 1U);
  EXPECT_EQ(count.upper_95_coverage, 1.0);
  ASSERT_EQ(count.distribution.size(), 2U);
  // Within 5 Monte Carlo standard errors, sqrt(0.2 * 0.8 / 1e5) = 0.00126.
  EXPECT_NEAR(count.distribution[1], 0.2, 5 * 0.00126);
  EXPECT_NEAR(count.at_least(1), count.distribution[1], 1e-15);
}

TEST(SegmentChance, SegmentsOfOneDimensionAreIndependent) {
  // Two halves, each called at z >= 1.2816 (P = 0.1): P(0) = 0.81, P(1) = 0.18, P(2) = 0.01.
  const std::vector<ChanceDimension> dimensions{{0.5, 0.5}};
  const std::vector<ChanceComparison> comparisons{{0, 0, 1, 500.0, 500.0, 1.2815515655446008},
                                                  {0, 1, 1, 500.0, 500.0, 1.2815515655446008}};
  const ChanceCount count = chance_count(dimensions, comparisons, 2, 0, 100'000, 11);
  EXPECT_NEAR(count.expected, 0.2, 1e-12);
  EXPECT_EQ(count.upper_95, 1U);
  EXPECT_NEAR(count.distribution[2], 0.01, 5 * 0.0003);
  EXPECT_NEAR(count.upper_95_coverage, 0.99, 5 * 0.0003);
}

TEST(SegmentChance, OverlappingSegmentsCorrelateAsTheSquareRootOfTheirShares) {
  // A quarter of the visitors (one dimension) and all of them (another) correlate
  // sqrt(0.25 * 1) = 0.5; at z = 0 both are winners with the orthant probability
  // 1/4 + asin(0.5) / (2 pi) = 1/3 (1/4 were they independent).
  const std::vector<ChanceDimension> dimensions{{0.25, 0.75}, {1.0}};
  const std::vector<ChanceComparison> comparisons{{0, 0, 1, 250.0, 250.0, 0.0},
                                                  {1, 0, 1, 1000.0, 1000.0, 0.0}};
  const ChanceCount count = chance_count(dimensions, comparisons, 2, 0, 200'000, 3);
  EXPECT_NEAR(count.distribution[2], 1.0 / 3.0, 5 * 0.00106);
  EXPECT_NEAR(count.distribution[0], 1.0 / 3.0, 5 * 0.00106);
}

TEST(SegmentChance, VariationsSharingAControlCorrelateByIt) {
  // Equal arms: each comparison's error is (e_v - e_c) / sqrt(2), so two variations against
  // one control correlate 1/2, and P(both >= 0) = 1/3 as above.
  const std::vector<ChanceDimension> dimensions{{1.0}};
  const std::vector<ChanceComparison> comparisons{{0, 0, 1, 1000.0, 1000.0, 0.0},
                                                  {0, 0, 2, 1000.0, 1000.0, 0.0}};
  const ChanceCount count = chance_count(dimensions, comparisons, 3, 0, 200'000, 5);
  EXPECT_NEAR(count.distribution[2], 1.0 / 3.0, 5 * 0.00106);
}

TEST(SegmentChance, TheSameSeedGivesTheSameCount) {
  const std::vector<ChanceDimension> dimensions{{0.3, 0.7}, {0.5, 0.4}};
  const std::vector<ChanceComparison> comparisons{
      {0, 0, 1, 300.0, 310.0, 1.0}, {0, 1, 1, 700.0, 690.0, 1.1}, {1, 1, 1, 400.0, 410.0, 0.9}};
  const ChanceCount first = chance_count(dimensions, comparisons, 2, 0, 10'000, 99);
  const ChanceCount second = chance_count(dimensions, comparisons, 2, 0, 10'000, 99);
  EXPECT_EQ(first.distribution, second.distribution);
  EXPECT_EQ(first.upper_95, second.upper_95);
}

TEST(SegmentContradictions, BeyondTheBandOnOppositeSides) {
  EXPECT_TRUE(contradicts(0.05, -0.03, 0.02));
  EXPECT_TRUE(contradicts(-0.05, 0.03, 0.02));
  EXPECT_FALSE(contradicts(0.05, -0.01, 0.02)); // the segment is within the band
  EXPECT_FALSE(contradicts(0.01, -0.5, 0.02));  // the overall is within the band
  EXPECT_FALSE(contradicts(0.05, 0.5, 0.02));
}

TEST(SegmentContradictions, PostStratifiedUpliftOfTheSimpsonVector) {
  // stats-anchors §5.5: mobile 100/5000 vs 220/10000, desktop 500/10000 vs 270/5000, each
  // segment half of the pooled visitors: 0.038 / 0.035 - 1.
  const std::vector<Stratum> strata{{0.02, 0.022, 0.5}, {0.05, 0.054, 0.5}};
  EXPECT_NEAR(*post_stratified_uplift(strata), 0.0857142857142857, 1e-12);
  EXPECT_FALSE(post_stratified_uplift(std::vector<Stratum>{{0.0, 0.1, 1.0}}));
}

TEST(SegmentRollout, OpportunityIsVisitorsPerDayTimesValueTimesUpliftOverAYear) {
  Evidence uplift;
  uplift.uplift = 0.1;
  uplift.uplift_low = 0.0;
  uplift.uplift_high = 0.2;
  // 1000 visitors over 10 days = 100 a day; x 2.0 per visitor x 365 = 73,000 a year.
  const Opportunity opportunity = revenue_opportunity(1000.0, 10, 2.0, uplift);
  EXPECT_NEAR(opportunity.per_year, 7300.0, 1e-9);
  EXPECT_NEAR(opportunity.low, 0.0, 1e-9);
  EXPECT_NEAR(opportunity.high, 14600.0, 1e-9);
}

RolloutTally tally(std::size_t segments, std::size_t winners, std::size_t losers,
                   std::size_t low_data) {
  RolloutTally result;
  result.segments = segments;
  result.winners = winners;
  result.losers = losers;
  result.low_data = low_data;
  return result;
}

TEST(SegmentRollout, TheCallsOfSection21) {
  EXPECT_EQ(rollout_call(tally(10, 5, 0, 0)).call, RolloutCall::roll_out);
  EXPECT_EQ(rollout_call(tally(10, 2, 1, 0)).call, RolloutCall::segment_specific);
  EXPECT_EQ(rollout_call(tally(10, 2, 0, 0)).call, RolloutCall::segment_specific);
  EXPECT_EQ(rollout_call(tally(10, 0, 3, 0)).call, RolloutCall::dont);
  EXPECT_EQ(rollout_call(tally(10, 5, 0, 6)).call, RolloutCall::hold);
  EXPECT_EQ(rollout_call(tally(10, 0, 0, 2)).call, RolloutCall::hold);
  EXPECT_EQ(rollout_label(RolloutCall::segment_specific), "SEGMENT-SPECIFIC");
  EXPECT_EQ(rollout_label(RolloutCall::dont), "DON'T");
}

TEST(SegmentRollout, CountsNoLargerThanChanceCountAsNone) {
  RolloutTally noise = tally(10, 2, 1, 0);
  noise.winners_within_chance = true;
  noise.losers_within_chance = true;
  const RolloutDecision decision = rollout_call(noise);
  EXPECT_EQ(decision.call, RolloutCall::hold);
  EXPECT_NE(decision.reason.find("no more than chance"), std::string::npos) << decision.reason;
  RolloutTally real_winners = tally(10, 6, 1, 0);
  real_winners.losers_within_chance = true;
  EXPECT_EQ(rollout_call(real_winners).call, RolloutCall::roll_out);
}

} // namespace
} // namespace reckon::analysis
