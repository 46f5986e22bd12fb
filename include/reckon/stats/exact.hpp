#pragma once

#include "reckon/stats/beta.hpp"

#include <optional>
#include <span>
#include <vector>

namespace reckon::stats {

// Exact answers for independent Beta posteriors. They serve as oracles for the Monte Carlo
// engine in tests, and as a fast path where a cell is purely Beta-Binomial.

// P(X_b > X_a) for X_a ~ a, X_b ~ b. Uses Evan Miller's closed-form sum when a parameter is a
// whole number and the sum is short enough (200,000 terms, about a millisecond); otherwise
// one-dimensional quadrature of the incomplete beta.
double prob_greater(BetaParams b, BetaParams a);

// Evan Miller's sum, kept in log space and long double so that neither the first term's
// underflow nor accumulated rounding limits its accuracy (within 2e-15 of 40-digit values on
// the anchor cases, C9 included). It runs over b.alpha terms; by P(X_b > X_a) = 1 - P(X_a > X_b)
// and P(X_b > X_a) = P(1 - X_a > 1 - X_b), any whole parameter of either arm can take that role,
// and the smallest is used. Nullopt when no parameter is a whole number. Costs about 3 ns per
// term.
std::optional<double> prob_greater_closed_form(BetaParams b, BetaParams a);

// The same probability by quadrature of pdf(x) * cdf(x) over the narrower arm's density:
// adaptive Gauss-Kronrod, or tanh-sinh where a shape below 1 makes the density unbounded.
// Within 1e-14 of 40-digit values on the anchor cases; costs 0.1-0.5 ms.
double prob_greater_quadrature(BetaParams b, BetaParams a);

// For each arm i, P(X_i is the largest of all arms), by quadrature of
// pdf_i(x) * prod_{j != i} cdf_j(x). The values sum to 1 up to the quadrature tolerance.
std::vector<double> prob_best(std::span<const BetaParams> arms);

// P(X_v <= fraction * X_c) for X_v ~ variant, X_c ~ control and fraction in (0, 1]: the chance
// that the variant's rate is at most that fraction of the control's, so 1 - fraction is a
// relative drop of at least that much. Quadrature of pdf_c(x) * cdf_v(fraction x) over the
// control's density, as prob_greater_quadrature; fraction 1 gives 1 - P(X_v > X_c).
double prob_at_most_fraction(BetaParams variant, BetaParams control, double fraction);

} // namespace reckon::stats
