// Before any header that reaches the intrinsics.
#include "simd_intrinsics.hpp"

#include "batch_sampling.hpp"

#include "gamma_sampler.hpp"
#include "simd_gamma.hpp"
#include "simd_lane_math.hpp"
#include "simd_paths.hpp"
#include "simd_xoshiro.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace reckon::stats::detail {
namespace {

// Below this shape a Beta is drawn by the scalar log-space sampler: U^(1/shape) could
// underflow (the smallest uniform is 2^-53, and 2^-53 ^ 8 = 2^-424 is still far from it).
constexpr double k_min_lane_shape = 0.125;

struct BetaShapes {
  BetaShapes(double alpha, double beta) : a(alpha), b(beta) {}
  GammaShape a;
  GammaShape b;
};

// Settles one candidate the squeeze left open: the exact test on the same (x, U = 1 - w),
// then, if it fails, a fresh Gamma(d + 1/3) from the scalar generator.
double settle_gamma(const GammaShape& shape, double x, double w, ScalarXoshiro& fallback) noexcept {
  if (!exact_accepts(shape, x, w)) {
    return shape.fresh.draw(fallback);
  }
  const double v = 1.0 + shape.c * x;
  return shape.d * (v * v * v);
}

// The generator lanes of one fill, grouped into batches of F.
template <class F>
struct LaneGenerators {
  using Bits = typename lanes::LaneTypes<F>::Bits;
  static constexpr std::size_t width = lanes::LaneTypes<F>::width;
  static constexpr std::size_t groups = k_sampling_lanes / width;
  static_assert(k_sampling_lanes % width == 0);

  explicit LaneGenerators(const StreamKey& key) noexcept {
    // words[i][lane]: word i of lane `lane`'s state, so that each group loads contiguously.
    std::array<std::array<std::uint64_t, k_sampling_lanes>, 4> words{};
    for (std::size_t lane = 0; lane < k_sampling_lanes; ++lane) {
      const std::array<std::uint64_t, 4> block = philox_block(key, lane, PhiloxPurpose::lane_state);
      for (std::size_t i = 0; i < 4; ++i) {
        words[i][lane] = block[i];
      }
    }
    for (std::size_t g = 0; g < groups; ++g) {
      rng[g] = Xoshiro256Plus<Bits>{
          lanes::load<F>(&words[0][g * width]), lanes::load<F>(&words[1][g * width]),
          lanes::load<F>(&words[2][g * width]), lanes::load<F>(&words[3][g * width])};
    }
  }

  std::array<Xoshiro256Plus<Bits>, groups> rng;
};

// The kernels are forced inline into their fill loops, so that the generator state and
// shape constants stay in registers across blocks.
#define RECKON_LANE_INLINE [[gnu::always_inline]] inline
#define RECKON_LAMBDA_INLINE __attribute__((always_inline))

// U'^(1/shape) for a boosted shape, from a fresh uniform.
template <class F>
RECKON_LANE_INLINE F boost_factor(Xoshiro256Plus<typename lanes::LaneTypes<F>::Bits>& rng,
                                  const GammaShape& shape) noexcept {
  return lanes::exp(lanes::log_positive(lanes::unit_open_lanes(rng.next())) * F(shape.inv_shape));
}

// The rare path, out of line: lane by lane, settle the gammas the squeeze left open and redo
// those lanes' ratios.
template <class F>
[[gnu::noinline]] void
settle_lanes(const BetaShapes& shapes, ScalarXoshiro& fallback, const F& xa, const F& xb,
             const F& wa, const F& wb, const F& ga, const F& gb, const F& boost_a, const F& boost_b,
             const typename lanes::LaneTypes<F>::Mask& accept_a,
             const typename lanes::LaneTypes<F>::Mask& accept_b, double* out) noexcept {
  constexpr std::size_t width = lanes::LaneTypes<F>::width;
  std::array<std::array<double, width>, 8> lane{};
  std::array<std::array<bool, width>, 2> accepted{};
  lanes::store(xa, lane[0].data());
  lanes::store(xb, lane[1].data());
  lanes::store(wa, lane[2].data());
  lanes::store(wb, lane[3].data());
  lanes::store(ga, lane[4].data());
  lanes::store(gb, lane[5].data());
  lanes::store(boost_a, lane[6].data());
  lanes::store(boost_b, lane[7].data());
  lanes::store_mask(accept_a, accepted[0].data());
  lanes::store_mask(accept_b, accepted[1].data());
  for (std::size_t i = 0; i < width; ++i) {
    if (accepted[0][i] && accepted[1][i]) {
      continue;
    }
    const double lane_ga =
        accepted[0][i] ? lane[4][i]
                       : settle_gamma(shapes.a, lane[0][i], lane[2][i], fallback) * lane[6][i];
    const double lane_gb =
        accepted[1][i] ? lane[5][i]
                       : settle_gamma(shapes.b, lane[1][i], lane[3][i], fallback) * lane[7][i];
    out[i] = lane_ga / (lane_ga + lane_gb);
  }
}

// One Beta per lane of a group: a Box-Muller pair gives both gammas' normals.
template <class F>
RECKON_LANE_INLINE void beta_group(Xoshiro256Plus<typename lanes::LaneTypes<F>::Bits>& rng,
                                   const BetaShapes& shapes, ScalarXoshiro& fallback,
                                   double* out) noexcept {
  using Mask = typename lanes::LaneTypes<F>::Mask;
  const F radius = lanes::sqrt(F(-2.0) * lanes::log_positive(lanes::unit_open_lanes(rng.next())));
  const auto [sin_angle, cos_angle] = lanes::uniform_angle_sincos<F>(rng.next());
  // w = 1 - U: uniform on (0, 1) as well, and 1 - w is exact.
  const F wa = lanes::unit_open_lanes(rng.next());
  const F wb = lanes::unit_open_lanes(rng.next());
  const F xa = radius * cos_angle;
  const F xb = radius * sin_angle;
  const F ya = F(shapes.a.c) * xa;
  const F yb = F(shapes.b.c) * xb;
  const F va = F(1.0) + ya;
  const F vb = F(1.0) + yb;
  // d (1 + y)^3 rather than d + d y (3 + y (3 + y)): as accurate near y = 0 in double, and
  // free of cancellation near y = -1, which the squeeze admits for shapes near 1.
  F ga = F(shapes.a.d) * (va * va * va);
  F gb = F(shapes.b.d) * (vb * vb * vb);
  const Mask accept_a =
      tight_squeeze_accepts(F(shapes.a.squeeze_scale), wa, ya, lanes::min(va, F(1.0)));
  const Mask accept_b =
      tight_squeeze_accepts(F(shapes.b.squeeze_scale), wb, yb, lanes::min(vb, F(1.0)));
  F boost_a(1.0);
  F boost_b(1.0);
  if (shapes.a.boosted) {
    boost_a = boost_factor<F>(rng, shapes.a);
    ga *= boost_a;
  }
  if (shapes.b.boosted) {
    boost_b = boost_factor<F>(rng, shapes.b);
    gb *= boost_b;
  }
  lanes::store(ga / (ga + gb), out);
  if (!lanes::all(accept_a && accept_b)) [[unlikely]] {
    settle_lanes<F>(shapes, fallback, xa, xb, wa, wb, ga, gb, boost_a, boost_b, accept_a, accept_b,
                    out);
  }
}

// Two normals per lane from one Box-Muller pair: the cosines fill the first half of the
// block, the sines the second.
template <class F>
RECKON_LANE_INLINE void normal_group(Xoshiro256Plus<typename lanes::LaneTypes<F>::Bits>& rng,
                                     double* cos_out, double* sin_out) noexcept {
  const F radius = lanes::sqrt(F(-2.0) * lanes::log_positive(lanes::unit_open_lanes(rng.next())));
  const auto [sin_angle, cos_angle] = lanes::uniform_angle_sincos<F>(rng.next());
  lanes::store(radius * cos_angle, cos_out);
  lanes::store(radius * sin_angle, sin_out);
}

// Fills `out` block by block with `block` (which writes block_size values and is inlined, so
// the generator state stays in registers across blocks), finishing a partial last block
// through a stack buffer, so that a fill's values never depend on its length: a shorter fill
// is a prefix of a longer one.
template <std::size_t block_size, class Block>
RECKON_LANE_INLINE void fill_blocks(std::span<double> out, Block&& block) noexcept {
  const std::size_t n = out.size();
  std::size_t i = 0;
  for (; i + block_size <= n; i += block_size) {
    block(out.data() + i);
  }
  if (i < n) {
    std::array<double, block_size> tail;
    block(tail.data());
    std::copy_n(tail.begin(), n - i, out.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

template <class F>
void fill_beta_lanes(std::span<double> out, const BetaShapes& shapes,
                     const StreamKey& key) noexcept {
  auto rng = LaneGenerators<F>(key).rng;
  ScalarXoshiro fallback(key);
  constexpr std::size_t width = LaneGenerators<F>::width;
  fill_blocks<k_sampling_lanes>(out, [&](double* block) RECKON_LAMBDA_INLINE {
    for (std::size_t g = 0; g < LaneGenerators<F>::groups; ++g) {
      beta_group<F>(rng[g], shapes, fallback, block + g * width);
    }
  });
}

template <class F>
void fill_normal_lanes(std::span<double> out, const StreamKey& key) noexcept {
  auto rng = LaneGenerators<F>(key).rng;
  constexpr std::size_t width = LaneGenerators<F>::width;
  fill_blocks<2 * k_sampling_lanes>(out, [&](double* block) RECKON_LAMBDA_INLINE {
    for (std::size_t g = 0; g < LaneGenerators<F>::groups; ++g) {
      normal_group<F>(rng[g], block + g * width, block + k_sampling_lanes + g * width);
    }
  });
}

// Shapes below k_min_lane_shape: Gamma draws as logarithms (BetaSampler's log space), one
// value at a time from the scalar generator. Rare (a prior below 1/8 with no successes), and
// exact down to the smallest double.
void fill_beta_tiny_shape(std::span<double> out, BetaParams params, const StreamKey& key) noexcept {
  ScalarXoshiro rng(key);
  const BetaSampler sampler(params.alpha, params.beta);
  for (double& value : out) {
    value = sampler.draw(rng);
  }
}

#if RECKON_SIMD_SAMPLING
using SimdBatch = xsimd::batch<double, xsimd::default_arch>;
static_assert(lanes::LaneTypes<SimdBatch>::width >= 4);
#endif

} // namespace

bool simd_path_available() noexcept {
  return RECKON_SIMD_SAMPLING != 0;
}

void fill_beta_on(SamplingPath path, std::span<double> out, BetaParams params,
                  const StreamKey& key) noexcept {
  assert(params.alpha > 0.0 && std::isfinite(params.alpha));
  assert(params.beta > 0.0 && std::isfinite(params.beta));
  if (std::min(params.alpha, params.beta) < k_min_lane_shape) {
    fill_beta_tiny_shape(out, params, key);
    return;
  }
  const BetaShapes shapes(params.alpha, params.beta);
#if RECKON_SIMD_SAMPLING
  if (path == SamplingPath::simd) {
    fill_beta_lanes<SimdBatch>(out, shapes, key);
    return;
  }
#else
  (void)path;
#endif
  fill_beta_lanes<double>(out, shapes, key);
}

void fill_standard_normal_on(SamplingPath path, std::span<double> out,
                             const StreamKey& key) noexcept {
#if RECKON_SIMD_SAMPLING
  if (path == SamplingPath::simd) {
    fill_normal_lanes<SimdBatch>(out, key);
    return;
  }
#else
  (void)path;
#endif
  fill_normal_lanes<double>(out, key);
}

void exponentiate_affine(std::span<double> values, double location, double scale) noexcept {
#if RECKON_SIMD_SAMPLING
  constexpr std::size_t width = SimdBatch::size;
  const SimdBatch shift(location);
  const SimdBatch factor(scale);
  // Multiply then add, as the scalar path (the build does not contract them into an FMA).
  const auto transform = [&](const SimdBatch& x) { return lanes::exp(shift + factor * x); };
  std::size_t i = 0;
  for (; i + width <= values.size(); i += width) {
    transform(SimdBatch::load_unaligned(values.data() + i)).store_unaligned(values.data() + i);
  }
  if (i < values.size()) {
    std::array<double, width> tail{};
    const std::size_t rest = values.size() - i;
    std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(i), rest, tail.begin());
    transform(SimdBatch::load_unaligned(tail.data())).store_unaligned(tail.data());
    std::copy_n(tail.begin(), rest, values.begin() + static_cast<std::ptrdiff_t>(i));
  }
#else
  for (double& x : values) {
    x = std::exp(location + scale * x);
  }
#endif
}

void fill_beta(std::span<double> out, BetaParams params, const StreamKey& key) noexcept {
  fill_beta_on(SamplingPath::simd, out, params, key);
}

void fill_standard_normal(std::span<double> out, const StreamKey& key) noexcept {
  fill_standard_normal_on(SamplingPath::simd, out, key);
}

} // namespace reckon::stats::detail
