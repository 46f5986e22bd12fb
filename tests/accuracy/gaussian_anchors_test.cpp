// Checks the Normal effect model (gaussian_effect.hpp) against GrowthBook's gbstats 0.8 vectors
// of stats-anchors §5.4-5.5, recomputed independently there. Closed forms must match to 1e-12
// where the vector file gives full precision, and to half a unit in the last digit the note
// prints where only the note has the value (stated per test).
#include "reckon/stats/gaussian_effect.hpp"
#include "reckon/stats/monte_carlo.hpp"
#include "reckon/stats/value_models.hpp"

#include "support/paths.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

namespace reckon::stats {
namespace {

constexpr double k_exact_tolerance = 1e-12;

simdjson::dom::element root() {
  static simdjson::dom::parser parser;
  static const simdjson::dom::element loaded =
      parser.load((test::data_dir() / "anchors" / "stats-anchors-vectors.json").string());
  return loaded;
}

// The "gaussian" array entry whose case name starts with `prefix`.
simdjson::dom::element gaussian_case(std::string_view prefix) {
  for (simdjson::dom::element c : root()["gaussian"]) {
    if (std::string_view(c["case"]).starts_with(prefix)) {
      return c;
    }
  }
  throw std::runtime_error("no gaussian anchor " + std::string(prefix));
}

Interval interval_of(simdjson::dom::element pair) {
  return Interval{double(pair.at(0)), double(pair.at(1))};
}

// A gbstats Bayesian result: {mean, sd, ctw, ci, risk_ctrl, risk_trt}, or the cross-check
// run's {expected, uplift: {stddev}, chanceToWin, ci, risk}.
struct Expected {
  double mean = 0.0;
  double sd = 0.0;
  double ctw = 0.0;
  Interval ci;
  double risk_keep_control = 0.0;
  double risk_ship_variant = 0.0;
};

Expected expected_of(simdjson::dom::element bayes) {
  double mean = 0.0;
  if (bayes["mean"].get(mean) == simdjson::SUCCESS) {
    return Expected{mean,
                    double(bayes["sd"]),
                    double(bayes["ctw"]),
                    interval_of(bayes["ci"]),
                    double(bayes["risk_ctrl"]),
                    double(bayes["risk_trt"])};
  }
  return Expected{double(bayes["expected"]),    double(bayes["uplift"]["stddev"]),
                  double(bayes["chanceToWin"]), interval_of(bayes["ci"]),
                  double(bayes["risk"].at(0)),  double(bayes["risk"].at(1))};
}

void expect_effect(const std::optional<GaussianEffect>& effect, const Expected& expected,
                   double tolerance = k_exact_tolerance) {
  ASSERT_TRUE(effect.has_value());
  EXPECT_NEAR(effect->lift.mean, expected.mean, tolerance);
  EXPECT_NEAR(effect->lift.sd, expected.sd, tolerance);
  EXPECT_NEAR(effect->chance_to_win, expected.ctw, tolerance);
  EXPECT_NEAR(effect->credible.low, expected.ci.low, tolerance);
  EXPECT_NEAR(effect->credible.high, expected.ci.high, tolerance);
  EXPECT_NEAR(effect->risk_keep_control, expected.risk_keep_control, tolerance);
  EXPECT_NEAR(effect->risk_ship_variant, expected.risk_ship_variant, tolerance);
}

EffectOptions with_prior(double mean, double variance) {
  EffectOptions options;
  options.prior = LiftPrior{mean, variance};
  return options;
}

TEST(GaussianAnchors, G1ProportionsFlatPrior) {
  const simdjson::dom::element g1 = gaussian_case("G1");
  const auto a = proportion_estimate(49, 100);
  const auto b = proportion_estimate(51, 100);
  ASSERT_TRUE(a && b);
  const auto lift = lift_estimate(*a, *b, LiftScale::relative);
  ASSERT_TRUE(lift);
  EXPECT_NEAR(lift->mean, double(g1["est"]), k_exact_tolerance);
  EXPECT_NEAR(lift->sd, double(g1["se"]), k_exact_tolerance);
  expect_effect(gaussian_effect(*a, *b), expected_of(g1["bayes_flat"]));
}

TEST(GaussianAnchors, G2SampleMeansFlatAndWithPrior) {
  const simdjson::dom::element g2 = gaussian_case("G2");
  const auto a = sample_mean_estimate(10, 100.0, 1002.25);
  const auto b = sample_mean_estimate(10, 105.0, 1111.5);
  ASSERT_TRUE(a && b);
  expect_effect(gaussian_effect(*a, *b), expected_of(g2["bayes_flat"]));
  expect_effect(gaussian_effect(*a, *b, with_prior(0.1, 0.1)),
                expected_of(g2["bayes_prior_m0p1_v0p1"]));
}

// gbstats' get_risk(mu = 0.1, sigma = 0.05): the note gives 13 decimals; 1e-12 holds them.
TEST(GaussianAnchors, RiskRegression) {
  EXPECT_NEAR(expected_positive_part(0.1, 0.05), 0.1004245351308, 1e-12);
  EXPECT_NEAR(expected_positive_part(-0.1, 0.05), 0.0004245351308, 1e-12);
}

// test_gbstats.py RATIO_STATISTICS_DF, values from the note (9 decimals): tolerance 5e-10.
TEST(GaussianAnchors, RatioMetricBayesian) {
  constexpr double tolerance = 5e-10;
  const auto a = ratio_estimate(RatioSums{100, 270, 848.79, 510, 810, -900});
  const auto b = ratio_estimate(RatioSums{120, 300, 869, 500, 800, -905});
  ASSERT_TRUE(a && b);
  EXPECT_NEAR(a->mean, 0.529411765, tolerance);
  EXPECT_NEAR(b->mean, 0.6, tolerance);
  const auto effect = gaussian_effect(*a, *b);
  ASSERT_TRUE(effect);
  EXPECT_NEAR(effect->lift.mean, 0.133333333, tolerance);
  EXPECT_NEAR(effect->chance_to_win, 0.694926359, tolerance);
  EXPECT_NEAR(effect->risk_ship_variant, 0.050934045, tolerance);
}

// The mean metric with dimension "one", values from the note (9 decimals): tolerance 5e-10.
TEST(GaussianAnchors, MeanMetricWithDimensionOne) {
  constexpr double tolerance = 5e-10;
  const auto a = sample_mean_estimate(100, 270, 848.79);
  const auto b = sample_mean_estimate(120, 300, 869);
  ASSERT_TRUE(a && b);
  const auto effect = gaussian_effect(*a, *b);
  ASSERT_TRUE(effect);
  EXPECT_NEAR(effect->lift.mean, -0.074074074, tolerance);
  EXPECT_NEAR(effect->chance_to_win, 0.071834168, tolerance);
  EXPECT_NEAR(effect->risk_ship_variant, 0.075691131, tolerance);
}

// R1: revenue per visitor from per-visitor sums (one order per buyer, so the sums of squares
// are the orders').
TEST(GaussianAnchors, R1RevenuePerVisitor) {
  const simdjson::dom::element revenue = root()["revenue"];
  const auto a = sample_mean_estimate(10'000, 24'000, 2'996'400);
  const auto b = sample_mean_estimate(10'000, 25'740, 3'397'745);
  ASSERT_TRUE(a && b);
  const simdjson::dom::element gauss = revenue["R1_rpv_gauss"];
  EXPECT_NEAR(a->mean, double(gauss["rpv_A"]), k_exact_tolerance);
  EXPECT_NEAR(b->mean, double(gauss["rpv_B"]), k_exact_tolerance);
  expect_effect(gaussian_effect(*a, *b), expected_of(gauss["bayes_flat"]));
  // LiftPrior's defaults are GrowthBook's proper prior N(0, 0.3^2).
  EffectOptions proper;
  proper.prior = LiftPrior{};
  expect_effect(gaussian_effect(*a, *b, proper), expected_of(gauss["bayes_prior_0_0p3"]));
  const double z = normal_two_sided_z(0.95);
  const simdjson::dom::element ci = revenue["R1_rpv_ci95_normal"];
  for (const auto& [estimate, key] : {std::pair{*a, "A"}, std::pair{*b, "B"}}) {
    const Interval expected = interval_of(ci[key]);
    EXPECT_NEAR(estimate.mean - z * std::sqrt(estimate.variance), expected.low, k_exact_tolerance);
    EXPECT_NEAR(estimate.mean + z * std::sqrt(estimate.variance), expected.high, k_exact_tolerance);
  }
}

// R1 AOV as a ratio (revenue per visitor over orders per visitor) with n - 1 variances and
// covariance: each buyer has one order, so sum d = sum d^2 = orders and sum m d = revenue.
TEST(GaussianAnchors, R1OrderValueAsRatio) {
  const simdjson::dom::element aov = root()["revenue"]["R1_aov_ratio_delta"];
  const auto a = ratio_estimate(RatioSums{10'000, 24'000, 2'996'400, 300, 300, 24'000});
  const auto b = ratio_estimate(RatioSums{10'000, 25'740, 3'397'745, 330, 330, 25'740});
  ASSERT_TRUE(a && b);
  EXPECT_NEAR(a->mean, double(aov["aov_A"]), k_exact_tolerance);
  EXPECT_NEAR(b->mean, double(aov["aov_B"]), k_exact_tolerance);
  const auto lift = lift_estimate(*a, *b, LiftScale::relative);
  ASSERT_TRUE(lift);
  EXPECT_NEAR(lift->mean, double(aov["est"]), k_exact_tolerance);
  EXPECT_NEAR(lift->sd, double(aov["se"]), k_exact_tolerance);
  expect_effect(gaussian_effect(*a, *b), expected_of(aov["bayes_flat"]));
}

// R3: aggregates only, with an assumed order-value CV (order SD = CV * AOV).
TEST(GaussianAnchors, R3AssumedOrderValueCv) {
  const simdjson::dom::element r3 = root()["revenue"]["R3_gauss_assumed_cv"];
  for (const auto& [key, cv] :
       {std::pair{"cv=0.75", 0.75}, std::pair{"cv=1.0", 1.0}, std::pair{"cv=1.5", 1.5}}) {
    SCOPED_TRACE(key);
    const auto a = per_visitor_value_estimate(10'000, 300, 24'000, cv * 80.0);
    const auto b = per_visitor_value_estimate(10'000, 330, 25'740, cv * 78.0);
    ASSERT_TRUE(a && b);
    const auto effect = gaussian_effect(*a, *b);
    ASSERT_TRUE(effect);
    const simdjson::dom::element expected = r3[key];
    EXPECT_NEAR(effect->lift.mean, double(expected["est"]), k_exact_tolerance);
    EXPECT_NEAR(effect->lift.sd, double(expected["se"]), k_exact_tolerance);
    EXPECT_NEAR(effect->chance_to_win, double(expected["ctw"]), k_exact_tolerance);
    EXPECT_NEAR(effect->credible.low, interval_of(expected["ci95"]).low, k_exact_tolerance);
    EXPECT_NEAR(effect->credible.high, interval_of(expected["ci95"]).high, k_exact_tolerance);
  }
}

// The local gbstats run: conversion 300/10,000 vs 330/10,000 as proportions; two segments; and
// their sum, which gbstats turns into a sample mean with the n - 1 variance.
TEST(GaussianAnchors, GbstatsRunCrossCheck) {
  const simdjson::dom::element run = root()["gbstats_run_crosscheck"];
  expect_effect(
      gaussian_effect(*proportion_estimate(300, 10'000), *proportion_estimate(330, 10'000)),
      expected_of(run["cr_bayes_flat"]));
  expect_effect(gaussian_effect(*proportion_estimate(150, 6'000), *proportion_estimate(180, 6'000)),
                expected_of(run["seg_mobile"]));
  expect_effect(gaussian_effect(*proportion_estimate(150, 4'000), *proportion_estimate(150, 4'000)),
                expected_of(run["seg_desktop"]));
  expect_effect(gaussian_effect(*sample_mean_estimate(10'000, 300, 300),
                                *sample_mean_estimate(10'000, 330, 330)),
                expected_of(run["seg_pooled_sum"]));
  expect_effect(gaussian_effect(*sample_mean_estimate(10'000, 24'000, 2'996'400),
                                *sample_mean_estimate(10'000, 25'740, 3'397'745)),
                expected_of(run["rpv_bayes_flat"]));
}

// The normal_delta route's two-arm answers (compare_gaussian_arms) on every flat-prior vector:
// the variant's p2bb is gbstats' chance to win, the control's its complement, and the expected
// losses of choosing the control and the variant are gbstats' risk[0] and risk[1].
TEST(GaussianAnchors, TwoArmRouteAnswersAreGbstatsChanceToWinAndRisk) {
  const simdjson::dom::element run = root()["gbstats_run_crosscheck"];
  const simdjson::dom::element revenue = root()["revenue"];
  const auto ratio = [](std::uint64_t orders, double revenue_sum, double revenue_sq) {
    return *ratio_estimate(
        RatioSums{10'000, revenue_sum, revenue_sq, double(orders), double(orders), revenue_sum});
  };
  struct Case {
    const char* name;
    MeanEstimate control;
    MeanEstimate variant;
    simdjson::dom::element expected;
  };
  const Case cases[] = {
      {"G1", *proportion_estimate(49, 100), *proportion_estimate(51, 100),
       gaussian_case("G1")["bayes_flat"]},
      {"G2", *sample_mean_estimate(10, 100.0, 1002.25), *sample_mean_estimate(10, 105.0, 1111.5),
       gaussian_case("G2")["bayes_flat"]},
      {"R1 rpv", *sample_mean_estimate(10'000, 24'000, 2'996'400),
       *sample_mean_estimate(10'000, 25'740, 3'397'745), revenue["R1_rpv_gauss"]["bayes_flat"]},
      {"R1 aov", ratio(300, 24'000, 2'996'400), ratio(330, 25'740, 3'397'745),
       revenue["R1_aov_ratio_delta"]["bayes_flat"]},
      {"run cr", *proportion_estimate(300, 10'000), *proportion_estimate(330, 10'000),
       run["cr_bayes_flat"]},
      {"run mobile", *proportion_estimate(150, 6'000), *proportion_estimate(180, 6'000),
       run["seg_mobile"]},
      {"run desktop", *proportion_estimate(150, 4'000), *proportion_estimate(150, 4'000),
       run["seg_desktop"]},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Expected expected = expected_of(c.expected);
    const auto arms = compare_gaussian_arms(std::vector{c.control, c.variant}, 0, 0.95,
                                            Direction::higher_is_better);
    ASSERT_TRUE(arms && (*arms)[1].effect);
    EXPECT_NEAR((*arms)[1].prob_best, expected.ctw, k_exact_tolerance);
    EXPECT_NEAR((*arms)[0].prob_best, 1.0 - expected.ctw, k_exact_tolerance);
    EXPECT_NEAR((*arms)[1].effect->credible.low, expected.ci.low, k_exact_tolerance);
    EXPECT_NEAR((*arms)[1].effect->credible.high, expected.ci.high, k_exact_tolerance);
    EXPECT_NEAR((*arms)[0].expected_loss, expected.risk_keep_control, k_exact_tolerance);
    EXPECT_NEAR((*arms)[1].expected_loss, expected.risk_ship_variant, k_exact_tolerance);
  }
}

TEST(GaussianAnchors, SimpsonSegmentsAndPooled) {
  const simdjson::dom::element simpson = root()["simpson"];
  const auto effect = [](std::uint64_t ka, std::uint64_t na, std::uint64_t kb, std::uint64_t nb) {
    return gaussian_effect(*proportion_estimate(ka, na), *proportion_estimate(kb, nb));
  };
  const auto mobile = effect(100, 5'000, 220, 10'000);
  const auto desktop = effect(500, 10'000, 270, 5'000);
  const auto pooled = effect(600, 15'000, 490, 15'000);
  ASSERT_TRUE(mobile && desktop && pooled);
  EXPECT_NEAR(mobile->lift.mean, double(simpson["segment_lifts"]["mobile"]), k_exact_tolerance);
  EXPECT_NEAR(desktop->lift.mean, double(simpson["segment_lifts"]["desktop"]), k_exact_tolerance);
  EXPECT_NEAR(pooled->lift.mean, double(simpson["pooled_lift"]), k_exact_tolerance);
  EXPECT_NEAR(mobile->chance_to_win, double(simpson["segment_ctw_gauss"]["mobile"]),
              k_exact_tolerance);
  EXPECT_NEAR(desktop->chance_to_win, double(simpson["segment_ctw_gauss"]["desktop"]),
              k_exact_tolerance);
  EXPECT_NEAR(pooled->chance_to_win, double(simpson["pooled_ctw_gauss"]), k_exact_tolerance);
}

// §2.8 and R4: the chance to win behind a reported interval. The §2.8 vector (est sqrt(pi),
// sd pi) has 7 decimals: tolerance 5e-8. R4's has full precision.
TEST(GaussianAnchors, ChanceToWinFromAReportedInterval) {
  const double est = std::sqrt(std::numbers::pi);
  const double half = normal_two_sided_z(1.0 - std::numbers::pi / 100) * std::numbers::pi;
  const auto lift =
      normal_mean_from_interval(est, {est - half, est + half}, 1.0 - std::numbers::pi / 100);
  ASSERT_TRUE(lift);
  EXPECT_NEAR(lift->sd, std::numbers::pi, 1e-12);
  EXPECT_NEAR(prob_positive(lift->mean, lift->sd), 0.7136874, 5e-8);
  EXPECT_NEAR(prob_positive(-lift->mean, lift->sd), 0.2863126, 5e-8);

  const simdjson::dom::element r4 = root()["revenue"]["R4_backout"];
  const Interval reported = interval_of(r4["reported_ci"]);
  const auto implied =
      normal_mean_from_interval((reported.low + reported.high) / 2, reported, 0.95);
  ASSERT_TRUE(implied);
  EXPECT_NEAR(implied->sd, double(r4["implied_se"]), 1e-12);
  EXPECT_NEAR(prob_positive(implied->mean, implied->sd), double(r4["implied_ctw"]), 1e-12);
}

// Monte Carlo over Normal posteriors of the two means agrees with the closed form of the
// absolute-scale effect, P(mu_B > mu_A) = Phi((m_B - m_A) / sqrt(v_A + v_B)) and its risks,
// within 4 of its standard errors.
TEST(GaussianAnchors, MonteCarloOnNormalMeansMatchesTheAbsoluteEffect) {
  EffectOptions absolute;
  absolute.scale = LiftScale::absolute;
  const std::pair<MeanEstimate, MeanEstimate> cases[] = {
      {*sample_mean_estimate(10, 100.0, 1002.25), *sample_mean_estimate(10, 105.0, 1111.5)},
      {*sample_mean_estimate(10'000, 24'000, 2'996'400),
       *sample_mean_estimate(10'000, 25'740, 3'397'745)},
      {*proportion_estimate(49, 100), *proportion_estimate(51, 100)},
  };
  std::uint64_t stream = 1;
  for (const auto& [a, b] : cases) {
    const auto effect = gaussian_effect(a, b, absolute);
    ASSERT_TRUE(effect);
    const std::vector<ArmPosterior> arms{NormalParams{a.mean, std::sqrt(a.variance)},
                                         NormalParams{b.mean, std::sqrt(b.variance)}};
    const auto summary = compare_arms(arms, 0, SamplingPlan{200'000, 20'240'601, 0.95}, stream++);
    const Probability p2bc = *summary[1].prob_beat_control;
    EXPECT_NEAR(p2bc.value, effect->chance_to_win, 4.0 * p2bc.standard_error);
    // A Normal control's loss is E[gap] / |E[control]|: the absolute risks over |m_A|. The
    // control's sample mean adds an error of sd_A / sqrt(N) relative to m_A, far below the SE.
    const double base = std::abs(a.mean);
    ASSERT_TRUE(summary[0].expected_loss_se && summary[1].expected_loss_se);
    EXPECT_NEAR(*summary[0].expected_loss, effect->risk_keep_control / base,
                4.0 * *summary[0].expected_loss_se);
    EXPECT_NEAR(*summary[1].expected_loss, effect->risk_ship_variant / base,
                4.0 * *summary[1].expected_loss_se);
  }
}

} // namespace
} // namespace reckon::stats
