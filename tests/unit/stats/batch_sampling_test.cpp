// Before any header that reaches the intrinsics.
#include "stats/simd_intrinsics.hpp"

#include "reckon/stats/parallel.hpp"

#include "stats/batch_sampling.hpp"
#include "stats/simd_gamma.hpp"
#include "stats/simd_lane_math.hpp"
#include "stats/simd_paths.hpp"
#include "stats/simd_xoshiro.hpp"

#include <gtest/gtest.h>

#include <boost/math/special_functions/beta.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numbers>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace reckon::stats::detail {
namespace {

// Every test runs on both paths; on a build without a SIMD path the SIMD runs are skipped.
class BatchSampling : public ::testing::TestWithParam<SamplingPath> {
protected:
  void SetUp() override {
    if (GetParam() == SamplingPath::simd && !simd_path_available()) {
      GTEST_SKIP() << "this build has no SIMD sampling path";
    }
  }

  std::vector<double> beta(BetaParams params, std::size_t n, const StreamKey& key) const {
    std::vector<double> out(n);
    fill_beta_on(GetParam(), out, params, key);
    return out;
  }

  std::vector<double> normal(std::size_t n, const StreamKey& key) const {
    std::vector<double> out(n);
    fill_standard_normal_on(GetParam(), out, key);
    return out;
  }
};

std::string path_name(const ::testing::TestParamInfo<SamplingPath>& info) {
  return info.param == SamplingPath::simd ? "simd" : "scalar";
}

INSTANTIATE_TEST_SUITE_P(Paths, BatchSampling,
                         ::testing::Values(SamplingPath::simd, SamplingPath::scalar), path_name);

bool same_bytes(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

std::size_t equal_values(const std::vector<double>& a, const std::vector<double>& b) {
  std::size_t equal = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    equal += a[i] == b[i] ? 1U : 0U;
  }
  return equal;
}

// Kolmogorov-Smirnov distance between a sample of doubles and a continuous law. A draw is the
// true value rounded to the nearest double, so a run of equal values x is compared with the
// law's mass below and above the midpoints to x's neighbours; mass(lower, upper, x) gives the
// mass below (x + lower) and below (x + upper). This matters only near 1, where doubles are
// sparse: Beta(2.5, 0.125) puts 1% of its mass within 2^-54 of 1, and all of it rounds to 1.0.
template <class Mass>
double ks_distance(std::vector<double> sample, Mass mass) {
  std::sort(sample.begin(), sample.end());
  const double n = static_cast<double>(sample.size());
  double distance = 0.0;
  for (std::size_t i = 0; i < sample.size();) {
    const double x = sample[i];
    std::size_t j = i;
    while (j < sample.size() && sample[j] == x) {
      ++j;
    }
    const double lower = 0.5 * (std::nextafter(x, -HUGE_VAL) - x);
    const double upper = 0.5 * (std::nextafter(x, HUGE_VAL) - x);
    const auto [below, through] = mass(lower, upper, x);
    distance = std::max({distance, std::abs(below - static_cast<double>(i) / n),
                         std::abs(through - static_cast<double>(j) / n)});
    i = j;
  }
  return distance;
}

// Beta(a, b) mass below x + offset, from the lower tail below 1/2 and from the upper tail
// (with the gap 1 - x, exact there) above it, so that offsets of half an ulp count.
double beta_cdf_at(BetaParams params, double x, double offset) {
  if (x < 0.5) {
    const double at = x + offset;
    return at <= 0.0 ? 0.0 : boost::math::ibeta(params.alpha, params.beta, at);
  }
  const double gap = (1.0 - x) - offset;
  return gap <= 0.0 ? 1.0 : 1.0 - boost::math::ibeta(params.beta, params.alpha, gap);
}

double beta_ks_distance(const std::vector<double>& sample, BetaParams params) {
  return ks_distance(sample, [params](double lower, double upper, double x) {
    return std::pair{beta_cdf_at(params, x, lower), beta_cdf_at(params, x, upper)};
  });
}

double normal_ks_distance(const std::vector<double>& sample) {
  const auto cdf = [](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); };
  return ks_distance(sample, [&cdf](double lower, double upper, double x) {
    return std::pair{cdf(x + lower), cdf(x + upper)};
  });
}

// The KS distance that a sample of n from the true law exceeds with probability 1e-4
// (asymptotic Kolmogorov quantile 2.23). The draws are fixed by their keys, so a pass is a
// pass for good; the loose level only guards against an unlucky choice of key.
double ks_critical(std::size_t n) {
  return 2.23 / std::sqrt(static_cast<double>(n));
}

struct Moments {
  double mean = 0.0;
  double variance = 0.0;
  double excess_kurtosis = 0.0;
};

Moments moments(const std::vector<double>& sample) {
  const double n = static_cast<double>(sample.size());
  const double mean = std::accumulate(sample.begin(), sample.end(), 0.0) / n;
  double m2 = 0.0;
  double m4 = 0.0;
  for (const double x : sample) {
    const double d2 = (x - mean) * (x - mean);
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= n;
  m4 /= n;
  return Moments{mean, m2 * n / (n - 1.0), m4 / (m2 * m2) - 3.0};
}

double beta_excess_kurtosis(double a, double b) {
  const double t = a + b;
  return 6.0 * ((a - b) * (a - b) * (t + 1.0) - a * b * (t + 2.0)) /
         (a * b * (t + 2.0) * (t + 3.0));
}

// Shapes below, at and above 1, the boosted lane range [1/8, 1), the scalar log-space range
// below 1/8, and counts as large as the engine meets.
const std::vector<BetaParams>& shapes() {
  static const std::vector<BetaParams> cases{{0.5, 0.5},      {1, 1},     {3, 40},      {201, 9801},
                                             {30001, 970001}, {0.3, 7.5}, {2.5, 0.125}, {0.05, 2},
                                             {0.02, 0.03},    {1.5, 1e6}};
  return cases;
}

TEST_P(BatchSampling, SameKeyGivesTheSameBytes) {
  const StreamKey key{1, 2, 3, 4, 5};
  EXPECT_TRUE(same_bytes(beta({201, 9801}, 10'000, key), beta({201, 9801}, 10'000, key)));
  EXPECT_TRUE(same_bytes(beta({0.05, 2}, 1000, key), beta({0.05, 2}, 1000, key)));
  EXPECT_TRUE(same_bytes(normal(10'001, key), normal(10'001, key)));
}

TEST_P(BatchSampling, EveryFieldOfTheKeySeparatesStreams) {
  const StreamKey key{1, 2, 3, 4, 5};
  const std::vector<StreamKey> others{
      {9, 2, 3, 4, 5},
      {1, 9, 3, 4, 5},
      {1, 2, 9, 4, 5},
      {1, 2, 3, 9, 5},
      {1, 2, 3, 4, 9},
      // Arm and component share a counter word; swapping them must not collide.
      {1, 2, 3, 5, 4}};
  const std::vector<double> base = beta({20, 1000}, 4096, key);
  const std::vector<double> base_normal = normal(4096, key);
  for (const StreamKey& other : others) {
    EXPECT_EQ(equal_values(base, beta({20, 1000}, 4096, other)), 0U);
    EXPECT_EQ(equal_values(base_normal, normal(4096, other)), 0U);
  }
}

TEST_P(BatchSampling, AShorterFillIsAPrefixOfALongerOne) {
  const StreamKey key{4, 3, 2, 1, 0};
  for (const BetaParams params : {BetaParams{201, 9801}, BetaParams{0.3, 7.5}}) {
    const std::vector<double> full = beta(params, 1000, key);
    for (const std::size_t n : {0U, 1U, 7U, 8U, 9U, 15U, 16U, 17U, 999U}) {
      const std::vector<double> part = beta(params, n, key);
      EXPECT_TRUE(std::equal(part.begin(), part.end(), full.begin())) << n;
    }
  }
  const std::vector<double> full_normal = normal(1000, key);
  for (const std::size_t n : {1U, 15U, 16U, 17U, 33U}) {
    const std::vector<double> part = normal(n, key);
    EXPECT_TRUE(std::equal(part.begin(), part.end(), full_normal.begin())) << n;
  }
}

// 25,000 draws per shape keep Boost's incomplete beta at large shapes under a second; the
// moment checks below take a million draws.
TEST_P(BatchSampling, BetaDrawsFollowTheBetaLaw) {
  constexpr std::size_t k_draws = 25'000;
  std::uint64_t chunk = 0;
  for (const BetaParams params : shapes()) {
    const std::vector<double> sample = beta(params, k_draws, {17, 23, ++chunk, 0, 0});
    const auto [low, high] = std::minmax_element(sample.begin(), sample.end());
    EXPECT_GE(*low, 0.0);
    EXPECT_LE(*high, 1.0);
    EXPECT_LT(beta_ks_distance(sample, params), ks_critical(k_draws))
        << params.alpha << ", " << params.beta;
  }
}

// Mean and variance within 4.5 standard errors; the variance's standard error is
// variance * sqrt((excess kurtosis + 2) / n).
TEST_P(BatchSampling, BetaMomentsMatchTheDistribution) {
  constexpr std::size_t k_draws = 1'000'000;
  const double n = static_cast<double>(k_draws);
  std::uint64_t chunk = 100;
  for (const BetaParams params : shapes()) {
    const auto [alpha, beta_shape] = params;
    const Moments m = moments(beta(params, k_draws, {5, 6, ++chunk, 1, 2}));
    const double total = alpha + beta_shape;
    const double mean = alpha / total;
    const double variance = alpha * beta_shape / (total * total * (total + 1.0));
    EXPECT_NEAR(m.mean, mean, 4.5 * std::sqrt(variance / n)) << alpha << ", " << beta_shape;
    EXPECT_NEAR(m.variance, variance,
                4.5 * variance * std::sqrt((beta_excess_kurtosis(alpha, beta_shape) + 2.0) / n))
        << alpha << ", " << beta_shape;
  }
}

TEST_P(BatchSampling, NormalsHaveTheNormalLaw) {
  constexpr std::size_t k_draws = 2'000'000;
  const double n = static_cast<double>(k_draws);
  const std::vector<double> sample = normal(k_draws, {3, 1, 4, 1, 5});
  const Moments m = moments(sample);
  EXPECT_NEAR(m.mean, 0.0, 4.5 / std::sqrt(n));
  // Var(s^2) = 2 / n and Var(excess kurtosis) = 24 / n for normal data.
  EXPECT_NEAR(m.variance, 1.0, 4.5 * std::sqrt(2.0 / n));
  EXPECT_NEAR(m.excess_kurtosis, 0.0, 4.5 * std::sqrt(24.0 / n));
  const std::vector<double> head(sample.begin(), sample.begin() + 200'000);
  EXPECT_LT(normal_ks_distance(head), ks_critical(head.size()));
}

TEST_P(BatchSampling, FillsOfEveryLengthStayInRange) {
  for (const std::size_t n : {0U, 1U, 3U, 8U, 13U, 8191U, 8193U}) {
    const std::vector<double> sample = beta({1, 1}, n, {0, 0, n, 0, 0});
    EXPECT_TRUE(
        std::all_of(sample.begin(), sample.end(), [](double x) { return x >= 0.0 && x <= 1.0; }));
    const std::vector<double> normals = normal(n, {0, 0, n, 0, 0});
    EXPECT_TRUE(
        std::all_of(normals.begin(), normals.end(), [](double x) { return std::isfinite(x); }));
  }
}

// Chunks keyed by their index and filled by oneTBB give the same bytes under any thread cap.
TEST(BatchSamplingThreads, ChunkedFillsDoNotDependOnTheThreadCount) {
  constexpr std::size_t k_chunk = 8192;
  constexpr std::size_t k_chunks = 24;
  const auto fill_with = [](std::size_t threads) {
    const ThreadLimit limit(threads);
    std::vector<double> out(k_chunk * k_chunks);
    parallel_for(k_chunks, [&out](std::size_t chunk) {
      fill_beta(std::span(out).subspan(chunk * k_chunk, k_chunk), {241, 9761},
                StreamKey{3, 5, chunk, 1, 0});
    });
    return out;
  };
  const std::vector<double> one = fill_with(1);
  EXPECT_TRUE(same_bytes(one, fill_with(2)));
  EXPECT_TRUE(same_bytes(one, fill_with(4)));
}

// The two paths walk the same generator lanes through the same algorithm, so from one key they
// agree value for value except where the last bits of a logarithm or sine differ; and draws
// of the two paths from different keys have the same law (two-sample KS).
TEST(BatchSamplingPaths, ScalarAndSimdAgree) {
  if (!simd_path_available()) {
    GTEST_SKIP() << "this build has no SIMD sampling path";
  }
  constexpr std::size_t k_draws = 200'000;
  for (const BetaParams params : {BetaParams{201, 9801}, BetaParams{1, 1}, BetaParams{0.5, 0.5}}) {
    std::vector<double> simd(k_draws);
    std::vector<double> scalar(k_draws);
    const StreamKey key{8, 9, 10, 0, 0};
    fill_beta_on(SamplingPath::simd, simd, params, key);
    fill_beta_on(SamplingPath::scalar, scalar, params, key);
    std::size_t close = 0;
    for (std::size_t i = 0; i < k_draws; ++i) {
      close += std::abs(simd[i] - scalar[i]) <= 1e-12 * std::abs(scalar[i]) ? 1U : 0U;
    }
    EXPECT_GT(static_cast<double>(close), 0.999 * k_draws) << params.alpha;

    fill_beta_on(SamplingPath::scalar, scalar, params, {8, 9, 11, 0, 0});
    std::sort(simd.begin(), simd.end());
    std::sort(scalar.begin(), scalar.end());
    // Two-sample KS: the merged walk's largest gap between the empirical CDFs.
    double distance = 0.0;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < k_draws && j < k_draws) {
      if (simd[i] <= scalar[j]) {
        ++i;
      } else {
        ++j;
      }
      distance = std::max(distance, std::abs(static_cast<double>(i) - static_cast<double>(j)) /
                                        static_cast<double>(k_draws));
    }
    EXPECT_LT(distance, ks_critical(k_draws) * std::sqrt(2.0)) << params.alpha;
  }
}

// The lanes' own logarithm and sine/cosine, on doubles and on the build's SIMD batch: within an
// ulp of the library's over the uniforms they are fed.
TEST(LaneMath, LogAndSinCosMatchTheLibrary) {
  ScalarXoshiro rng(StreamKey{2, 7, 1, 8, 2});
  const auto ulps = [](double value, double truth) {
    return std::abs(value - truth) / std::abs(std::nextafter(truth, 2.0 * truth) - truth);
  };
  double worst_log = 0.0;
  double worst_trig = 0.0;
  double worst_lane_log = 0.0;
  for (int i = 0; i < 200'000; ++i) {
    std::array<std::uint64_t, 8> words{};
    for (std::uint64_t& word : words) {
      word = std::bit_cast<std::uint64_t>(rng.uniform()) * 0x9e3779b97f4a7c15ULL;
    }
    const double u = unit_open(words[0]);
    worst_log = std::max(worst_log, ulps(lanes::log_positive(u), std::log(u)));
    const auto [sine, cosine] = lanes::uniform_angle_sincos<double>(words[1]);
    const long double angle =
        2.0L * std::numbers::pi_v<long double> * static_cast<long double>(unit_open(words[1]));
    worst_trig = std::max({worst_trig, std::abs(sine - static_cast<double>(std::sin(angle))),
                           std::abs(cosine - static_cast<double>(std::cos(angle)))});
#if RECKON_SIMD_SAMPLING
    using Batch = xsimd::batch<double>;
    constexpr std::size_t width = Batch::size;
    const Batch logs =
        lanes::log_positive(lanes::unit_open_lanes(lanes::load<Batch>(words.data())));
    std::array<double, width> lane_logs{};
    logs.store_unaligned(lane_logs.data());
    for (std::size_t lane = 0; lane < width; ++lane) {
      const double lane_u = unit_open(words[lane]);
      worst_lane_log = std::max(worst_lane_log, ulps(lane_logs[lane], std::log(lane_u)));
    }
#endif
  }
  EXPECT_LE(worst_log, 1.0);
  EXPECT_LE(worst_lane_log, 1.0);
  EXPECT_LE(worst_trig, 4e-16);
}

// The squeeze may only accept what Marsaglia and Tsang's exact test accepts: checked on
// candidates spread evenly over [-4, 4] x (0, 1) and on candidates as the sampler meets them
// (x normal). On the latter it should leave open little more than the true rejection rate,
// about 1 / (36 d).
TEST(TightSqueeze, NeverAcceptsWhatTheExactTestRejects) {
  ScalarXoshiro rng(StreamKey{1, 1, 1, 1, 1});
  constexpr std::size_t k_candidates = 400'000;
  for (const double shape : {1.0, 1.125, 1.5, 3.0, 20.0, 500.0, 20'000.0}) {
    const GammaShape gamma(shape);
    const auto squeeze = [&gamma](double x, double w) {
      const double y = gamma.c * x;
      return tight_squeeze_accepts(gamma.squeeze_scale, w, y, std::min(1.0 + y, 1.0));
    };
    std::size_t open = 0;
    for (std::size_t i = 0; i < k_candidates; ++i) {
      const double x_even = 8.0 * rng.uniform() - 4.0;
      const double w_even = rng.uniform();
      if (squeeze(x_even, w_even)) {
        ASSERT_TRUE(exact_accepts(gamma, x_even, w_even)) << shape << ": " << x_even;
      }
      const double x = rng.normal();
      const double w = rng.uniform();
      if (squeeze(x, w)) {
        ASSERT_TRUE(exact_accepts(gamma, x, w)) << shape << ": " << x;
      } else {
        ++open;
      }
    }
    const double open_rate = static_cast<double>(open) / k_candidates;
    EXPECT_LT(open_rate, 2.0 / (36.0 * gamma.d) + 0.001) << shape;
  }
}

} // namespace
} // namespace reckon::stats::detail
