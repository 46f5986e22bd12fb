#include "method_text.hpp"

#include "reckon/util/number_format.hpp"

namespace reckon::report::detail {

std::string method_summary(const analysis::AnalysisOptions& options) {
  const std::string draws = "Monte Carlo (" + util::format_count(options.sampling.draws) +
                            " draws per cell, seed " + std::to_string(options.sampling.seed) + ")";
  if (!options.exact) {
    return draws + " for every number (--monte-carlo)";
  }
  // Mirrors the exact routes of stats::compare: Beta arms and log-normal arms have closed forms
  // or quadratures; a product of the two (revenue per visitor) has none.
  return "exact (closed form or quadrature) for conversion rates and order values; " + draws +
         " for the rest, such as revenue per visitor";
}

} // namespace reckon::report::detail
