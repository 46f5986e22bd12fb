#include "reckon/stats/srm.hpp"

#include "math_policy.hpp"

#include <boost/math/distributions/chi_squared.hpp>

#include <cassert>
#include <cmath>

namespace reckon::stats {

std::optional<SampleRatioTest> sample_ratio_test(std::span<const std::uint64_t> visitors,
                                                 std::span<const double> allocation,
                                                 double threshold) {
  assert(visitors.size() == allocation.size());
  double total_share = 0.0;
  double total_visitors = 0.0;
  std::size_t arms = 0;
  for (std::size_t i = 0; i < visitors.size(); ++i) {
    assert(std::isfinite(allocation[i]) && allocation[i] >= 0.0);
    if (allocation[i] > 0.0) {
      total_share += allocation[i];
      total_visitors += static_cast<double>(visitors[i]);
      ++arms;
    }
  }
  if (arms < 2 || total_visitors == 0.0) {
    return std::nullopt;
  }

  double chi2 = 0.0;
  for (std::size_t i = 0; i < visitors.size(); ++i) {
    if (allocation[i] > 0.0) {
      const double expected = total_visitors * allocation[i] / total_share;
      const double deviation = static_cast<double>(visitors[i]) - expected;
      chi2 += deviation * deviation / expected;
    }
  }
  const boost::math::chi_squared_distribution<double, detail::MathPolicy> dist(
      static_cast<double>(arms - 1));
  const double p_value = boost::math::cdf(boost::math::complement(dist, chi2));
  return SampleRatioTest{chi2, p_value, p_value < threshold};
}

} // namespace reckon::stats
