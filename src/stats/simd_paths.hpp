#pragma once

#include "batch_sampling.hpp"

#include <span>

namespace reckon::stats::detail {

// The two implementations behind fill_beta and fill_standard_normal. Both run the same lane
// algorithm; the SIMD one on xsimd batches (AVX2 or AVX-512), the scalar one on plain doubles
// for machines without them. Their draws agree in distribution and, apart from the last bits of
// a logarithm or sine, value for value. fill_* use the SIMD path whenever the build has one;
// tests and benchmarks name a path to compare them.
enum class SamplingPath { scalar, simd };

// Whether this build has a SIMD path (xsimd saw AVX2 or AVX-512 at compile time). When it has
// not, asking for SamplingPath::simd runs the scalar path.
bool simd_path_available() noexcept;

void fill_beta_on(SamplingPath path, std::span<double> out, BetaParams params,
                  const StreamKey& key) noexcept;

void fill_standard_normal_on(SamplingPath path, std::span<double> out,
                             const StreamKey& key) noexcept;

} // namespace reckon::stats::detail
