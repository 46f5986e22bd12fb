#include "reckon/analysis/segments.hpp"

namespace reckon::analysis {

bool contradicts(double overall_uplift, double segment_uplift, double neutral_band) {
  return (overall_uplift > neutral_band && segment_uplift < -neutral_band) ||
         (overall_uplift < -neutral_band && segment_uplift > neutral_band);
}

std::optional<double> post_stratified_uplift(std::span<const Stratum> strata) {
  double control = 0.0;
  double variant = 0.0;
  for (const Stratum& stratum : strata) {
    control += stratum.share * stratum.control_value;
    variant += stratum.share * stratum.variant_value;
  }
  if (control == 0.0) {
    return std::nullopt;
  }
  return variant / control - 1.0;
}

} // namespace reckon::analysis
