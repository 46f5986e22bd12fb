#pragma once

#include "reckon/stats/beta.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <variant>
#include <vector>

namespace reckon::stats {

// How a Monte Carlo estimate is drawn. The random stream of every draw is fixed by
// (seed, stream, chunk, arm position), so results do not depend on how many threads run, and
// adding an arm leaves the other arms' draws unchanged.
struct SamplingPlan {
  std::uint64_t draws = 100'000;
  std::uint64_t seed = 0;
  double level = 0.95;
};

// A Monte Carlo estimate of a probability with its standard error.
struct Probability {
  double value = 0.0;
  double standard_error = 0.0;
};

// Which way is good for a metric: most are "higher is better"; abandonment and refund rates
// are "lower is better", which flips best, beat-control and loss.
enum class Direction { higher_is_better, lower_is_better };

// exp(N(log_location, log_scale^2)): the posterior of a positive mean, such as the mean order
// value. Its median is exp(log_location).
struct LogNormalParams {
  double log_location = 0.0;
  double log_scale = 0.0;
};

// N(mean, sd^2): the posterior of a mean that may be negative, such as profit per order.
struct NormalParams {
  double mean = 0.0;
  double sd = 0.0;
};

// A per-visitor value: the conversion rate times the per-order value, drawn jointly per
// sample (each draw multiplies one rate draw by one per-order draw).
struct RateTimesValue {
  BetaParams rate;
  std::variant<LogNormalParams, NormalParams> per_order;
};

// The posterior of one arm's parameter, in any of the models the engine knows.
using ArmPosterior = std::variant<BetaParams, LogNormalParams, NormalParams, RateTimesValue>;

// What Monte Carlo says about one arm of a comparison. Every Monte Carlo standard error of a
// quantile (credible_se, uplift_se) comes from the order statistics of the same draws: with
// m = sqrt(N q (1 - q)), the ranks within one binomial standard deviation of the q-quantile's
// rank, SE = (x_(qN + m) - x_(qN - m)) / 2, which estimates sqrt(q (1 - q) / N) / f(x_q)
// without knowing the density f (the binomial order-statistic interval at z = 1).
struct ArmSummary {
  // Equal-tailed credible interval of the arm's parameter at the plan's level, and the Monte
  // Carlo standard error of each bound.
  Interval credible;
  Interval credible_se;
  // P(this arm is the best of all arms), in the metric's direction.
  Probability prob_best;
  // P(this arm is better than the control); absent for the control itself.
  std::optional<Probability> prob_beat_control;
  // Relative uplift (theta - theta_control) / |theta_control|: its median, credible interval
  // and the Monte Carlo error of the interval's bounds; absent for the control, and when a
  // control draw of zero makes it undefined.
  std::optional<double> uplift_median;
  std::optional<Interval> uplift;
  std::optional<Interval> uplift_se;
  // The relative loss of choosing this arm: E[gap / |control|], gap = best other arm - this
  // arm (this arm - best other, lower is better) when positive, else 0. Absent when it is
  // infinite: E[1 / control] diverges for a Beta control (or the rate of a rate-times-value
  // control) with alpha at most 1, unless the gap vanishes with the control. A control whose
  // draws can be negative or zero (Normal, or rate times Normal) has E[1 / |control|] infinite
  // in every case, so for it the loss is E[gap] / |E[control]| instead, absent only when that
  // mean is 0.
  std::optional<double> expected_loss;
  // Its Monte Carlo standard error, sd(per-draw loss) / sqrt(N) (divided by |E[control]| in the
  // second convention); absent with the loss, and when the per-draw loss has infinite variance
  // (E[1 / control^2] diverges for alpha at most 2).
  std::optional<double> expected_loss_se;
};

// Draws plan.draws joint samples from independent posteriors (one per arm) and reduces them
// to every arm's summary. `stream` identifies the cell (a stable hash of experiment, slice and
// metric) so that no two cells share random numbers. Within a cell, draw i of arm a comes from
// the stream (seed, stream, chunk of i, a, component): component 0 feeds a rate (Beta), 1 a
// per-order value (LogNormal as exp(log_location + log_scale z), Normal as mean + sd z), and a
// RateTimesValue multiplies the two elementwise; so a RateTimesValue arm's value draws equal
// those of the same per-order posterior alone in the same position and stream. Requires at
// least two arms, control < arms.size(), plan.draws > 0, plan.level in (0, 1), finite positive
// Beta shapes, finite non-negative scales and log_location + 12 log_scale < 700 (no draw
// overflows). Holds the draws in memory: 8 bytes per draw per arm, plus 8 per draw of scratch.
std::vector<ArmSummary> compare_arms(std::span<const ArmPosterior> arms, std::size_t control,
                                     const SamplingPlan& plan, std::uint64_t stream,
                                     Direction direction = Direction::higher_is_better);

} // namespace reckon::stats
