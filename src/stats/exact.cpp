#include "reckon/stats/exact.hpp"

#include "beta_validity.hpp"
#include "math_policy.hpp"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <array>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

namespace reckon::stats {

namespace {

using Long = long double;

// Above this many terms the closed form costs more than quadrature (about a millisecond).
constexpr double k_max_closed_form_terms = 200'000.0;
// Mass left outside the integration window on each side: far below any tolerance we state.
constexpr double k_window_tail = 1e-18;
// Gauss-Kronrod's error estimate |K61 - G30| is very pessimistic for these smooth integrands:
// at a relative 1e-10 the anchor cases stop after 61-183 evaluations with true errors near
// 1e-14. Asking for 1e-12 chases rounding noise in ibeta down to the depth limit, so the depth
// is capped as well (at most 2^10 panels).
constexpr double k_quadrature_tolerance = 1e-10;
constexpr unsigned k_max_quadrature_depth = 10;

// Whole numbers below 2^53, where every integer is exact.
bool is_whole(double x) {
  return x < 0x1p53 && x == std::floor(x);
}

// delta(x) = lgamma(x) - [(x - 1/2) ln x - x + ln(2 pi) / 2], the remainder of Stirling's
// formula. It is small (about 1/(12x)), so differences of it keep their digits where
// differences of lgamma itself (about x ln x) would not.
Long stirling_remainder(Long x) {
  if (x >= 20) {
    const Long inv = 1 / x;
    const Long inv2 = inv * inv;
    // Asymptotic series; the first omitted term is below 1e-19 for x >= 20.
    return inv *
           (1.0L / 12 - inv2 * (1.0L / 360 -
                                inv2 * (1.0L / 1260 -
                                        inv2 * (1.0L / 1680 -
                                                inv2 * (1.0L / 1188 - inv2 * (691.0L / 360360))))));
  }
  const Long half_log_two_pi = 0.918938533204672741780329736405617639861L;
  return boost::math::lgamma(x, detail::MathPolicy()) - ((x - 0.5L) * std::log(x) - x) -
         half_log_two_pi;
}

// ln[B(r, s + t) / B(r, s)] = ln[G(s+t) G(r+s) / (G(s) G(r+s+t))], written so that no two
// large quantities cancel: the linear parts of Stirling's formula cancel exactly and the
// logarithmic parts are grouped into log1p terms.
Long log_first_term(Long r, Long s, Long t) {
  return (s - 0.5L) * std::log1p(t / s) - (r + s - 0.5L) * std::log1p(t / (r + s)) -
         t * std::log1p(r / (s + t)) + stirling_remainder(s + t) - stirling_remainder(s) -
         stirling_remainder(r + s + t) + stirling_remainder(r + s);
}

// Evan Miller's sum for P(X_b > X_a), b.alpha whole. Term i is
// B(ra + i, sa + tb) / ((tb + i) B(1 + i, tb) B(ra, sa)); consecutive terms differ by the
// ratio (ra + i)(tb + i) / ((ra + sa + tb + i)(1 + i)). The running term is held as
// mantissa * exp(log_scale) in long double: the first term alone underflows even long double
// at large counts (about exp(-20800) for C9), and the extra precision keeps the rounding of
// tens of thousands of products far below 1e-12.
double miller_sum(BetaParams b, BetaParams a) {
  const Long r = a.alpha;
  const Long s = a.beta;
  const Long t = b.beta;
  const auto terms = static_cast<std::uint64_t>(b.alpha);
  // Rescaling by a power of two is exact; only log_scale absorbs it.
  constexpr int k_rescale_bits = 512;
  const Long rescale_limit = std::ldexp(1.0L, k_rescale_bits);
  const Long rescale_log = k_rescale_bits * std::numbers::ln2_v<Long>;

  Long log_scale = log_first_term(r, s, t);
  Long term = 1;
  Long sum = 1;
  for (std::uint64_t i = 0; i + 1 < terms; ++i) {
    const auto k = static_cast<Long>(i);
    term *= (r + k) * (t + k) / ((r + s + t + k) * (1 + k));
    sum += term;
    if (term > rescale_limit) {
      term = std::ldexp(term, -k_rescale_bits);
      sum = std::ldexp(sum, -k_rescale_bits);
      log_scale += rescale_log;
    }
  }
  return static_cast<double>(sum * std::exp(log_scale));
}

BetaParams mirrored(BetaParams x) {
  return BetaParams{x.beta, x.alpha};
}

double beta_sd(BetaParams x) {
  const double n = x.alpha + x.beta;
  return std::sqrt(x.alpha * x.beta / (n * n * (n + 1.0)));
}

bool has_bounded_density(BetaParams x) {
  return x.alpha >= 1.0 && x.beta >= 1.0;
}

// The integral of pdf_density(x) * factor(x) over the density's support, less 2e-18 of mass.
// Adaptive Gauss-Kronrod where the density is bounded; tanh-sinh, which is built for endpoint
// singularities, where a shape below 1 makes it unbounded at an end.
template <class Factor>
double integrate_against(BetaParams density, Factor factor) {
  const detail::MathPolicy policy;
  const double low = boost::math::ibeta_inv(density.alpha, density.beta, k_window_tail, policy);
  const double high = boost::math::ibetac_inv(density.alpha, density.beta, k_window_tail, policy);
  const boost::math::beta_distribution<double, detail::MathPolicy> dist(density.alpha,
                                                                        density.beta);
  const auto integrand = [&](double x) { return boost::math::pdf(dist, x) * factor(x); };
  if (has_bounded_density(density)) {
    return boost::math::quadrature::gauss_kronrod<double, 61, detail::MathPolicy>::integrate(
        integrand, low, high, k_max_quadrature_depth, k_quadrature_tolerance);
  }
  boost::math::quadrature::tanh_sinh<double, detail::MathPolicy> rule;
  return rule.integrate(integrand, low, high, k_quadrature_tolerance);
}

// How to evaluate P(X_b > X_a) by Miller's sum at the lowest cost: miller_sum(b, a) runs over
// b.alpha terms, and the identities P(X_b > X_a) = 1 - P(X_a > X_b) and
// P(X_b > X_a) = P(1 - X_a > 1 - X_b) let any whole parameter play that role.
struct MillerPlan {
  BetaParams b;
  BetaParams a;
  bool complement = false;
  double terms = std::numeric_limits<double>::infinity();
};

MillerPlan cheapest_miller_plan(BetaParams b, BetaParams a) {
  const std::array<MillerPlan, 4> candidates{
      MillerPlan{b, a, false, b.alpha},
      MillerPlan{a, b, true, a.alpha},
      MillerPlan{mirrored(a), mirrored(b), false, a.beta},
      MillerPlan{mirrored(b), mirrored(a), true, b.beta},
  };
  MillerPlan best;
  for (const MillerPlan& candidate : candidates) {
    if (is_whole(candidate.terms) && candidate.terms < best.terms) {
      best = candidate;
    }
  }
  return best;
}

} // namespace

std::optional<double> prob_greater_closed_form(BetaParams b, BetaParams a) {
  assert(detail::is_valid(b) && detail::is_valid(a));
  const MillerPlan plan = cheapest_miller_plan(b, a);
  if (!std::isfinite(plan.terms)) {
    return std::nullopt;
  }
  const double sum = miller_sum(plan.b, plan.a);
  return plan.complement ? 1.0 - sum : sum;
}

double prob_greater_quadrature(BetaParams b, BetaParams a) {
  assert(detail::is_valid(b) && detail::is_valid(a));
  const detail::MathPolicy policy;
  // Integrate over the narrower bounded density: the other factor, a distribution function, is
  // then nearly flat across the window instead of a step inside it.
  const bool over_b =
      has_bounded_density(b) && (!has_bounded_density(a) || beta_sd(b) < beta_sd(a));
  if (over_b) {
    return integrate_against(
        b, [&](double x) { return boost::math::ibeta(a.alpha, a.beta, x, policy); });
  }
  return integrate_against(
      a, [&](double x) { return boost::math::ibetac(b.alpha, b.beta, x, policy); });
}

double prob_greater(BetaParams b, BetaParams a) {
  assert(detail::is_valid(b) && detail::is_valid(a));
  if (cheapest_miller_plan(b, a).terms <= k_max_closed_form_terms) {
    return *prob_greater_closed_form(b, a);
  }
  return prob_greater_quadrature(b, a);
}

std::vector<double> prob_best(std::span<const BetaParams> arms) {
  assert(!arms.empty());
  const detail::MathPolicy policy;
  std::vector<double> result;
  result.reserve(arms.size());
  for (std::size_t i = 0; i < arms.size(); ++i) {
    assert(detail::is_valid(arms[i]));
    result.push_back(integrate_against(arms[i], [&](double x) {
      double product = 1.0;
      for (std::size_t j = 0; j < arms.size(); ++j) {
        if (j != i) {
          product *= boost::math::ibeta(arms[j].alpha, arms[j].beta, x, policy);
        }
      }
      return product;
    }));
  }
  return result;
}

double prob_at_most_fraction(BetaParams variant, BetaParams control, double fraction) {
  assert(detail::is_valid(variant) && detail::is_valid(control));
  assert(fraction > 0.0 && fraction <= 1.0);
  const detail::MathPolicy policy;
  return integrate_against(control, [&](double x) {
    return boost::math::ibeta(variant.alpha, variant.beta, fraction * x, policy);
  });
}

} // namespace reckon::stats
