#include "cell_analysis.hpp"

#include "reckon/stats/value_models.hpp"

namespace reckon::analysis::detail {

OrderValuePosterior order_value_posterior(const model::ArmCounts& arm) {
  OrderValuePosterior result;
  if (!arm.revenue_sq) {
    result.notes.push_back("order value: the spread of order values is unknown without "
                           "revenue_sq (the sum of squared order values)");
    return result;
  }
  result.posterior =
      stats::mean_posterior_from_moments(arm.conversions, arm.revenue, *arm.revenue_sq);
  if (!result.posterior) {
    result.notes.push_back("order value: fewer than two orders, or order values without spread");
    return result;
  }
  result.notes.push_back("order value: log-normal posterior of the mean order value, "
                         "moment-matched to the sample mean and its standard error (revenue_sq)");
  return result;
}

} // namespace reckon::analysis::detail
