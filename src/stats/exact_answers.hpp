#pragma once

#include "reckon/stats/comparison.hpp"

#include <optional>
#include <span>
#include <vector>

namespace reckon::stats::detail {

// A cell's answers where they are exact (closed forms, or one-dimensional quadrature to far
// below any Monte Carlo error), for cells whose arms are all Beta or all log-normal: every
// arm's interval, p2bb and p2bc, the uplift interval and the expected loss.
// Numbers carry no standard error. What has no exact route here is flagged, to be answered
// by Monte Carlo.
struct ExactCell {
  std::vector<ArmAnswer> arms;
  // The expected losses with a Beta control of alpha <= 1 (where a loss can be finite while
  // E[1 / control] is not), or of alpha < 2 among three arms or more, or of shapes that are
  // not whole among three arms or more.
  bool loss_by_monte_carlo = false;
  // Uplift intervals of Beta shapes CdfTable does not accept (a shape that is not whole: only
  // with a prior that is not).
  bool uplift_by_monte_carlo = false;
};

// Nullopt when the arms are not all Beta or all log-normal, or a log-normal has no spread.
std::optional<ExactCell> answer_exactly(std::span<const ArmPosterior> arms, std::size_t control,
                                        double level, Direction direction);

} // namespace reckon::stats::detail
