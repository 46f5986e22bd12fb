#include "stats/sample_quantile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace reckon::stats::detail {
namespace {

// The type-7 rule read off sorted values.
double quantile_of_sorted(const std::vector<double>& values, double p) {
  const double h = static_cast<double>(values.size() - 1) * p;
  const auto k = static_cast<std::size_t>(std::floor(h));
  if (k + 1 == values.size()) {
    return values[k];
  }
  return values[k] + (h - static_cast<double>(k)) * (values[k + 1] - values[k]);
}

// The type-7 rule read off a fully sorted copy.
double sorted_quantile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return quantile_of_sorted(values, p);
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

// Large inputs take the sampled path; shapes that defeat its brackets (ties, sorted runs,
// repeated patterns) must still give the exact answer, by whichever path.
TEST(SelectQuantiles, MatchesAFullSortOnLargeAndAwkwardInputs) {
  std::mt19937_64 engine(11);
  std::uniform_real_distribution<double> uniform;
  const std::size_t n = 100'003;
  std::vector<std::vector<double>> inputs(7, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i) {
    inputs[0][i] = uniform(engine);
    inputs[1][i] = std::floor(uniform(engine) * 5.0);      // five values, heavily tied
    inputs[2][i] = static_cast<double>(i);                 // sorted
    inputs[3][i] = static_cast<double>(n - i);             // reversed
    inputs[4][i] = 1.0;                                    // one value
    inputs[5][i] = static_cast<double>(i % 2048);          // a period matching the stride
    inputs[6][i] = i % 97 == 0 ? 1e300 : -uniform(engine); // a far outlier every 97
  }
  const std::vector<std::vector<double>> prob_sets{
      {0.025, 0.975},
      {0.025, 0.5, 0.975},
      {0.0, 1.0},
      {0.5},
      {0.001, 0.01, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99, 0.999}};
  for (std::size_t input = 0; input < inputs.size(); ++input) {
    for (const std::vector<double>& probs : prob_sets) {
      std::vector<double> scratch = inputs[input];
      std::vector<double> out(probs.size());
      select_quantiles(scratch, probs, out);
      std::vector<double> sorted_scratch = scratch;
      std::sort(sorted_scratch.begin(), sorted_scratch.end());
      std::vector<double> sorted_input = inputs[input];
      std::sort(sorted_input.begin(), sorted_input.end());
      // `values` is only reordered.
      EXPECT_EQ(sorted_scratch, sorted_input) << "input " << input;
      for (std::size_t i = 0; i < probs.size(); ++i) {
        EXPECT_EQ(out[i], quantile_of_sorted(sorted_input, probs[i]))
            << "input " << input << ", p " << probs[i];
      }
    }
  }
}

// More probabilities than one batch holds, repeated and at the ends.
TEST(SelectQuantiles, HandlesManyProbabilities) {
  std::mt19937_64 engine(13);
  std::normal_distribution<double> normal;
  std::vector<double> values(50'000);
  std::generate(values.begin(), values.end(), [&] { return normal(engine); });
  std::vector<double> probs;
  for (int i = 0; i <= 40; ++i) {
    probs.push_back(i / 40.0);
    probs.push_back(i / 40.0);
  }
  std::vector<double> out(probs.size());
  select_quantiles(values, probs, out);
  std::sort(values.begin(), values.end());
  for (std::size_t i = 0; i < probs.size(); ++i) {
    EXPECT_EQ(out[i], quantile_of_sorted(values, probs[i])) << "p " << probs[i];
  }
}

} // namespace
} // namespace reckon::stats::detail
