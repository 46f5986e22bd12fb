#pragma once

#include "reckon/stats/polar_normal.hpp"

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

  // Standard normal (Marsaglia's polar method).
  double normal() {
    return m_normal.draw([this] { return uniform(); });
  }

private:
  static constexpr unsigned k_block_size = 4;

  r123::Philox4x64 m_philox;
  r123::Philox4x64::key_type m_key;
  r123::Philox4x64::ctr_type m_counter;
  r123::Philox4x64::ctr_type m_block{};
  unsigned m_next = k_block_size;
  PolarNormal m_normal;
};

} // namespace reckon::stats::detail
