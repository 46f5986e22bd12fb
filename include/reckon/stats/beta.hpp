#pragma once

#include <cstdint>

namespace reckon::stats {

// Parameters of a Beta(alpha, beta) distribution; both strictly positive.
struct BetaParams {
  double alpha = 1.0;
  double beta = 1.0;
};

// A closed interval [low, high].
struct Interval {
  double low = 0.0;
  double high = 0.0;
};

// The Beta prior of a rate; Beta(1, 1) (uniform) unless the user asks for another.
struct BetaPrior {
  double alpha = 1.0;
  double beta = 1.0;
};

// Conjugate update: Beta(prior.alpha + successes, prior.beta + trials - successes).
// Requires successes <= trials.
BetaParams beta_posterior(BetaPrior prior, std::uint64_t successes, std::uint64_t trials);

double beta_mean(BetaParams beta);
// The density at x in [0, 1]; +infinity at an end where the shape on that side is below 1.
double beta_pdf(BetaParams beta, double x);

// The p-quantile of the distribution, p in [0, 1] (Boost.Math's inverse incomplete beta).
double beta_quantile(BetaParams beta, double p);

// The equal-tailed interval holding `level` of the mass, level in (0, 1).
Interval beta_credible_interval(BetaParams beta, double level);

} // namespace reckon::stats
