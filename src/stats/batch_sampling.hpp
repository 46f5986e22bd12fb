#pragma once

#include "reckon/stats/beta.hpp"

#include <cstdint>
#include <span>

namespace reckon::stats::detail {

// Names one independent random stream: a cell's (seed, stream), a chunk of its draws, an arm,
// and a component within the arm (0 for a rate, 1 for a per-order value, ...). Every number a
// batch holds is fixed by this key and its position, never by threads or scheduling.
struct StreamKey {
  std::uint64_t seed = 0;
  std::uint64_t stream = 0;
  std::uint64_t chunk = 0;
  std::uint32_t arm = 0;
  std::uint32_t component = 0;
};

// Fills `out` with independent Beta(params) draws from the stream `key`. Exact (no
// approximation beyond floating point), allocation-free and non-throwing: the hot loop.
void fill_beta(std::span<double> out, BetaParams params, const StreamKey& key) noexcept;

// Fills `out` with independent standard normal draws from the stream `key`.
void fill_standard_normal(std::span<double> out, const StreamKey& key) noexcept;

// x = exp(location + scale x) for every x of `values`: a log-normal from standard normals. On
// the SIMD path xsimd's exp (within an ulp of the correctly rounded value), the tail through
// the same lanes from a padded copy, so that each value gets the same function wherever it
// sits; glibc's scalar exp took a quarter of the time of a revenue-per-visitor cell.
void exponentiate_affine(std::span<double> values, double location, double scale) noexcept;

} // namespace reckon::stats::detail
