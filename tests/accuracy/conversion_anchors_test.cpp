// Checks the stats module against the reference vectors of stats-anchors §5 (scipy quadrature
// and 40-digit mpmath): exact answers to 1e-9, Monte Carlo within 4 of its standard errors.
#include "reckon/stats/beta.hpp"
#include "reckon/stats/exact.hpp"
#include "reckon/stats/monte_carlo.hpp"
#include "reckon/stats/srm.hpp"

#include "support/paths.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

namespace reckon::stats {
namespace {

constexpr double k_exact_tolerance = 1e-9;
constexpr double k_mc_sigmas = 4.0;
constexpr std::uint64_t k_draws = 200'000;
constexpr std::uint64_t k_seed = 20'240'601;
// Batches that estimate the Monte Carlo error of the one statistic the engine reports without
// one (the uplift median): k_batches independent runs of k_draws / k_batches draws.
constexpr int k_batches = 20;

struct ConversionCase {
  std::string name;
  BetaParams a;
  BetaParams b;
  double p_b_beats_a = 0.0;
  Interval cr_a;
  Interval cr_b;
  Interval lift;
  double lift_median = 0.0;
  std::optional<double> rel_loss_keep_a;
  std::optional<double> rel_loss_ship_b;
};

struct PriorCase {
  BetaParams a;
  BetaParams b;
  double p_b_beats_a = 0.0;
  Interval lift;
};

struct ProbBestCase {
  std::string name;
  std::vector<BetaParams> arms;
  std::vector<double> p_best;
};

struct SrmCase {
  std::vector<std::uint64_t> users;
  std::vector<double> weights;
  double chi2 = 0.0;
  double p = 0.0;
};

struct Anchors {
  std::vector<ConversionCase> conversion;
  std::vector<PriorCase> priors;
  std::vector<ProbBestCase> prob_best;
  std::vector<SrmCase> srm;
};

Interval interval_of(simdjson::dom::element pair) {
  return Interval{double(pair.at(0)), double(pair.at(1))};
}

BetaParams beta_of(simdjson::dom::element pair) {
  return BetaParams{double(pair.at(0)), double(pair.at(1))};
}

std::optional<double> optional_double(simdjson::dom::element object, const char* key) {
  double value = 0.0;
  if (object[key].get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

// The most precise reference the vectors hold: 40-digit mpmath, then mpmath, then quadrature.
double best_reference(simdjson::dom::element object) {
  for (const char* key : {"p_B_beats_A_mpmath40", "p_B_beats_A_mpmath", "p_B_beats_A_quad"}) {
    if (const auto value = optional_double(object, key)) {
      return *value;
    }
  }
  throw std::runtime_error("anchor case without a reference probability");
}

Anchors load_anchors() {
  const auto path = test::data_dir() / "anchors" / "stats-anchors-vectors.json";
  static simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.load(path.string());
  Anchors anchors;
  for (simdjson::dom::element c : root["conversion"]) {
    const BetaPrior uniform;
    anchors.conversion.push_back(ConversionCase{
        std::string(std::string_view(c["case"])),
        beta_posterior(uniform, std::uint64_t(c["conv_A"]), std::uint64_t(c["n_A"])),
        beta_posterior(uniform, std::uint64_t(c["conv_B"]), std::uint64_t(c["n_B"])),
        best_reference(c), interval_of(c["cr_A_ci95"]), interval_of(c["cr_B_ci95"]),
        interval_of(c["lift_ci95"]), double(c["lift_median"]),
        optional_double(c, "rel_loss_keep_A"), optional_double(c, "rel_loss_ship_B")});
  }
  for (simdjson::dom::element c : root["prior_sensitivity_C2"]) {
    anchors.priors.push_back(PriorCase{beta_of(c["post_A"]), beta_of(c["post_B"]),
                                       double(c["p_B_beats_A"]), interval_of(c["lift_ci95"])});
  }
  for (simdjson::dom::element c : root["prob_best"]) {
    ProbBestCase item{std::string(std::string_view(c["case"])), {}, {}};
    for (simdjson::dom::element arm : c["arms"]) {
      item.arms.push_back(
          beta_posterior(BetaPrior{}, std::uint64_t(arm.at(0)), std::uint64_t(arm.at(1))));
    }
    for (simdjson::dom::element p : c["p_best_quad"]) {
      item.p_best.push_back(double(p));
    }
    anchors.prob_best.push_back(std::move(item));
  }
  for (simdjson::dom::element c : root["srm"]) {
    SrmCase item;
    for (simdjson::dom::element users : c["users"]) {
      item.users.push_back(std::uint64_t(users));
    }
    for (simdjson::dom::element weight : c["weights"]) {
      item.weights.push_back(double(weight));
    }
    item.chi2 = double(c["chi2"]);
    item.p = double(c["p"]);
    anchors.srm.push_back(std::move(item));
  }
  return anchors;
}

const Anchors& anchors() {
  static const Anchors loaded = load_anchors();
  return loaded;
}

// The Monte Carlo standard error of the sample q-quantile: sqrt(q (1 - q) / n) / f(x_q).
double quantile_error(BetaParams beta, double q, std::uint64_t draws) {
  return std::sqrt(q * (1.0 - q) / static_cast<double>(draws)) /
         beta_pdf(beta, beta_quantile(beta, q));
}

// Every Beta case goes through the engine's general entry point, arm 0 the control.
std::vector<ArmSummary> compare(const std::vector<BetaParams>& betas, const SamplingPlan& plan,
                                std::uint64_t stream) {
  const std::vector<ArmPosterior> arms(betas.begin(), betas.end());
  return compare_arms(arms, 0, plan, stream);
}

// Mean and standard error of a statistic over independent runs; scaled to the error of one
// run of k_draws draws (errors shrink as 1/sqrt(draws)).
struct BatchError {
  std::vector<double> values;

  double standard_error() const {
    const double n = static_cast<double>(values.size());
    const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
    double squares = 0.0;
    for (const double value : values) {
      squares += (value - mean) * (value - mean);
    }
    return std::sqrt(squares / (n - 1.0)) / std::sqrt(n);
  }
};

// The batch estimate of the uplift median's Monte Carlo error, which the engine does not
// report.
double median_error(BetaParams a, BetaParams b, std::uint64_t stream) {
  const std::vector<BetaParams> arms{a, b};
  BatchError median;
  for (int batch = 0; batch < k_batches; ++batch) {
    const SamplingPlan plan{k_draws / k_batches, k_seed + 1 + static_cast<std::uint64_t>(batch),
                            0.95};
    median.values.push_back(*compare(arms, plan, stream)[1].uplift_median);
  }
  return median.standard_error();
}

// Each case and test draws from its own stream: with a shared stream, every case would reuse
// the same uniforms and the checks would not be independent.
std::uint64_t stream_for(std::uint64_t test, std::size_t case_index) {
  return test * 1000 + case_index;
}

#define EXPECT_WITHIN_SE(value, reference, se)                                                     \
  EXPECT_LE(std::abs((value) - (reference)), k_mc_sigmas*(se))                                     \
      << #value << " = " << (value) << ", reference " << (reference) << ", se " << (se)

TEST(ConversionAnchors, ClosedFormMatchesReference) {
  ASSERT_EQ(anchors().conversion.size(), 9U);
  for (const ConversionCase& c : anchors().conversion) {
    SCOPED_TRACE(c.name);
    const std::optional<double> closed = prob_greater_closed_form(c.b, c.a);
    ASSERT_TRUE(closed.has_value());
    EXPECT_NEAR(*closed, c.p_b_beats_a, k_exact_tolerance);
    EXPECT_NEAR(prob_greater(c.b, c.a), c.p_b_beats_a, k_exact_tolerance);
  }
}

// C9 (30000/1e6 vs 30500/1e6) is where a float64 Miller sum errs by 4.4e-9; the log-space sum
// in long double comes within 2e-15.
TEST(ConversionAnchors, ClosedFormKeepsItsDigitsAtLargeCounts) {
  const ConversionCase& c9 = anchors().conversion.at(8);
  ASSERT_EQ(c9.name, "C9");
  EXPECT_NEAR(*prob_greater_closed_form(c9.b, c9.a), c9.p_b_beats_a, 1e-13);
}

TEST(ConversionAnchors, QuadratureMatchesReference) {
  for (const ConversionCase& c : anchors().conversion) {
    SCOPED_TRACE(c.name);
    EXPECT_NEAR(prob_greater_quadrature(c.b, c.a), c.p_b_beats_a, k_exact_tolerance);
  }
}

TEST(ConversionAnchors, BoostIntervalsMatchReference) {
  for (const ConversionCase& c : anchors().conversion) {
    SCOPED_TRACE(c.name);
    const Interval a = beta_credible_interval(c.a, 0.95);
    const Interval b = beta_credible_interval(c.b, 0.95);
    // Relative: C8's bounds are near 5e-4.
    EXPECT_NEAR(a.low, c.cr_a.low, 1e-9 * c.cr_a.low);
    EXPECT_NEAR(a.high, c.cr_a.high, 1e-9 * c.cr_a.high);
    EXPECT_NEAR(b.low, c.cr_b.low, 1e-9 * c.cr_b.low);
    EXPECT_NEAR(b.high, c.cr_b.high, 1e-9 * c.cr_b.high);
  }
}

TEST(ConversionAnchors, MonteCarloProbabilitiesMatchExact) {
  for (std::size_t i = 0; i < anchors().conversion.size(); ++i) {
    const ConversionCase& c = anchors().conversion[i];
    SCOPED_TRACE(c.name);
    const std::vector<BetaParams> arms{c.a, c.b};
    const auto summary = compare(arms, SamplingPlan{k_draws, k_seed, 0.95}, stream_for(1, i));
    ASSERT_EQ(summary.size(), 2U);
    ASSERT_TRUE(summary[1].prob_beat_control.has_value());
    EXPECT_FALSE(summary[0].prob_beat_control.has_value());
    const Probability p2bc = *summary[1].prob_beat_control;
    EXPECT_WITHIN_SE(p2bc.value, c.p_b_beats_a, p2bc.standard_error);
    // With two arms, best means beating the other.
    EXPECT_WITHIN_SE(summary[1].prob_best.value, c.p_b_beats_a,
                     summary[1].prob_best.standard_error);
    EXPECT_WITHIN_SE(summary[0].prob_best.value, 1.0 - c.p_b_beats_a,
                     summary[0].prob_best.standard_error);
  }
}

TEST(ConversionAnchors, MonteCarloArmIntervalsMatchBoostQuantiles) {
  for (std::size_t i = 0; i < anchors().conversion.size(); ++i) {
    const ConversionCase& c = anchors().conversion[i];
    SCOPED_TRACE(c.name);
    const std::vector<BetaParams> arms{c.a, c.b};
    const auto summary = compare(arms, SamplingPlan{k_draws, k_seed, 0.95}, stream_for(2, i));
    for (std::size_t arm = 0; arm < 2; ++arm) {
      const Interval exact = beta_credible_interval(arms[arm], 0.95);
      EXPECT_WITHIN_SE(summary[arm].credible.low, exact.low,
                       quantile_error(arms[arm], 0.025, k_draws));
      EXPECT_WITHIN_SE(summary[arm].credible.high, exact.high,
                       quantile_error(arms[arm], 0.975, k_draws));
      // The engine's order-statistic error against the density formula.
      const double low_error = quantile_error(arms[arm], 0.025, k_draws);
      const double high_error = quantile_error(arms[arm], 0.975, k_draws);
      EXPECT_NEAR(summary[arm].credible_se.low, low_error, 0.3 * low_error);
      EXPECT_NEAR(summary[arm].credible_se.high, high_error, 0.3 * high_error);
    }
  }
}

TEST(ConversionAnchors, MonteCarloUpliftAndLossesMatchReference) {
  for (std::size_t i = 0; i < anchors().conversion.size(); ++i) {
    const ConversionCase& c = anchors().conversion[i];
    SCOPED_TRACE(c.name);
    const std::vector<BetaParams> arms{c.a, c.b};
    const auto summary = compare(arms, SamplingPlan{k_draws, k_seed, 0.95}, stream_for(3, i));
    ASSERT_TRUE(summary[1].uplift.has_value());
    ASSERT_TRUE(summary[1].uplift_median.has_value());
    ASSERT_TRUE(summary[1].uplift_se.has_value());
    // Bounds and losses against the engine's own Monte Carlo errors (monte_carlo_test checks
    // them against the spread over seeds); the median, which has none, against batches.
    EXPECT_WITHIN_SE(summary[1].uplift->low, c.lift.low, summary[1].uplift_se->low);
    EXPECT_WITHIN_SE(summary[1].uplift->high, c.lift.high, summary[1].uplift_se->high);
    EXPECT_WITHIN_SE(*summary[1].uplift_median, c.lift_median,
                     median_error(c.a, c.b, stream_for(7, i)));
    EXPECT_FALSE(summary[0].uplift.has_value());
    if (c.rel_loss_keep_a) {
      ASSERT_TRUE(summary[0].expected_loss.has_value());
      ASSERT_TRUE(summary[0].expected_loss_se.has_value());
      EXPECT_WITHIN_SE(*summary[0].expected_loss, *c.rel_loss_keep_a, *summary[0].expected_loss_se);
    }
    if (c.rel_loss_ship_b) {
      ASSERT_TRUE(summary[1].expected_loss.has_value());
      ASSERT_TRUE(summary[1].expected_loss_se.has_value());
      EXPECT_WITHIN_SE(*summary[1].expected_loss, *c.rel_loss_ship_b, *summary[1].expected_loss_se);
    }
  }
}

TEST(ConversionAnchors, InfiniteExpectedLossIsAbsent) {
  const ConversionCase& c6 = anchors().conversion.at(5);
  ASSERT_EQ(c6.name, "C6");
  const std::vector<BetaParams> arms{c6.a, c6.b};
  const auto summary = compare(arms, SamplingPlan{k_draws, k_seed, 0.95}, 4);
  EXPECT_FALSE(summary[0].expected_loss.has_value());
  ASSERT_TRUE(summary[1].expected_loss.has_value());
  EXPECT_GT(*summary[1].expected_loss, 0.0);
  EXPECT_LT(*summary[1].expected_loss, 1.0);
}

TEST(PriorSensitivityAnchors, ExactAndMonteCarloMatchReference) {
  ASSERT_EQ(anchors().priors.size(), 3U);
  for (std::size_t i = 0; i < anchors().priors.size(); ++i) {
    const PriorCase& c = anchors().priors[i];
    SCOPED_TRACE(testing::Message() << "A = Beta(" << c.a.alpha << ", " << c.a.beta << ")");
    EXPECT_NEAR(prob_greater(c.b, c.a), c.p_b_beats_a, k_exact_tolerance);
    EXPECT_NEAR(prob_greater_quadrature(c.b, c.a), c.p_b_beats_a, k_exact_tolerance);
    const std::vector<BetaParams> arms{c.a, c.b};
    const auto summary = compare(arms, SamplingPlan{k_draws, k_seed, 0.95}, stream_for(5, i));
    EXPECT_WITHIN_SE(summary[1].prob_beat_control->value, c.p_b_beats_a,
                     summary[1].prob_beat_control->standard_error);
    EXPECT_WITHIN_SE(summary[1].uplift->low, c.lift.low, summary[1].uplift_se->low);
    EXPECT_WITHIN_SE(summary[1].uplift->high, c.lift.high, summary[1].uplift_se->high);
  }
}

TEST(ProbBestAnchors, ExactMatchesReference) {
  ASSERT_EQ(anchors().prob_best.size(), 2U);
  for (const ProbBestCase& c : anchors().prob_best) {
    SCOPED_TRACE(c.name);
    const std::vector<double> p = prob_best(c.arms);
    ASSERT_EQ(p.size(), c.p_best.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
      EXPECT_NEAR(p[i], c.p_best[i], 1e-8) << "arm " << i;
    }
    EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-8);
  }
}

TEST(ProbBestAnchors, MonteCarloMatchesReference) {
  for (std::size_t i = 0; i < anchors().prob_best.size(); ++i) {
    const ProbBestCase& c = anchors().prob_best[i];
    SCOPED_TRACE(c.name);
    const auto summary = compare(c.arms, SamplingPlan{k_draws, k_seed, 0.95}, stream_for(6, i));
    ASSERT_EQ(summary.size(), c.arms.size());
    double total = 0.0;
    for (std::size_t arm = 0; arm < summary.size(); ++arm) {
      EXPECT_WITHIN_SE(summary[arm].prob_best.value, c.p_best[arm],
                       summary[arm].prob_best.standard_error);
      total += summary[arm].prob_best.value;
    }
    EXPECT_NEAR(total, 1.0, 1e-12);
  }
}

// Lower is better: the smallest of k Betas is the largest of their mirror images
// 1 - X ~ Beta(beta, alpha), so the exact P(best) comes from prob_best on the mirrors; p2bc is
// 1 - P(B > A) from the vectors.
TEST(ProbBestAnchors, LowerIsBetterMatchesMirroredExact) {
  for (std::size_t i = 0; i < anchors().prob_best.size(); ++i) {
    const ProbBestCase& c = anchors().prob_best[i];
    SCOPED_TRACE(c.name);
    std::vector<BetaParams> mirrored;
    for (const BetaParams& arm : c.arms) {
      mirrored.push_back(BetaParams{arm.beta, arm.alpha});
    }
    const std::vector<double> exact = prob_best(mirrored);
    const std::vector<ArmPosterior> arms(c.arms.begin(), c.arms.end());
    const auto summary = compare_arms(arms, 0, SamplingPlan{k_draws, k_seed, 0.95},
                                      stream_for(8, i), Direction::lower_is_better);
    for (std::size_t arm = 0; arm < summary.size(); ++arm) {
      EXPECT_WITHIN_SE(summary[arm].prob_best.value, exact[arm],
                       summary[arm].prob_best.standard_error);
    }
  }
  for (std::size_t i = 0; i < anchors().conversion.size(); ++i) {
    const ConversionCase& c = anchors().conversion[i];
    SCOPED_TRACE(c.name);
    const std::vector<ArmPosterior> arms{c.a, c.b};
    const auto summary = compare_arms(arms, 0, SamplingPlan{k_draws, k_seed, 0.95},
                                      stream_for(9, i), Direction::lower_is_better);
    EXPECT_WITHIN_SE(summary[1].prob_beat_control->value, 1.0 - c.p_b_beats_a,
                     summary[1].prob_beat_control->standard_error);
  }
}

TEST(SrmAnchors, MatchReference) {
  ASSERT_EQ(anchors().srm.size(), 6U);
  for (const SrmCase& c : anchors().srm) {
    const auto test = sample_ratio_test(c.users, c.weights);
    ASSERT_TRUE(test.has_value());
    EXPECT_NEAR(test->chi2, c.chi2, 1e-10 * c.chi2);
    EXPECT_NEAR(test->p_value, c.p, 1e-10 * c.p);
    EXPECT_FALSE(test->flagged); // every anchor's p is above 0.001
  }
}

} // namespace
} // namespace reckon::stats
