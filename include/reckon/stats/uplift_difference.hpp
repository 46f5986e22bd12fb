#pragma once

#include "reckon/stats/monte_carlo.hpp"

#include <cstdint>
#include <optional>

namespace reckon::stats {

// One two-arm comparison: a control's and a variant's posteriors.
struct ArmPair {
  ArmPosterior control;
  ArmPosterior variant;
};

// How the relative uplift of one comparison differs from another's, u = (v - c) / |c| each.
struct UpliftDifference {
  // P(u_second better than u_first): greater, or smaller when lower is better.
  Probability prob_second_better;
  // u_second - u_first: its median and equal-tailed interval at the plan's level, each with its
  // Monte Carlo error (order-statistic estimate, as ArmSummary's).
  double median = 0.0;
  double median_se = 0.0;
  Interval interval;
  Interval interval_se;
};

// Draws the four posteriors jointly and independently (Philox streams keyed by (seed, stream,
// chunk, position): first's control 0, variant 1, second's control 2, variant 3), so the
// answer is bit-identical for any thread count. Absent when a control draw of zero leaves an
// uplift undefined. Same requirements on the posteriors and the plan as compare_arms; holds
// five buffers of plan.draws doubles.
std::optional<UpliftDifference>
compare_uplift_difference(const ArmPair& first, const ArmPair& second, const SamplingPlan& plan,
                          std::uint64_t stream, Direction direction);

} // namespace reckon::stats
