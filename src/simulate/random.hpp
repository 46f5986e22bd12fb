#pragma once

#include "reckon/stats/polar_normal.hpp"

#include "reckon/util/stable_hash.hpp"

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <span>
#include <string>
#include <string_view>

namespace reckon::simulate::detail {

// A stream of random numbers for one unit of simulation. The engine's output is fixed by the
// C++ standard; the standard's distributions are not (they differ between libraries), so every
// transform from raw bits to a variate is written out here.
class Random {
public:
  explicit Random(std::uint64_t seed) : m_engine(seed) {}

  // Uniform on [0, 1) from the top 53 bits.
  double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1p-53; }

  // Uniform on (0, 1): never 0, whose logarithm is infinite.
  double open_uniform() { return (static_cast<double>(m_engine() >> 12) + 0.5) * 0x1p-52; }

  bool bernoulli(double p) { return uniform() < p; }

  // Standard normal (Marsaglia's polar method).
  double normal() {
    return m_normal.draw([this] { return open_uniform(); });
  }

  // An index drawn with the weights whose running sums `cumulative` holds (last = total).
  std::size_t categorical(std::span<const double> cumulative) {
    return pick(uniform(), cumulative);
  }

  // The index a uniform draw on [0, 1) selects from running sums of weights: categorical with
  // the draw taken earlier, for weights that depend on what was drawn after it.
  static std::size_t pick(double uniform_draw, std::span<const double> cumulative) {
    const double u = uniform_draw * cumulative.back();
    for (std::size_t i = 0; i + 1 < cumulative.size(); ++i) {
      if (u < cumulative[i]) {
        return i;
      }
    }
    return cumulative.size() - 1;
  }

  // Uniform on {0, ..., bound - 1}, bound > 0 (a negligible modulo bias for small bounds).
  std::uint64_t below(std::uint64_t bound) { return m_engine() % bound; }

private:
  std::mt19937_64 m_engine;
  stats::PolarNormal m_normal;
};

// SplitMix64's finaliser: every input bit moves every output bit. FNV-1a alone barely changes
// its high bits when only the last byte of the input changes.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The seed of one unit of simulation: a stable hash of the scenario seed and the unit's name.
inline std::uint64_t unit_seed(std::uint64_t seed, std::initializer_list<std::string_view> parts) {
  std::uint64_t state = util::stable_hash({std::to_string(seed)});
  for (const std::string_view part : parts) {
    state = util::stable_hash(part, state);
    state = util::stable_hash(std::string_view("\x1f", 1), state);
  }
  return mix64(state);
}

} // namespace reckon::simulate::detail
