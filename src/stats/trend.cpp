#include "reckon/stats/trend.hpp"

#include "math_policy.hpp"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <vector>

namespace reckon::stats {
namespace {

double weighted_average(std::span<const double> values, std::span<const double> weights) {
  double sum = 0.0;
  double total = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    sum += weights[i] * values[i];
    total += weights[i];
  }
  return sum / total;
}

// 1-based ranks, ties given the average of the ranks they span.
std::vector<double> ranks(std::span<const double> values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> out(values.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) {
      ++j;
    }
    const double rank = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) {
      out[order[k]] = rank;
    }
    i = j + 1;
  }
  return out;
}

} // namespace

std::optional<WeightedTrend> weighted_trend(std::span<const double> x, std::span<const double> y,
                                            std::span<const double> weights) {
  assert(x.size() == y.size() && x.size() == weights.size());
  if (x.size() < 3) {
    return std::nullopt;
  }
  const double x_mean = weighted_average(x, weights);
  const double y_mean = weighted_average(y, weights);
  double sxx = 0.0;
  double sxy = 0.0;
  double q = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxx += weights[i] * (x[i] - x_mean) * (x[i] - x_mean);
    sxy += weights[i] * (x[i] - x_mean) * (y[i] - y_mean);
    q += weights[i] * (y[i] - y_mean) * (y[i] - y_mean);
  }
  if (!(sxx > 0.0)) {
    return std::nullopt;
  }
  WeightedTrend trend;
  trend.points = x.size();
  trend.slope = sxy / sxx;
  trend.slope_se = std::sqrt(1.0 / sxx);
  const boost::math::normal_distribution<double, detail::MathPolicy> normal;
  trend.p_value =
      2.0 *
      boost::math::cdf(boost::math::complement(normal, std::abs(trend.slope / trend.slope_se)));
  trend.weighted_mean = y_mean;
  trend.q = q;
  const boost::math::chi_squared_distribution<double, detail::MathPolicy> chi2(
      static_cast<double>(x.size() - 1));
  trend.q_p_value = boost::math::cdf(boost::math::complement(chi2, q));
  return trend;
}

double normal_quantile(double p) {
  assert(p > 0.0 && p < 1.0);
  const boost::math::normal_distribution<double, detail::MathPolicy> normal;
  return boost::math::quantile(normal, p);
}

std::optional<RankCorrelation> spearman_correlation(std::span<const double> x,
                                                    std::span<const double> y) {
  assert(x.size() == y.size());
  const std::size_t n = x.size();
  if (n < 4) {
    return std::nullopt;
  }
  const std::vector<double> rx = ranks(x);
  const std::vector<double> ry = ranks(y);
  const double mean = 0.5 * static_cast<double>(n + 1);
  double sxy = 0.0;
  double sxx = 0.0;
  double syy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
    syy += (ry[i] - mean) * (ry[i] - mean);
  }
  if (!(sxx > 0.0) || !(syy > 0.0)) {
    return std::nullopt;
  }
  RankCorrelation out;
  out.n = n;
  out.rho = std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
  if (std::abs(out.rho) >= 1.0) {
    out.p_value = 0.0;
    return out;
  }
  const double df = static_cast<double>(n - 2);
  const double t = out.rho * std::sqrt(df / (1.0 - out.rho * out.rho));
  const boost::math::students_t_distribution<double, detail::MathPolicy> student(df);
  out.p_value = 2.0 * boost::math::cdf(boost::math::complement(student, std::abs(t)));
  return out;
}

} // namespace reckon::stats
