#include "cdf_table.hpp"

#include "math_policy.hpp"

#include <boost/math/special_functions/beta.hpp>

#include <array>
#include <cassert>
#include <cmath>

namespace reckon::stats::detail {
namespace {

// Panels of the distribution function's grid (its interpolation error goes as the width^6),
// and of the expectation rule (Gauss-Legendre's error goes as the width^10: 64 panels of at
// most 0.55 sd leave about 1e-11).
constexpr std::size_t k_panels = 256;
constexpr std::size_t k_rule_panels = 64;
// Mass left outside the window on each side.
constexpr double k_tail = 1e-15;
// 5-point Gauss-Legendre on [-1, 1].
constexpr std::array<double, 5> k_abscissae{-0.9061798459386640, -0.5384693101056831, 0.0,
                                            0.5384693101056831, 0.9061798459386640};
constexpr std::array<double, 5> k_gauss_weights{0.2369268850561891, 0.4786286704993665,
                                                0.5688888888888889, 0.4786286704993665,
                                                0.2369268850561891};

} // namespace

bool CdfTable::accepts(BetaParams beta) {
  const auto fits = [](double shape) {
    return shape >= 1.0 && shape < 0x1p53 && shape == std::floor(shape);
  };
  return fits(beta.alpha) && fits(beta.beta);
}

namespace {

// The density of a Beta the table accepts, and its derivative.
struct BetaDensity {
  explicit BetaDensity(BetaParams beta)
      : a(beta.alpha), b(beta.beta),
        // The constant once, not per node: exp((a - 1) ln x + (b - 1) ln(1 - x) - ln B).
        log_norm(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b)) {}

  double value(double x) const {
    if (x <= 0.0 || x >= 1.0) {
      // Bounded shapes only: 0 at an end, or the constant of a shape equal to 1.
      return (x <= 0.0 ? a : b) == 1.0 ? std::exp(log_norm) : 0.0;
    }
    return std::exp((a - 1.0) * std::log(x) + (b - 1.0) * std::log1p(-x) + log_norm);
  }
  // density x ((a - 1) / x - (b - 1) / (1 - x)); 0 at an end (the window keeps x inside).
  double slope(double x) const {
    return x <= 0.0 || x >= 1.0 ? 0.0 : value(x) * ((a - 1.0) / x - (b - 1.0) / (1.0 - x));
  }

  double a;
  double b;
  double log_norm;
};

// Calls node(x, weight) for 5-point Gauss-Legendre on `panels` equal panels from `low`, each
// `width` wide, and panel_end(p) after panel p.
template <class Node, class PanelEnd>
void gauss_panels(double low, double width, std::size_t panels, Node node, PanelEnd panel_end) {
  const double half = width / 2.0;
  for (std::size_t panel = 0; panel < panels; ++panel) {
    const double centre = low + (static_cast<double>(panel) + 0.5) * width;
    for (std::size_t k = 0; k < k_abscissae.size(); ++k) {
      node(centre + half * k_abscissae[k], half * k_gauss_weights[k]);
    }
    panel_end(panel);
  }
}

} // namespace

CdfTable::CdfTable(BetaParams beta)
    : m_cdf(k_panels + 1), m_density(k_panels + 1), m_slope(k_panels + 1) {
  assert(accepts(beta));
  const MathPolicy policy;
  m_low = boost::math::ibeta_inv(beta.alpha, beta.beta, k_tail, policy);
  const double high = boost::math::ibetac_inv(beta.alpha, beta.beta, k_tail, policy);
  m_window = high - m_low;
  m_width = m_window / static_cast<double>(k_panels);
  const BetaDensity density(beta);
  m_cdf[0] = m_low > 0.0 ? k_tail : 0.0;
  m_density[0] = density.value(m_low);
  m_slope[0] = density.slope(m_low);
  double mass = 0.0;
  gauss_panels(
      m_low, m_width, k_panels, [&](double x, double w) { mass += w * density.value(x); },
      [&](std::size_t panel) {
        const double end = m_low + static_cast<double>(panel + 1) * m_width;
        m_cdf[panel + 1] = m_cdf[panel] + mass;
        m_density[panel + 1] = density.value(end);
        m_slope[panel + 1] = density.slope(end);
        mass = 0.0;
      });
  m_nodes.reserve(k_rule_panels * k_abscissae.size());
  m_weights.reserve(k_rule_panels * k_abscissae.size());
  gauss_panels(
      m_low, m_window / static_cast<double>(k_rule_panels), k_rule_panels,
      [&](double x, double w) {
        m_nodes.push_back(x);
        m_weights.push_back(w * density.value(x));
      },
      [](std::size_t) {});
  // lgamma of a shape near 10^6 is 10^7 and keeps 1e-9 of absolute accuracy, so the constant
  // is off by as much; the window's mass, known to be 1 - 2e-15 (1 - 1e-15 from 0), corrects it.
  const double scale =
      (m_low > 0.0 ? 1.0 - 2.0 * k_tail : 1.0 - k_tail) / (m_cdf[k_panels] - m_cdf[0]);
  for (std::size_t i = 0; i <= k_panels; ++i) {
    m_cdf[i] = m_cdf[0] + (m_cdf[i] - m_cdf[0]) * scale;
    m_density[i] *= scale;
    m_slope[i] *= scale;
  }
  for (double& weight : m_weights) {
    weight *= scale;
  }
}

double CdfTable::cdf(double x) const {
  const double position = (x - m_low) / m_width;
  if (!(position > 0.0)) {
    return position == position ? 0.0 : position; // below the window (NaN passes through)
  }
  if (position >= static_cast<double>(k_panels)) {
    return 1.0;
  }
  const auto panel = static_cast<std::size_t>(position);
  // Quintic Hermite on the panel from the distribution function, the density and its slope at
  // both ends.
  const double t = position - static_cast<double>(panel);
  const double t2 = t * t;
  const double t3 = t2 * t;
  const double t4 = t3 * t;
  const double t5 = t4 * t;
  const double h = m_width;
  const double value = (1.0 - 10.0 * t3 + 15.0 * t4 - 6.0 * t5) * m_cdf[panel] +
                       (10.0 * t3 - 15.0 * t4 + 6.0 * t5) * m_cdf[panel + 1];
  const double first = (t - 6.0 * t3 + 8.0 * t4 - 3.0 * t5) * m_density[panel] +
                       (-4.0 * t3 + 7.0 * t4 - 3.0 * t5) * m_density[panel + 1];
  const double second = (0.5 * t2 - 1.5 * t3 + 1.5 * t4 - 0.5 * t5) * m_slope[panel] +
                        (0.5 * t3 - t4 + 0.5 * t5) * m_slope[panel + 1];
  return value + h * (first + h * second);
}

} // namespace reckon::stats::detail
