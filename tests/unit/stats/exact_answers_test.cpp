#include "reckon/stats/beta.hpp"
#include "reckon/stats/comparison.hpp"
#include "reckon/stats/exact.hpp"

#include "stats/cdf_table.hpp"

#include <boost/math/special_functions/beta.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <vector>

namespace reckon::stats {
namespace {

// Stats anchors C1-C9 (data/anchors/stats-anchors-vectors.json: scipy quadrature and 40-digit
// mpmath): posteriors of A (control) and B, P(B > A), the 95% interval of B / A - 1 and the
// relative losses E[(B - A)+ / A] (keeping A) and E[(A - B)+ / A] (shipping B).
struct Anchor {
  BetaParams a;
  BetaParams b;
  double b_beats_a;
  Interval lift;
  std::optional<double> loss_keep_a;
  std::optional<double> loss_ship_b;
};

const std::vector<Anchor>& anchors() {
  static const std::vector<Anchor> cases{
      {{50, 52},
       {52, 50},
       0.6107705226878395,
       {-0.21093863875679147, 0.373817568529951},
       0.0864469826895375,
       0.035626654558285266},
      {{101, 901},
       {121, 881},
       0.9231834389735597,
       {-0.06536043211097901, 0.5408381930997952},
       0.2129627542222142,
       0.004170339052554054},
      {{201, 9801},
       {241, 9761},
       0.9730138504775647,
       {-0.003094497596889779, 0.4444264569390534},
       0.20581894230605247,
       0.00093941821087174},
      {{181, 9821},
       {201, 10801},
       0.5380062539718021,
       {-0.17242436658891228, 0.23288888570142244},
       0.04881458513082915,
       0.03374611273187154},
      {{4, 18},
       {8, 14},
       0.9205415546878961,
       {-0.24335143064989406, 6.1599805585276615},
       1.56060221913454,
       0.015147673684259042},
      {{1, 51},
       {3, 49},
       0.0,
       {-0.5716642283157493, 114.79943763686461},
       std::nullopt,
       std::nullopt},
      {{1501, 48501},
       {1601, 48401},
       0.9659525335217658,
       {-0.004782001930982872, 0.14324367118267373},
       0.06778062508776875,
       0.0004686375672689628},
      {{51, 99951},
       {81, 99921},
       0.9957550306158879,
       {0.12507007456012662, 1.2742659461623262},
       0.620203919597678,
       0.00022011927368500292},
      {{30001, 970001},
       {30501, 969501},
       0.9805026482029234,
       {0.0008353268550588124, 0.03274841544466034},
       0.016755969387394903,
       5.698608536637655e-05},
  };
  return cases;
}

Comparison exact_pair(BetaParams a, BetaParams b, Direction direction) {
  const std::vector<ArmPosterior> arms{a, b};
  return compare(arms, 0, SamplingPlan{20'000, 7, 0.95}, 11, direction, Answers::exact_where_known);
}

TEST(CdfTable, FollowsTheIncompleteBeta) {
  for (const BetaParams beta : {BetaParams{1, 51}, BetaParams{4, 18}, BetaParams{201, 9801},
                                BetaParams{30001, 970001}, BetaParams{3, 7}}) {
    ASSERT_TRUE(detail::CdfTable::accepts(beta));
    const detail::CdfTable table(beta);
    double mass = 0.0;
    for (const double w : table.weights()) {
      mass += w;
    }
    EXPECT_NEAR(mass, 1.0, 1e-12);
    for (double p = 0.001; p < 1.0; p += 0.0371) {
      const double x = beta_quantile(beta, p);
      EXPECT_NEAR(table.cdf(x), p, 1e-9) << beta.alpha << ", " << beta.beta << " at " << p;
    }
  }
  EXPECT_FALSE(detail::CdfTable::accepts({0.5, 10}));
  EXPECT_FALSE(detail::CdfTable::accepts({1.5, 10}));
  EXPECT_FALSE(detail::CdfTable::accepts({20.5, 10}));
}

TEST(ExactAnswers, TwoBetasMatchTheAnchors) {
  for (const Anchor& c : anchors()) {
    const Comparison found = exact_pair(c.a, c.b, Direction::higher_is_better);
    ASSERT_TRUE(found.exact);
    const ArmAnswer& b = found.arms[1];
    // C6 has no 40-digit P(B > A); the closed form is held to quadrature instead.
    EXPECT_NEAR(b.prob_beat_control->value,
                c.b_beats_a > 0.0 ? c.b_beats_a : prob_greater_quadrature(c.b, c.a), 1e-12);
    EXPECT_NEAR(b.prob_best.value, b.prob_beat_control->value, 1e-15);
    EXPECT_NEAR(found.arms[0].prob_best.value, 1.0 - b.prob_beat_control->value, 1e-15);
    const double width = c.lift.high - c.lift.low;
    EXPECT_NEAR(b.uplift->value.low, c.lift.low, 1e-6 * width) << c.a.alpha;
    EXPECT_NEAR(b.uplift->value.high, c.lift.high, 1e-6 * width) << c.a.alpha;
    EXPECT_FALSE(b.uplift->standard_error);
    EXPECT_FALSE(b.prob_beat_control->standard_error);
    if (c.loss_keep_a) {
      EXPECT_FALSE(found.loss_by_monte_carlo);
      EXPECT_NEAR(found.arms[0].expected_loss->value, *c.loss_keep_a, 1e-9 * *c.loss_keep_a);
      EXPECT_NEAR(b.expected_loss->value, *c.loss_ship_b, 1e-9 * *c.loss_ship_b);
      EXPECT_FALSE(b.expected_loss->standard_error);
    } else {
      // Control alpha 1: E[1 / A] diverges, so the loss of keeping A is infinite (absent)
      // and the bounded loss of shipping B is drawn.
      EXPECT_TRUE(found.loss_by_monte_carlo);
      EXPECT_FALSE(found.arms[0].expected_loss);
      ASSERT_TRUE(b.expected_loss);
      EXPECT_TRUE(b.expected_loss->standard_error);
    }
  }
}

// Lower is better flips p2bc, p2bb and which gap each arm loses; the uplift is unchanged.
TEST(ExactAnswers, LowerIsBetterSwapsTheLosses) {
  const Anchor& c = anchors()[1];
  const Comparison found = exact_pair(c.a, c.b, Direction::lower_is_better);
  EXPECT_NEAR(found.arms[1].prob_beat_control->value, 1.0 - c.b_beats_a, 1e-12);
  EXPECT_NEAR(found.arms[1].expected_loss->value, *c.loss_keep_a, 1e-9);
  EXPECT_NEAR(found.arms[0].expected_loss->value, *c.loss_ship_b, 1e-9);
  EXPECT_NEAR(found.arms[1].uplift->value.low, c.lift.low, 1e-6);
}

// Exact and Monte Carlo answers of the same cells agree within 4 Monte Carlo errors.
void expect_agreement(const std::vector<ArmPosterior>& arms, Direction direction) {
  const SamplingPlan plan{400'000, 3, 0.95};
  const Comparison exact = compare(arms, 0, plan, 5, direction, Answers::exact_where_known);
  const Comparison drawn = compare(arms, 0, plan, 5, direction, Answers::monte_carlo);
  ASSERT_TRUE(exact.exact);
  ASSERT_FALSE(drawn.exact);
  const auto near = [](double value, double reference, double se) {
    EXPECT_NEAR(value, reference, 4.0 * se + 1e-12);
  };
  for (std::size_t i = 0; i < arms.size(); ++i) {
    const ArmAnswer& e = exact.arms[i];
    const ArmAnswer& d = drawn.arms[i];
    EXPECT_FALSE(e.credible.standard_error);
    near(e.credible.value.low, d.credible.value.low, d.credible.standard_error->low);
    near(e.credible.value.high, d.credible.value.high, d.credible.standard_error->high);
    near(e.prob_best.value, d.prob_best.value, *d.prob_best.standard_error);
    if (e.expected_loss && !e.expected_loss->standard_error) {
      near(e.expected_loss->value, d.expected_loss->value, *d.expected_loss->standard_error);
    }
    if (i == 0) {
      continue;
    }
    near(e.prob_beat_control->value, d.prob_beat_control->value,
         *d.prob_beat_control->standard_error);
    near(e.uplift->value.low, d.uplift->value.low, d.uplift->standard_error->low);
    near(e.uplift->value.high, d.uplift->value.high, d.uplift->standard_error->high);
  }
}

TEST(ExactAnswers, LogNormalsAgreeWithTheirDraws) {
  const std::vector<ArmPosterior> two{LogNormalParams{4.3, 0.05}, LogNormalParams{4.33, 0.06}};
  expect_agreement(two, Direction::higher_is_better);
  expect_agreement(two, Direction::lower_is_better);
  const std::vector<ArmPosterior> three{LogNormalParams{4.3, 0.05}, LogNormalParams{4.33, 0.06},
                                        LogNormalParams{4.31, 0.04}};
  expect_agreement(three, Direction::higher_is_better);
  expect_agreement(three, Direction::lower_is_better);
}

TEST(ExactAnswers, ThreeBetasAgreeWithTheirDraws) {
  const std::vector<ArmPosterior> three{BetaParams{101, 901}, BetaParams{121, 881},
                                        BetaParams{111, 891}};
  expect_agreement(three, Direction::higher_is_better);
  expect_agreement(three, Direction::lower_is_better);
  const Comparison exact =
      compare(three, 0, SamplingPlan{}, 5, Direction::higher_is_better, Answers::exact_where_known);
  EXPECT_FALSE(exact.loss_by_monte_carlo);
  EXPECT_FALSE(exact.arms[1].expected_loss->standard_error);
  EXPECT_FALSE(exact.arms[1].prob_best.standard_error);
}

// A rate times a value has no exact route: every number is drawn.
TEST(ExactAnswers, RateTimesValueIsDrawn) {
  const std::vector<ArmPosterior> arms{
      RateTimesValue{BetaParams{101, 901}, LogNormalParams{4.3, 0.05}},
      RateTimesValue{BetaParams{121, 881}, LogNormalParams{4.33, 0.06}}};
  const Comparison found =
      compare(arms, 0, SamplingPlan{}, 5, Direction::higher_is_better, Answers::exact_where_known);
  EXPECT_FALSE(found.exact);
  EXPECT_TRUE(found.arms[1].prob_beat_control->standard_error);
}

} // namespace
} // namespace reckon::stats
