#include "stats/gamma_sampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

namespace reckon::stats::detail {
namespace {

struct Moments {
  double mean = 0.0;
  double variance = 0.0;
};

Moments sample_moments(const BetaSampler& sampler, std::uint64_t draws) {
  PhiloxStream rng(17, 23, 0, 0);
  double sum = 0.0;
  double sum_squares = 0.0;
  for (std::uint64_t i = 0; i < draws; ++i) {
    const double x = sampler.draw(rng);
    sum += x;
    sum_squares += x * x;
  }
  const double n = static_cast<double>(draws);
  const double mean = sum / n;
  return Moments{mean, (sum_squares - n * mean * mean) / (n - 1.0)};
}

// The Beta distribution's excess kurtosis, which sets the sampling error of a variance.
double excess_kurtosis(double a, double b) {
  const double t = a + b;
  return 6.0 * ((a - b) * (a - b) * (t + 1.0) - a * b * (t + 2.0)) /
         (a * b * (t + 2.0) * (t + 3.0));
}

// Mean and variance within 4 standard errors, for shapes on both sides of 1 (the boosted
// path) and large counts. The sample variance's standard error is
// variance * sqrt((excess kurtosis + 2) / n).
TEST(BetaSampler, MomentsMatchTheDistribution) {
  constexpr std::uint64_t k_draws = 400'000;
  const double n = static_cast<double>(k_draws);
  for (const auto& [alpha, beta] : {std::pair{0.5, 0.5}, std::pair{0.5, 50.5}, std::pair{1.0, 51.0},
                                    std::pair{2.0, 3.0}, std::pair{241.0, 9761.0}}) {
    const double total = alpha + beta;
    const double mean = alpha / total;
    const double variance = alpha * beta / (total * total * (total + 1.0));
    const Moments m = sample_moments(BetaSampler(alpha, beta), k_draws);
    EXPECT_NEAR(m.mean, mean, 4.0 * std::sqrt(variance / n)) << alpha << ", " << beta;
    EXPECT_NEAR(m.variance, variance,
                4.0 * variance * std::sqrt((excess_kurtosis(alpha, beta) + 2.0) / n))
        << alpha << ", " << beta;
  }
}

TEST(PhiloxStream, UniformsStayInsideTheOpenInterval) {
  PhiloxStream rng(0, 0, 0, 0);
  double low = 1.0;
  double high = 0.0;
  for (int i = 0; i < 1'000'000; ++i) {
    const double u = rng.uniform();
    low = std::min(low, u);
    high = std::max(high, u);
  }
  EXPECT_GT(low, 0.0);
  EXPECT_LT(high, 1.0);
  EXPECT_LT(low, 1e-5);
  EXPECT_GT(high, 1.0 - 1e-5);
}

TEST(PhiloxStream, StreamIsFixedByItsKeyAndCounter) {
  PhiloxStream first(1, 2, 3, 4);
  PhiloxStream again(1, 2, 3, 4);
  PhiloxStream other_arm(1, 2, 3, 5);
  for (int i = 0; i < 10; ++i) {
    const double u = first.uniform();
    EXPECT_EQ(u, again.uniform());
    EXPECT_NE(u, other_arm.uniform());
  }
}

} // namespace
} // namespace reckon::stats::detail
