#pragma once

#include "reckon/stats/beta.hpp"
#include "reckon/stats/monte_carlo.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace reckon::stats {

// The Normal "effect" model of GrowthBook's gbstats 0.8 (stats-anchors §2.1-2.2), in closed
// form: each arm reduces to the mean of a metric and the variance of that mean, the lift
// between two arms gets a delta-method Normal, and an optional Normal prior on the lift gives
// the posterior. It is the model of CLT-based vendors, and an alternative to Monte Carlo.

// An arm's estimate of a metric's mean and the variance of that estimate (the per-unit
// variance divided by the unit count, not the per-unit variance itself).
struct MeanEstimate {
  double mean = 0.0;
  double variance = 0.0;
};

// A rate k / n with variance p (1 - p) / n: gbstats' ProportionStatistic, with no n - 1
// correction. Nullopt when trials is 0 or successes > trials.
std::optional<MeanEstimate> proportion_estimate(std::uint64_t successes, std::uint64_t trials);

// A mean of `count` per-unit values from their sums: gbstats' SampleMeanStatistic, variance
// (sum_sq - sum^2 / count) / (count - 1) / count. Nullopt when count < 2 or the sums are not
// finite; a negative variance (inconsistent sums) is clamped to 0.
std::optional<MeanEstimate> sample_mean_estimate(std::uint64_t count, double sum, double sum_sq);

// Per-unit sums of a ratio metric M / D (AOV = revenue per visitor / orders per visitor),
// each unit contributing m and d.
struct RatioSums {
  std::uint64_t count = 0;
  double numerator_sum = 0.0;      // sum of m
  double numerator_sum_sq = 0.0;   // sum of m^2
  double denominator_sum = 0.0;    // sum of d
  double denominator_sum_sq = 0.0; // sum of d^2
  double cross_sum = 0.0;          // sum of m d
};

// gbstats' RatioStatistic: mean (sum m) / (sum d) and delta-method variance
// (var_m / mu_d^2 + var_d mu_m^2 / mu_d^4 - 2 cov mu_m / mu_d^3) / count, with n - 1
// variances and covariance (sum m d - sum m sum d / n) / (n - 1). Nullopt when count < 2 or the
// denominator's mean is 0.
std::optional<MeanEstimate> ratio_estimate(const RatioSums& sums);

// Revenue per visitor from aggregates and an order-value standard deviation s (measured,
// backed out of an interval, or assumed as CV * AOV; stats-anchors §6.1, vector R3), one order
// per buyer: what sample_mean_estimate gives for per-visitor sums sum = revenue and
// sum_sq = orders (s^2 + m^2), m = revenue / orders and s the population SD of the orders
// (divisor orders, not orders - 1). The per-visitor variance is thus
// n / (n - 1) (p s^2 + p (1 - p) m^2), p = orders / visitors. Nullopt when visitors < 2,
// orders > visitors, or s is negative.
std::optional<MeanEstimate> per_visitor_value_estimate(std::uint64_t visitors, std::uint64_t orders,
                                                       double revenue, double order_value_sd);

// The scale of the lift: relative, (mu_v - mu_c) / |mu_c| (the absolute value keeps the sign
// meaningful for negative baselines such as profit), or absolute, mu_v - mu_c.
enum class LiftScale { relative, absolute };

// A Normal prior on the lift, stated on the relative scale; for absolute lifts it is rescaled
// by |mu_c| (mean) and mu_c^2 (variance), as gbstats does. GrowthBook's "proper" default is
// N(0, 0.3^2), which this struct's defaults give.
struct LiftPrior {
  double mean = 0.0;
  double variance = 0.09;
};

struct EffectOptions {
  LiftScale scale = LiftScale::relative;
  // Flat (improper) when absent, the gbstats default.
  std::optional<LiftPrior> prior;
  double level = 0.95;
  Direction direction = Direction::higher_is_better;
};

// The lift from the data alone, by the delta method: relative variance
// var_c mu_v^2 / mu_c^4 + var_v / mu_c^2, absolute variance var_c + var_v.
struct Lift {
  double mean = 0.0;
  double sd = 0.0;
};

// Nullopt when the control's mean is 0 (relative scale), either arm's variance is not
// positive (gbstats then returns its default result), or the result is not finite.
std::optional<Lift> lift_estimate(MeanEstimate control, MeanEstimate variant, LiftScale scale);

// The posterior of the lift and what follows from it.
struct GaussianEffect {
  // Posterior mean and sd: precision-weighted with the prior, the data's lift when flat.
  Lift lift;
  // Equal-tailed: mean -/+ z sd at the options' level.
  Interval credible;
  // P(variant is better): P(lift > 0), or P(lift < 0) for lower-is-better metrics.
  double chance_to_win = 0.5;
  // Expected loss of keeping the control, E[max(lift, 0)], and of shipping the variant,
  // E[max(-lift, 0)], on the lift's scale; the two swap for lower-is-better metrics. gbstats
  // returns them as risk[0] and risk[1].
  double risk_keep_control = 0.0;
  double risk_ship_variant = 0.0;
};

// Nullopt exactly when lift_estimate is, or the prior's variance is not positive.
std::optional<GaussianEffect> gaussian_effect(MeanEstimate control, MeanEstimate variant,
                                              const EffectOptions& options = {});

// One arm's standing among all arms of a test under the Normal/delta model.
struct GaussianArm {
  // P(this arm is the best of all arms), in the metric's direction.
  double prob_best = 0.0;
  // E[max(lift_best_other - lift_this, 0)] on the relative-lift scale: the loss of choosing this
  // arm, as a fraction of the control's mean. With two arms it is gbstats' risk: the control's
  // is risk_keep_control (risk[0]), the variant's risk_ship_variant (risk[1]).
  double expected_loss = 0.0;
  // The arm against the control (chance to win, uplift interval, risks); absent for the
  // control itself.
  std::optional<GaussianEffect> effect;
};

// Every arm's chance to be best and expected loss, from the same model as each variant's
// chance to win: the variants' relative lifts L_i = (mu_i - mu_c) / |mu_c|, flat prior, are
// jointly Normal by the delta method, with mean (m_i - m_c) / |m_c|, variances as
// lift_estimate's, and covariances var_c m_i m_j / m_c^4 from the control they share; the
// control's own lift is 0. With two arms everything is closed form, so the variant's
// prob_best is its chance to win (the same double) and the control's the other tail. With more,
// conditioning on the shared control term leaves independent Normals, and the probabilities
// and losses are a two-dimensional adaptive quadrature (no Monte Carlo error, no threads);
// they sum to 1 within 1e-9. Requires at least two arms and control < arms.size(); nullopt
// when any arm's lift_estimate is.
std::optional<std::vector<GaussianArm>> compare_gaussian_arms(std::span<const MeanEstimate> arms,
                                                              std::size_t control, double level,
                                                              Direction direction);

// E[max(X, 0)] for X ~ N(mean, sd^2), sd > 0: the mean of a truncated Normal times its mass,
// sd (z Phi(z) + phi(z)) with z = mean / sd. Below z = -5 the difference is taken through the
// continued fraction of Mills' ratio instead, which loses no digits to cancellation; it
// underflows to 0 past z = -38, where the value is below 1e-300 sd.
double expected_positive_part(double mean, double sd);

// P(X > 0) for X ~ N(mean, sd^2), sd > 0, from the tail that keeps its digits. With a lift's
// estimate and the sd behind its reported interval (normal_mean_from_interval in
// value_models.hpp) it is the chance to win that interval implies (gbstats'
// chanceToWinFlatPrior, stats-anchors §2.8); lower is better: prob_positive(-mean, sd).
double prob_positive(double mean, double sd);

// z such that N(0, 1) holds `level` of its mass in [-z, z]; level in (0, 1).
double normal_two_sided_z(double level);

// The same for Student's t with `degrees_of_freedom` (> 0): the critical value of a difference
// divided by a standard error that was itself estimated from about that much information.
double student_t_two_sided(double level, double degrees_of_freedom);

// P(T <= t) for Student's t with `degrees_of_freedom` (> 0): a Welch test's one-sided level.
double student_t_cdf(double t, double degrees_of_freedom);

} // namespace reckon::stats
