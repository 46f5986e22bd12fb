#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace reckon::stats {

// Sample-ratio mismatch: a chi-square goodness-of-fit test of observed visitors against the
// traffic shares the test was meant to give each arm.
struct SampleRatioTest {
  double chi2 = 0.0;
  double p_value = 1.0;
  bool flagged = false; // p_value < threshold
};

// `allocation` holds each arm's intended share (any positive scale; normalised here).
// Arms with zero share are left out. Nullopt when fewer than two arms remain or no visitors.
std::optional<SampleRatioTest> sample_ratio_test(std::span<const std::uint64_t> visitors,
                                                 std::span<const double> allocation,
                                                 double threshold = 0.001);

} // namespace reckon::stats
