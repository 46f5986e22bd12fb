#pragma once

#include <algorithm>
#include <cmath>

namespace reckon::analysis::detail {

// Half a unit of the last digit the vendor writes: values and bounds carry 7 decimals and at
// most 8 significant digits (research note §1.4.2), so 77.431526 is good to 5e-7 and 0.0331131
// to 5e-8.
inline double rounding_allowance(double value) {
  const double magnitude = std::abs(value);
  if (!(magnitude > 0.0) || !std::isfinite(magnitude)) {
    return 0.5e-7;
  }
  const double exponent = std::floor(std::log10(magnitude)) - 7.0;
  return std::max(0.5e-7, 0.5 * std::pow(10.0, exponent));
}

// p2bb and p2bc come rounded to 4 decimals (p2bb then stored as a float32).
inline constexpr double k_probability_rounding = 0.5e-4 + 1e-7;

// The allowance on a ratio-minus-one of two rounded values, plus the rounding of the ratio.
inline double uplift_rounding_allowance(double value, double control) {
  const double uplift = value / control - 1.0;
  return (1.0 + std::abs(uplift)) * (rounding_allowance(value) / std::abs(value) +
                                     rounding_allowance(control) / std::abs(control)) +
         rounding_allowance(uplift) + 1e-12;
}

} // namespace reckon::analysis::detail
