#pragma once

#include "reckon/stats/beta.hpp"

#include <cmath>

namespace reckon::stats::detail {

// The precondition of every function taking Beta parameters, checked by assertions.
inline bool is_valid(BetaParams beta) {
  return std::isfinite(beta.alpha) && std::isfinite(beta.beta) && beta.alpha > 0.0 &&
         beta.beta > 0.0;
}

} // namespace reckon::stats::detail
