#pragma once

#include "philox_stream.hpp"

#include <cassert>
#include <cmath>

namespace reckon::stats::detail {

// Gamma(shape, 1) by Marsaglia and Tsang's method (ACM TOMS 26(3), 2000). Shapes below 1 use
// Gamma(shape) = Gamma(shape + 1) * U^(1/shape), which can underflow for tiny shapes; those
// are drawn as logarithms instead.
class GammaSampler {
public:
  explicit GammaSampler(double shape)
      : m_boosted(shape < 1.0), m_inv_shape(1.0 / shape),
        m_d((m_boosted ? shape + 1.0 : shape) - 1.0 / 3.0), m_c(1.0 / std::sqrt(9.0 * m_d)) {
    assert(shape > 0.0 && std::isfinite(shape));
  }

  // Whether draws must be taken as logarithms (shape below 1).
  bool needs_log() const { return m_boosted; }

  // A draw; only for shapes of at least 1. Rng: PhiloxStream or anything with its uniform()
  // and normal().
  template <class Rng>
  double draw(Rng& rng) const {
    assert(!m_boosted);
    return marsaglia_tsang(rng);
  }

  // The logarithm of a draw, finite for every shape.
  template <class Rng>
  double log_draw(Rng& rng) const {
    const double log_gamma = std::log(marsaglia_tsang(rng));
    return m_boosted ? log_gamma + std::log(rng.uniform()) * m_inv_shape : log_gamma;
  }

private:
  template <class Rng>
  double marsaglia_tsang(Rng& rng) const {
    for (;;) {
      double x = 0.0;
      double v = 0.0;
      do {
        x = rng.normal();
        v = 1.0 + m_c * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = rng.uniform();
      const double x2 = x * x;
      // The squeeze settles most candidates without a logarithm.
      if (u < 1.0 - 0.0331 * x2 * x2 || std::log(u) < 0.5 * x2 + m_d * (1.0 - v + std::log(v))) {
        return m_d * v;
      }
    }
  }

  bool m_boosted;
  double m_inv_shape;
  double m_d;
  double m_c;
};

// Beta(alpha, beta) as Ga / (Ga + Gb). With a shape below 1 the ratio is formed from
// logarithms, 1 / (1 + exp(ln Gb - ln Ga)), which stays in [0, 1] even when a gamma draw
// underflows.
class BetaSampler {
public:
  BetaSampler(double alpha, double beta)
      : m_alpha(alpha), m_beta(beta), m_log_space(m_alpha.needs_log() || m_beta.needs_log()) {}

  template <class Rng>
  double draw(Rng& rng) const {
    if (!m_log_space) {
      const double ga = m_alpha.draw(rng);
      const double gb = m_beta.draw(rng);
      return ga / (ga + gb);
    }
    const double log_ga = m_alpha.log_draw(rng);
    const double log_gb = m_beta.log_draw(rng);
    return 1.0 / (1.0 + std::exp(log_gb - log_ga));
  }

private:
  GammaSampler m_alpha;
  GammaSampler m_beta;
  bool m_log_space;
};

} // namespace reckon::stats::detail
