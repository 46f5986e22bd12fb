#include "stats/sample_quantile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace reckon::stats::detail {
namespace {

// The type-7 rule read off a fully sorted copy.
double sorted_quantile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const double h = static_cast<double>(values.size() - 1) * p;
  const auto k = static_cast<std::size_t>(std::floor(h));
  if (k + 1 == values.size()) {
    return values[k];
  }
  return values[k] + (h - static_cast<double>(k)) * (values[k + 1] - values[k]);
}

TEST(SelectQuantiles, MatchesAFullSort) {
  std::mt19937_64 engine(5);
  std::normal_distribution<double> normal;
  const std::vector<double> probs{0.0, 0.001, 0.025, 0.025, 0.3, 0.5, 0.5, 0.975, 0.999, 1.0};
  for (const std::size_t n : {1U, 2U, 3U, 10U, 1000U, 40'001U}) {
    std::vector<double> values(n);
    std::generate(values.begin(), values.end(), [&] { return normal(engine); });
    std::vector<double> scratch = values;
    std::vector<double> out(probs.size());
    select_quantiles(scratch, probs, out);
    for (std::size_t i = 0; i < probs.size(); ++i) {
      EXPECT_EQ(out[i], sorted_quantile(values, probs[i])) << "n " << n << ", p " << probs[i];
    }
  }
}

TEST(SelectQuantiles, InterpolatesBetweenOrderStatistics) {
  std::vector<double> values{4.0, 1.0, 3.0, 2.0};
  const std::vector<double> probs{0.25, 0.5};
  std::vector<double> out(2);
  select_quantiles(values, probs, out);
  EXPECT_DOUBLE_EQ(out[0], 1.75); // h = 0.75
  EXPECT_DOUBLE_EQ(out[1], 2.5);  // h = 1.5
}

} // namespace
} // namespace reckon::stats::detail
