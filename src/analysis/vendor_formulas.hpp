#pragma once

#include "reckon/analysis/vendor_method.hpp"

#include <cstdint>

// The candidate formulas of vendor_method.hpp, on counts; every result a share in [0, 1].
namespace reckon::analysis::detail {

struct ArmCount {
  std::uint64_t conversions = 0;
  std::uint64_t visitors = 0;
};

// The candidate's "confidence" that the variant differs from (or beats) the control.
double vendor_confidence(VendorTest test, ArmCount control, ArmCount variant);

// The candidate's interval of one arm's rate at `level`.
struct RateInterval {
  double low = 0.0;
  double high = 0.0;
};
RateInterval vendor_interval(VendorInterval kind, double level, ArmCount arm);

} // namespace reckon::analysis::detail
