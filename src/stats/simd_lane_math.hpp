#pragma once

// The few operations the lane kernels of batch_sampling.cpp need, written once for a plain
// double (the scalar path) and once for an xsimd batch (the SIMD path), so that both paths
// run the same algorithm text.

#include "simd_xoshiro.hpp"

#include <xsimd/xsimd.hpp>

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>

// The SIMD path needs 64-bit integer lanes and at least four doubles per batch: AVX2 or
// AVX-512. Narrower targets (SSE2 when RECKON_NATIVE is off, NEON) take the scalar path.
#if XSIMD_WITH_AVX2 || XSIMD_WITH_AVX512F
#define RECKON_SIMD_SAMPLING 1
#else
#define RECKON_SIMD_SAMPLING 0
#endif

namespace reckon::stats::detail::lanes {

template <class F>
struct LaneTypes;

template <>
struct LaneTypes<double> {
  using Bits = std::uint64_t;
  using Mask = bool;
  static constexpr std::size_t width = 1;
};

template <class A>
struct LaneTypes<xsimd::batch<double, A>> {
  using Bits = xsimd::batch<std::uint64_t, A>;
  using Mask = xsimd::batch_bool<double, A>;
  static constexpr std::size_t width = xsimd::batch<double, A>::size;
};

// --- scalar ---

inline std::uint64_t load_bits(const std::uint64_t* from) noexcept {
  return *from;
}
inline double unit_open_lanes(std::uint64_t bits) noexcept {
  return unit_open(bits);
}
inline double as_double(std::uint64_t bits) noexcept {
  return std::bit_cast<double>(bits);
}
inline std::uint64_t as_bits(double value) noexcept {
  return std::bit_cast<std::uint64_t>(value);
}
inline double exp(double x) noexcept {
  return std::exp(x);
}
inline double sqrt(double x) noexcept {
  return std::sqrt(x);
}
inline double min(double a, double b) noexcept {
  return a < b ? a : b;
}
inline bool all(bool mask) noexcept {
  return mask;
}
inline void store(double value, double* to) noexcept {
  *to = value;
}
inline void store_mask(bool mask, bool* to) noexcept {
  *to = mask;
}

// --- xsimd batches ---

template <class A>
xsimd::batch<std::uint64_t, A> load_bits_as(const std::uint64_t* from) noexcept {
  return xsimd::batch<std::uint64_t, A>::load_unaligned(from);
}
template <class A>
xsimd::batch<double, A> unit_open_lanes(const xsimd::batch<std::uint64_t, A>& bits) noexcept {
  using Bits = xsimd::batch<std::uint64_t, A>;
  using F = xsimd::batch<double, A>;
  return xsimd::bitwise_cast<F>((bits >> 12) | Bits(0x3ff0000000000000ULL)) - F(1.0 - 0x1p-53);
}
template <class A>
xsimd::batch<double, A> as_double(const xsimd::batch<std::uint64_t, A>& bits) noexcept {
  return xsimd::bitwise_cast<xsimd::batch<double, A>>(bits);
}
template <class A>
xsimd::batch<std::uint64_t, A> as_bits(const xsimd::batch<double, A>& value) noexcept {
  return xsimd::bitwise_cast<xsimd::batch<std::uint64_t, A>>(value);
}
template <class A>
xsimd::batch<double, A> exp(const xsimd::batch<double, A>& x) noexcept {
  return xsimd::exp(x);
}
template <class A>
xsimd::batch<double, A> sqrt(const xsimd::batch<double, A>& x) noexcept {
  return xsimd::sqrt(x);
}
template <class A>
xsimd::batch<double, A> min(const xsimd::batch<double, A>& a,
                            const xsimd::batch<double, A>& b) noexcept {
  return xsimd::min(a, b);
}
template <class A>
bool all(const xsimd::batch_bool<double, A>& mask) noexcept {
  return xsimd::all(mask);
}
template <class A>
void store(const xsimd::batch<double, A>& value, double* to) noexcept {
  value.store_unaligned(to);
}
template <class A>
void store_mask(const xsimd::batch_bool<double, A>& mask, bool* to) noexcept {
  mask.store_unaligned(to);
}

template <class F>
typename LaneTypes<F>::Bits load(const std::uint64_t* from) noexcept {
  if constexpr (LaneTypes<F>::width == 1) {
    return load_bits(from);
  } else {
    return load_bits_as<typename F::arch_type>(from);
  }
}

// log(x) for a positive normal double x, written once for both lane types: fdlibm's e_log.c
// (x = 2^k m with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(f / (2 + f)) by a degree-14
// polynomial; under an ulp) without the branches for zero, subnormals, infinities and NaN,
// which a uniform from unit_open never is. k is read from the exponent bits and made a
// double by the 2^52 trick, so no integer-to-double conversion is needed.
template <class F>
[[gnu::always_inline]] inline F log_positive(const F& x) noexcept {
  using Bits = typename LaneTypes<F>::Bits;
  // Offsetting the bits moves the exponent boundary from 1 to sqrt(1/2).
  Bits bits = as_bits(x) + Bits(0x3ff0000000000000ULL - 0x3fe6a09e00000000ULL);
  const F k = as_double((bits >> 52) | Bits(0x4330000000000000ULL)) - F(0x1p52 + 1023.0);
  bits = (bits & Bits(0x000fffffffffffffULL)) + Bits(0x3fe6a09e00000000ULL);
  const F f = as_double(bits) - F(1.0);
  const F half_f2 = F(0.5) * f * f;
  const F s = f / (F(2.0) + f);
  const F z = s * s;
  const F w = z * z;
  const F odd = w * (F(3.999999999940941908e-01) +
                     w * (F(2.222219843214978396e-01) + w * F(1.531383769920937332e-01)));
  const F even = z * (F(6.666666666666735130e-01) +
                      w * (F(2.857142874366239149e-01) +
                           w * (F(1.818357216161805012e-01) + w * F(1.479819860511658591e-01))));
  const F r = even + odd;
  return k * F(6.93147180369123816490e-01) -
         ((half_f2 - (s * (half_f2 + r) + k * F(1.90821492927058770002e-10))) - f);
}

// sin and cos of a uniform angle 2 pi u, u = unit_open(bits), written once for both lane
// types: the same polynomial text makes the scalar and SIMD paths agree to the last bit
// wherever the compiler contracts the same operations. Needs no range reduction: u is known
// to lie in (0, 1), so 4u splits exactly into a quadrant q (by the 2^52 rounding trick,
// which also leaves q in the low bits) and a remainder f in [-1/2, 1/2]; r = f pi / 2 is then
// within pi / 4, where the polynomials of fdlibm's __kernel_sin and __kernel_cos are good to
// an ulp.
template <class F>
[[gnu::always_inline]] inline std::pair<F, F>
uniform_angle_sincos(const typename LaneTypes<F>::Bits& bits) noexcept {
  using Bits = typename LaneTypes<F>::Bits;
  const F t = F(4.0) * unit_open_lanes(bits);
  const F big = t + F(0x1p52);
  const Bits quadrant = as_bits(big);
  const F r = (t - (big - F(0x1p52))) * F(0x1.921fb54442d18p+0);
  const F z = r * r;
  const F sin_r = r + r * z *
                          (F(-1.66666666666666324348e-01) +
                           z * (F(8.33333333332248946124e-03) +
                                z * (F(-1.98412698298579493134e-04) +
                                     z * (F(2.75573137070700676789e-06) +
                                          z * (F(-2.50507602534068634195e-08) +
                                               z * F(1.58969099521155010221e-10))))));
  const F cos_r = F(1.0) - F(0.5) * z +
                  z * z *
                      (F(4.16666666666666019037e-02) +
                       z * (F(-1.38888888888741095749e-03) +
                            z * (F(2.48015872894767294178e-05) +
                                 z * (F(-2.75573143513906633035e-07) +
                                      z * (F(2.08757232129817482790e-09) +
                                           z * F(-1.13596475577881948265e-11))))));
  // Rotate by q quarter turns: odd q swaps sine and cosine; q = 2, 3 negate the sine and
  // q = 1, 2 the cosine.
  const Bits sin_bits = as_bits(sin_r);
  const Bits cos_bits = as_bits(cos_r);
  const Bits swap = (sin_bits ^ cos_bits) & (Bits(0) - (quadrant & Bits(1)));
  const Bits sin_sign = (quadrant & Bits(2)) << 62;
  const Bits cos_sign = ((quadrant + Bits(1)) & Bits(2)) << 62;
  return {as_double(sin_bits ^ swap ^ sin_sign), as_double(cos_bits ^ swap ^ cos_sign)};
}

} // namespace reckon::stats::detail::lanes
