#pragma once

#include "reckon/stats/polar_normal.hpp"

#include "batch_sampling.hpp"

#include <Random123/philox.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace reckon::stats::detail {

// Keying. Philox4x64-10 keyed by (seed, stream) is the root of every random number; its
// counter is (chunk, arm | component << 32, index, purpose). A fill does not draw from Philox
// directly (about 0.6x the speed, perf-anchors §3.4) but seeds fast xoshiro256+ generators
// from it: k_sampling_lanes lanes plus one scalar generator for the rare rejected candidate.
// The map from key to generator states is fixed, so every draw is a pure function of the key
// and its position in the fill, whatever the thread or order. `purpose` keeps these blocks
// apart from PhiloxStream's counters, which leave that word at 0.
enum class PhiloxPurpose : std::uint64_t { lane_state = 1, scalar_state = 2 };

// Logical generator lanes of one fill. Fixed, whatever the SIMD width: an 8-lane AVX-512
// batch, two 4-lane AVX2 batches or eight scalars all walk the same lanes in the same order.
inline constexpr std::size_t k_sampling_lanes = 8;

inline std::array<std::uint64_t, 4> philox_block(const StreamKey& key, std::uint64_t index,
                                                 PhiloxPurpose purpose) noexcept {
  const r123::Philox4x64::key_type philox_key{{key.seed, key.stream}};
  const r123::Philox4x64::ctr_type counter{
      {key.chunk, (static_cast<std::uint64_t>(key.component) << 32) | key.arm, index,
       static_cast<std::uint64_t>(purpose)}};
  const r123::Philox4x64::ctr_type block = r123::Philox4x64()(counter, philox_key);
  // xoshiro's one forbidden state is all zeros: probability 2^-256, but cheap to exclude.
  if ((block.v[0] | block.v[1] | block.v[2] | block.v[3]) == 0) {
    return {1, 0, 0, 0};
  }
  return {block.v[0], block.v[1], block.v[2], block.v[3]};
}

// A uniform on the open interval (0, 1) from the top 52 bits of a word: those bits fill the
// mantissa of a double in [1, 2), and subtracting 1 - 2^-53 centres each value in its cell of
// width 2^-52 exactly (no rounding), so neither 0 nor 1 occurs and 1 - u is exact too. The low
// bits of xoshiro256+ are weak and never used.
inline double unit_open(std::uint64_t bits) noexcept {
  return std::bit_cast<double>((bits >> 12) | 0x3ff0000000000000ULL) - (1.0 - 0x1p-53);
}

// xoshiro256+ (Blackman and Vigna) over any word type that has +, ^, << and >>: a plain
// std::uint64_t or an xsimd batch of them, one generator per lane.
template <class Bits>
struct Xoshiro256Plus {
  Bits s0;
  Bits s1;
  Bits s2;
  Bits s3;

  Bits next() noexcept {
    const Bits result = s0 + s3;
    const Bits t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 45) | (s3 >> 19);
    return result;
  }
};

// One scalar xoshiro256+ generator with the interface the scalar samplers in
// gamma_sampler.hpp expect: rejected SIMD candidates and tiny shapes draw from it.
class ScalarXoshiro {
public:
  explicit ScalarXoshiro(const StreamKey& key) noexcept {
    const std::array<std::uint64_t, 4> words = philox_block(key, 0, PhiloxPurpose::scalar_state);
    m_state = {words[0], words[1], words[2], words[3]};
  }

  double uniform() noexcept { return unit_open(m_state.next()); }

  // Standard normal (Marsaglia's polar method).
  double normal() noexcept {
    return m_normal.draw([this] { return uniform(); });
  }

private:
  Xoshiro256Plus<std::uint64_t> m_state{};
  PolarNormal m_normal;
};

} // namespace reckon::stats::detail
