#pragma once

#include "reckon/stats/monte_carlo.hpp"

#include <optional>
#include <span>
#include <vector>

namespace reckon::stats {

// compare_arms' answers, with each number's error chosen here once: where the arms allow an
// exact answer and the caller asks for it, the number is exact and carries no error; where a
// better error than the draws' spacing is known, it carries that one.

// Whether to answer exactly where a closed form or quadrature exists (all arms Beta, or all
// log-normal), or to draw everything.
enum class Answers { monte_carlo, exact_where_known };

// A number and its Monte Carlo standard error. The error is absent when the number is exact,
// and for an expected loss also when the per-draw loss has infinite variance.
struct Estimate {
  double value = 0.0;
  std::optional<double> standard_error;
};

struct IntervalEstimate {
  Interval value;
  std::optional<Interval> standard_error;
};

// One arm's answers; see ArmSummary for what each means.
struct ArmAnswer {
  IntervalEstimate credible;
  Estimate prob_best;
  // Absent for the control.
  std::optional<Estimate> prob_beat_control;
  // Absent for the control, and when a control draw of zero makes it undefined.
  std::optional<IntervalEstimate> uplift;
  // Absent when it is infinite (ArmSummary::expected_loss).
  std::optional<Estimate> expected_loss;
};

struct Comparison {
  std::vector<ArmAnswer> arms;
  // Answered exactly (all arms Beta or all log-normal, exact answers asked for): each arm's
  // interval, p2bb and p2bc, the uplift interval and the expected loss, in closed form or by
  // one-dimensional quadrature with errors far below Monte Carlo's, carrying no standard error;
  // except the numbers flagged below, which are Monte Carlo estimates with their errors.
  bool exact = false;
  // Expected losses drawn: a Beta control with alpha <= 1 (alpha < 2 among three arms or
  // more), or Beta shapes that are not whole among three arms or more.
  bool loss_by_monte_carlo = false;
  // Uplift intervals drawn: a Beta shape that is not whole (a prior that is not).
  bool uplift_by_monte_carlo = false;
};

// With exact answers asked for and all arms Beta or all log-normal: the exact answers, and
// compare_arms only for the numbers they lack (no draws at all for two arms). Otherwise
// compare_arms, and for all-Beta arms each interval bound's error from the known density,
// sqrt(q (1 - q) / N) / f(x_q) (the spacing estimate of ArmSummary scatters by about 10%, which
// the drift rule would pass on to every rate's tolerance). Same requirements as compare_arms.
Comparison compare(std::span<const ArmPosterior> arms, std::size_t control,
                   const SamplingPlan& plan, std::uint64_t stream, Direction direction,
                   Answers answers);

} // namespace reckon::stats
