#include "cell_analysis.hpp"

#include "reckon/stats/value_models.hpp"

namespace reckon::analysis::detail {

PerOrderPosterior per_order_posterior(Amount amount, const model::ArmCounts& arm) {
  PerOrderPosterior result;
  const AmountSums sums = amount_sums(amount, arm);
  const char* what = amount == Amount::profit ? "profit per order" : "order value";
  if (!sums.sum || !sums.sum_sq) {
    result.notes.push_back(std::string(what) + ": the spread is unknown without " +
                           (amount == Amount::profit ? "profit and profit_sq"
                                                     : "revenue_sq (the sum of squared order "
                                                       "values)"));
    return result;
  }
  if (amount == Amount::profit) {
    // Profit may be negative: a Normal posterior of the mean, never a log.
    const auto normal = stats::normal_mean_from_moments(arm.conversions, *sums.sum, *sums.sum_sq);
    if (normal) {
      result.posterior = *normal;
      result.model = "normal_from_moments";
      result.notes.push_back("profit per order: Normal posterior of the mean, from the sample "
                             "mean and its standard error (profit_sq)");
    }
  } else {
    const auto lognormal =
        stats::mean_posterior_from_moments(arm.conversions, *sums.sum, *sums.sum_sq);
    if (lognormal) {
      result.posterior = *lognormal;
      result.model = "lognormal_from_moments";
      result.notes.push_back("order value: log-normal posterior of the mean order value, "
                             "moment-matched to the sample mean and its standard error "
                             "(revenue_sq)");
    }
  }
  if (!result.posterior) {
    result.notes.push_back(std::string(what) + ": fewer than two orders, or no spread");
  }
  return result;
}

} // namespace reckon::analysis::detail
