#pragma once

#include "reckon/stats/beta.hpp"

#include <cstdint>
#include <optional>
#include <span>
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

// What Monte Carlo says about one arm of a comparison.
struct ArmSummary {
  // Equal-tailed credible interval of the arm's parameter at the plan's level.
  Interval credible;
  // P(this arm's parameter is the largest of all arms).
  Probability prob_best;
  // P(this arm's parameter exceeds the control's); absent for the control itself.
  std::optional<Probability> prob_beat_control;
  // Relative uplift theta / theta_control - 1: its median and credible interval (type-7
  // sample quantiles); absent for the control, and when a control draw of zero makes it
  // undefined.
  std::optional<double> uplift_median;
  std::optional<Interval> uplift;
  // E[max(best other arm - this arm, 0) / control], the relative loss of choosing this arm;
  // absent when a draw made it undefined (a control draw of zero) or when it is infinite:
  // E[1 / control] diverges for a control alpha of at most 1, which makes the loss of the
  // control, and of every arm once there are three, infinite.
  std::optional<double> expected_loss;
};

// Draws plan.draws joint samples from independent Beta posteriors (one per arm) and reduces
// them to every arm's summary. `stream` identifies the cell (a stable hash of experiment,
// slice and metric) so that no two cells share random numbers. Requires at least two arms,
// control < arms.size(), plan.draws > 0 and plan.level in (0, 1). Holds the draws in memory:
// 8 bytes per draw per arm, plus one more arm's worth of scratch.
std::vector<ArmSummary> compare_beta_arms(std::span<const BetaParams> arms, std::size_t control,
                                          const SamplingPlan& plan, std::uint64_t stream);

} // namespace reckon::stats
