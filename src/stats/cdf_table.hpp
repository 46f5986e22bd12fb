#pragma once

#include "reckon/stats/beta.hpp"

#include <span>
#include <vector>

namespace reckon::stats::detail {

// A Beta distribution prepared for many integrals against it, without one incomplete beta per
// evaluation (each costs about 2 us; an uplift interval needs tens of thousands):
// - an expectation rule: nodes and weights with sum_k weight_k g(node_k) = E[g(X)] for smooth
//   g, from 5-point Gauss-Legendre on each of 64 equal panels of the window between the 1e-15
//   and 1 - 1e-15 quantiles (weight = Gauss weight x density);
// - its distribution function: exact at the panel ends (the running integral of the density
//   over the panels) and quintic Hermite between them, from the density and its slope. The
//   remainder is h^6 max|F^(6)| / 46080 with h = window / 256: the window spans up to 35
//   standard deviations (an exponential-like Beta with alpha 1), so h <= 0.14 sd and the error
//   stays near 1e-10 of probability, far under the Monte Carlo error sqrt(q (1 - q) / N) ~ 5e-4
//   of the draws it replaces.
// Accepted shapes: whole numbers (every posterior under a prior with whole parameters, the
// default Beta(1, 1) among them), where the density is a polynomial times a smooth factor near
// each end; a shape that is not whole puts a fractional power there, which the rules would
// integrate only to about 1e-8.
class CdfTable {
public:
  static bool accepts(BetaParams beta);

  explicit CdfTable(BetaParams beta);

  double cdf(double x) const;
  std::span<const double> nodes() const { return m_nodes; }
  std::span<const double> weights() const { return m_weights; }
  // The width of the window: the spread that decides which of two arms to integrate over.
  double window() const { return m_window; }

private:
  double m_low;
  double m_window;
  double m_width;                // of one panel
  std::vector<double> m_cdf;     // at the panel ends
  std::vector<double> m_density; // at the panel ends
  std::vector<double> m_slope;   // of the density, at the panel ends
  std::vector<double> m_nodes;
  std::vector<double> m_weights;
};

} // namespace reckon::stats::detail
