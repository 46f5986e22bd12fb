#include "reckon/analysis/segments.hpp"

#include "reckon/stats/gaussian_effect.hpp"
#include "reckon/stats/polar_normal.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <random>

namespace reckon::analysis {
namespace {

// Uniforms on the open interval (0, 1) from the top 53 bits of a 64-bit draw.
struct OpenUniform {
  std::mt19937_64& engine;
  double operator()() const { return (static_cast<double>(engine() >> 11) + 0.5) * 0x1.0p-53; }
};

// One draw of every arm's standardised segment errors, errors[arm][dimension][segment]: each
// N(0, 1), independent within a dimension, and sharing the arm's overall error Z across
// dimensions with weight sqrt(w). x - sqrt(w) (sqrt(w) . x) projects independent Normals off
// sqrt(w); adding sqrt(w) Z restores unit variance and gives cov sqrt(w_i w_j) across
// dimensions. A dimension whose shares sum below 1 (segments not listed) keeps its remainder
// as an unseen segment, so the listed ones still correlate correctly with Z.
class SegmentErrors {
public:
  SegmentErrors(std::span<const ChanceDimension> dimensions, std::size_t arms)
      : m_dimensions(dimensions), m_errors(arms) {
    for (auto& arm : m_errors) {
      for (const ChanceDimension& shares : dimensions) {
        arm.emplace_back(shares.size() + 1, 0.0);
      }
    }
  }

  void draw(std::mt19937_64& engine, stats::PolarNormal& normal) {
    const OpenUniform uniform{engine};
    for (auto& arm : m_errors) {
      const double overall = normal.draw(uniform);
      for (std::size_t d = 0; d < m_dimensions.size(); ++d) {
        const ChanceDimension& shares = m_dimensions[d];
        std::vector<double>& errors = arm[d];
        double listed = 0.0;
        double along = 0.0;
        for (std::size_t k = 0; k <= shares.size(); ++k) {
          const double share = k < shares.size() ? shares[k] : std::max(0.0, 1.0 - listed);
          listed += k < shares.size() ? share : 0.0;
          errors[k] = normal.draw(uniform);
          along += std::sqrt(share) * errors[k];
        }
        for (std::size_t k = 0; k <= shares.size(); ++k) {
          const double share = k < shares.size() ? shares[k] : std::max(0.0, 1.0 - listed);
          errors[k] += std::sqrt(share) * (overall - along);
        }
      }
    }
  }

  double at(std::size_t arm, std::size_t dimension, std::size_t segment) const {
    return m_errors[arm][dimension][segment];
  }

private:
  std::span<const ChanceDimension> m_dimensions;
  std::vector<std::vector<std::vector<double>>> m_errors;
};

} // namespace

double ChanceCount::at_least(std::size_t found) const {
  double tail = 0.0;
  for (std::size_t count = found; count < distribution.size(); ++count) {
    tail += distribution[count];
  }
  return tail;
}

double winner_z(double standard_error, const VerdictRule& rule) {
  const double z_threshold = stats::normal_two_sided_z(2.0 * rule.threshold - 1.0);
  return std::max(z_threshold, std::log1p(rule.neutral_band) / standard_error);
}

ChanceCount chance_count(std::span<const ChanceDimension> dimensions,
                         std::span<const ChanceComparison> comparisons, std::size_t arms,
                         std::size_t control, std::uint64_t draws, std::uint64_t seed) {
  assert(draws > 0 && control < arms);
  ChanceCount result;
  result.draws = draws;
  for (const ChanceComparison& comparison : comparisons) {
    result.expected += stats::prob_positive(-comparison.winner_z, 1.0);
  }
  std::mt19937_64 engine(seed);
  stats::PolarNormal normal;
  SegmentErrors errors(dimensions, arms);
  // histogram[c]: draws in which c segments were called winners.
  std::vector<std::uint64_t> histogram(comparisons.size() + 1, 0);
  for (std::uint64_t draw = 0; draw < draws; ++draw) {
    errors.draw(engine, normal);
    std::size_t count = 0;
    for (const ChanceComparison& c : comparisons) {
      const double variant_scale = 1.0 / std::sqrt(c.variant_visitors);
      const double control_scale = 1.0 / std::sqrt(c.control_visitors);
      const double z = (variant_scale * errors.at(c.variation, c.dimension, c.segment) -
                        control_scale * errors.at(control, c.dimension, c.segment)) /
                       std::hypot(variant_scale, control_scale);
      count += z >= c.winner_z ? 1 : 0;
    }
    ++histogram[count];
  }
  std::uint64_t cumulative = 0;
  for (std::size_t count = 0; count < histogram.size(); ++count) {
    cumulative += histogram[count];
    if (static_cast<double>(cumulative) >= 0.95 * static_cast<double>(draws)) {
      result.upper_95 = count;
      break;
    }
  }
  for (const std::uint64_t draws_with_count : histogram) {
    result.distribution.push_back(static_cast<double>(draws_with_count) /
                                  static_cast<double>(draws));
  }
  const double coverage = static_cast<double>(cumulative) / static_cast<double>(draws);
  result.upper_95_coverage = coverage;
  result.upper_95_coverage_se = std::sqrt(coverage * (1.0 - coverage) / static_cast<double>(draws));
  return result;
}

} // namespace reckon::analysis
