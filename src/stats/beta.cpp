#include "reckon/stats/beta.hpp"

#include "beta_validity.hpp"
#include "math_policy.hpp"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/special_functions/beta.hpp>

#include <cassert>
#include <cmath>

namespace reckon::stats {

BetaParams beta_posterior(BetaPrior prior, std::uint64_t successes, std::uint64_t trials) {
  assert(successes <= trials);
  assert(prior.alpha > 0.0 && prior.beta > 0.0);
  return BetaParams{prior.alpha + static_cast<double>(successes),
                    prior.beta + static_cast<double>(trials - successes)};
}

double beta_mean(BetaParams beta) {
  assert(detail::is_valid(beta));
  return beta.alpha / (beta.alpha + beta.beta);
}

double beta_pdf(BetaParams beta, double x) {
  assert(detail::is_valid(beta));
  assert(x >= 0.0 && x <= 1.0);
  const boost::math::beta_distribution<double, detail::MathPolicy> dist(beta.alpha, beta.beta);
  return boost::math::pdf(dist, x);
}

double beta_quantile(BetaParams beta, double p) {
  assert(detail::is_valid(beta));
  assert(p >= 0.0 && p <= 1.0);
  return boost::math::ibeta_inv(beta.alpha, beta.beta, p, detail::MathPolicy());
}

Interval beta_credible_interval(BetaParams beta, double level) {
  assert(detail::is_valid(beta));
  assert(level > 0.0 && level < 1.0);
  const double tail = (1.0 - level) / 2.0;
  // The upper bound inverts the upper tail directly: 1 - tail would lose digits of a small tail.
  return Interval{boost::math::ibeta_inv(beta.alpha, beta.beta, tail, detail::MathPolicy()),
                  boost::math::ibetac_inv(beta.alpha, beta.beta, tail, detail::MathPolicy())};
}

} // namespace reckon::stats
