#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace reckon::stats::detail {

// The random numbers of one (seed, stream, chunk, arm): Philox4x64-10 keyed by (seed, stream),
// counting blocks under the counter (chunk, arm, block, 0). Every draw is thus fixed by its
// place in the plan, never by which thread or in what order the work runs.
class PhiloxStream {
public:
  PhiloxStream(std::uint64_t seed, std::uint64_t stream, std::uint64_t chunk, std::uint64_t arm)
      : m_key{{seed, stream}}, m_counter{{chunk, arm, 0, 0}} {}

  // Uniform on the open interval (0, 1): 52 random bits centred in their cell, so neither 0
  // (whose logarithm is infinite) nor 1 can occur.
  double uniform() {
    if (m_next == k_block_size) {
      m_block = m_philox(m_counter, m_key);
      ++m_counter.v[2];
      m_next = 0;
    }
    const std::uint64_t bits = m_block.v[m_next++] >> 12;
    return (static_cast<double>(bits) + 0.5) * 0x1p-52;
  }

  // Standard normal by Box-Muller in Marsaglia's polar form: a uniform point in the unit disc
  // gives two normals with one logarithm and no sine or cosine, which here cost more than the
  // 21% of points rejected. The second normal is kept for the next call.
  double normal() {
    if (m_has_spare) {
      m_has_spare = false;
      return m_spare;
    }
    double x = 0.0;
    double y = 0.0;
    double radius2 = 0.0;
    do {
      x = 2.0 * uniform() - 1.0;
      y = 2.0 * uniform() - 1.0;
      radius2 = x * x + y * y;
    } while (radius2 >= 1.0 || radius2 == 0.0);
    const double scale = std::sqrt(-2.0 * std::log(radius2) / radius2);
    m_spare = y * scale;
    m_has_spare = true;
    return x * scale;
  }

private:
  static constexpr unsigned k_block_size = 4;

  r123::Philox4x64 m_philox;
  r123::Philox4x64::key_type m_key;
  r123::Philox4x64::ctr_type m_counter;
  r123::Philox4x64::ctr_type m_block{};
  unsigned m_next = k_block_size;
  double m_spare = 0.0;
  bool m_has_spare = false;
};

} // namespace reckon::stats::detail
