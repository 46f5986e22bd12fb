#include "exact_answers.hpp"

#include "reckon/stats/exact.hpp"
#include "reckon/stats/gaussian_effect.hpp"

#include "cdf_table.hpp"
#include "math_policy.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <boost/math/tools/toms748_solve.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <utility>
#include <variant>

namespace reckon::stats::detail {
namespace {

constexpr double k_sqrt_half = 0.70710678118654752440;

double normal_cdf(double z) {
  return 0.5 * std::erfc(-z * k_sqrt_half);
}

// E[(R - 1)+] and E[(1 - R)+] for R = X_variant / X_control: the relative gap when the variant
// leads and when it trails. With two arms, choosing the arm that trails loses its gap, so the
// losses are these two, by direction.
struct RelativeGaps {
  double above = 0.0;
  double below = 0.0;
};

void set_two_arm_losses(RelativeGaps gaps, std::size_t control, Direction direction,
                        std::vector<ArmAnswer>& arms) {
  const std::size_t variant = 1 - control;
  const bool higher = direction == Direction::higher_is_better;
  // Rounding in the differences below can leave -1e-17 where the loss is 0.
  const double variant_loss = std::max(higher ? gaps.below : gaps.above, 0.0);
  const double control_loss = std::max(higher ? gaps.above : gaps.below, 0.0);
  arms[variant].expected_loss = Estimate{variant_loss, std::nullopt};
  arms[control].expected_loss = Estimate{control_loss, std::nullopt};
}

// The expected losses of k arms by size-biasing. With B the best arm, choosing i loses
// sum_{j != i} E[(X_j - X_i) / X_c; B = j] (higher is better; the negative when lower is). For
// j != c, E[X_j / X_c; A] = ratio_mean[j] P'(A), where ratio_mean[j] = E[X_j] E[1 / X_c] and
// P' tilts X_j by x (size-biased) and X_c by 1 / x; for j = c the ratio is 1. `tilted(u, j)` is
// P'(B = j) with arm u tilted up and the control down; `best[j]` is P(B = j).
template <class Tilted>
void set_tilted_losses(std::span<const double> ratio_mean, std::span<const double> best,
                       std::size_t control, Direction direction, Tilted tilted,
                       std::vector<ArmAnswer>& arms) {
  const double sign = direction == Direction::higher_is_better ? 1.0 : -1.0;
  // E[X_u / X_c; B = j].
  const auto scaled = [&](std::size_t u, std::size_t j) {
    return u == control ? best[j] : ratio_mean[u] * tilted(u, j);
  };
  for (std::size_t i = 0; i < arms.size(); ++i) {
    double loss = 0.0;
    for (std::size_t j = 0; j < arms.size(); ++j) {
      if (j != i) {
        loss += sign * (scaled(j, j) - scaled(i, j));
      }
    }
    arms[i].expected_loss = Estimate{std::max(loss, 0.0), std::nullopt};
  }
}

// --- Beta arms --------------------------------------------------------------------------------

// The gaps of two Betas by size-biasing (valid for control alpha > 1): with R = X_v / X_c,
// E[R; X_v > X_c] = E[R] P'(X_v' > X_c') where X_v' ~ Beta(av + 1, bv) and X_c' ~ Beta(ac - 1,
// bc) (the densities times x_v and 1 / x_c, normalised), and E[R] = mean_v (ac + bc - 1) /
// (ac - 1). Then E[(R - 1)+] = E[R] P' - P(X_v > X_c) and E[(1 - R)+] = (1 - P) - E[R] (1 - P').
RelativeGaps beta_gaps(BetaParams variant, BetaParams control) {
  const double p = prob_greater(variant, control);
  const double ratio_mean = variant.alpha / (variant.alpha + variant.beta) *
                            (control.alpha + control.beta - 1.0) / (control.alpha - 1.0);
  const double tilted =
      prob_greater({variant.alpha + 1.0, variant.beta}, {control.alpha - 1.0, control.beta});
  return RelativeGaps{ratio_mean * tilted - p, (1.0 - p) - ratio_mean * (1.0 - tilted)};
}

// Mean and variance of ln X for X ~ Beta: the start of the ratio's root search.
std::pair<double, double> log_moments(BetaParams x) {
  const MathPolicy policy;
  return {boost::math::digamma(x.alpha, policy) - boost::math::digamma(x.alpha + x.beta, policy),
          boost::math::trigamma(x.alpha, policy) - boost::math::trigamma(x.alpha + x.beta, policy)};
}

// P(X_v <= r X_c) = E_c[F_v(r X_c)] = 1 - E_v[F_c(X_v / r)], over whichever arm is narrower
// than the other's distribution function seen through r (a distribution function that steps
// within one panel of the rule would leave the rule's accuracy).
double ratio_cdf(const CdfTable& variant, const CdfTable& control, double r) {
  const bool over_control = variant.window() / r > control.window();
  const CdfTable& rule = over_control ? control : variant;
  const std::span<const double> nodes = rule.nodes();
  const std::span<const double> weights = rule.weights();
  double sum = 0.0;
  if (over_control) {
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      sum += weights[k] * variant.cdf(r * nodes[k]);
    }
    return sum;
  }
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    sum += weights[k] * (1.0 - control.cdf(nodes[k] / r));
  }
  return sum;
}

// The p-quantile of X_v / X_c: the root of ratio_cdf = p, bracketed around the log-normal
// approximation and closed to 45 bits by TOMS 748.
double ratio_quantile(const CdfTable& variant, const CdfTable& control, double p, double guess,
                      double log_sd) {
  const auto excess = [&](double r) { return ratio_cdf(variant, control, r) - p; };
  double step = std::max(log_sd, 1e-9);
  double low = guess * std::exp(-step);
  double high = guess * std::exp(step);
  double f_low = excess(low);
  double f_high = excess(high);
  while (f_low > 0.0) {
    step *= 2.0;
    high = low;
    f_high = f_low;
    low = guess * std::exp(-step);
    f_low = excess(low);
  }
  while (f_high < 0.0) {
    step *= 2.0;
    low = high;
    f_low = f_high;
    high = guess * std::exp(step);
    f_high = excess(high);
  }
  if (f_low == 0.0 || f_high == 0.0) {
    return f_low == 0.0 ? low : high;
  }
  std::uintmax_t iterations = 100;
  const auto [a, b] = boost::math::tools::toms748_solve(
      excess, low, high, f_low, f_high, boost::math::tools::eps_tolerance<double>(45), iterations,
      MathPolicy());
  return (a + b) / 2.0;
}

// P(arm i is best) from the tables: E_i[prod_j F_j(X_i)], or with 1 - F_j when lower is
// better.
double table_best_of(std::span<const CdfTable* const> tables, std::size_t i, Direction direction) {
  const bool higher = direction == Direction::higher_is_better;
  const std::span<const double> nodes = tables[i]->nodes();
  const std::span<const double> weights = tables[i]->weights();
  double sum = 0.0;
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    double product = weights[k];
    for (std::size_t j = 0; j < tables.size(); ++j) {
      if (j != i) {
        const double below = tables[j]->cdf(nodes[k]);
        product *= higher ? below : 1.0 - below;
      }
    }
    sum += product;
  }
  return sum;
}

// The losses of k Betas (control alpha >= 2, so that its tilt Beta(alpha - 1, beta) is a shape
// the tables accept): size-biasing gives Beta(alpha + 1, beta) and Beta(alpha - 1, beta).
void beta_losses(std::span<const BetaParams> betas, std::span<const CdfTable> tables,
                 std::span<const double> best, std::size_t control, Direction direction,
                 std::vector<ArmAnswer>& arms) {
  std::vector<CdfTable> up;
  std::vector<double> ratio_mean;
  const BetaParams c = betas[control];
  const double inverse_mean = (c.alpha + c.beta - 1.0) / (c.alpha - 1.0);
  for (const BetaParams& b : betas) {
    up.emplace_back(BetaParams{b.alpha + 1.0, b.beta});
    ratio_mean.push_back(b.alpha / (b.alpha + b.beta) * inverse_mean);
  }
  const CdfTable down(BetaParams{c.alpha - 1.0, c.beta});
  std::vector<const CdfTable*> chosen(tables.size());
  const auto tilted = [&](std::size_t u, std::size_t j) {
    for (std::size_t l = 0; l < tables.size(); ++l) {
      chosen[l] = l == u ? &up[l] : l == control ? &down : &tables[l];
    }
    return table_best_of(chosen, j, direction);
  };
  set_tilted_losses(ratio_mean, best, control, direction, tilted, arms);
}

void answer_betas(std::span<const BetaParams> betas, std::size_t control, double level,
                  Direction direction, ExactCell& cell) {
  const bool higher = direction == Direction::higher_is_better;
  const bool tabulated =
      std::all_of(betas.begin(), betas.end(), [](BetaParams b) { return CdfTable::accepts(b); });
  std::vector<CdfTable> tables;
  if (tabulated) {
    tables.reserve(betas.size());
    for (const BetaParams& beta : betas) {
      tables.emplace_back(beta);
    }
  }
  for (std::size_t i = 0; i < betas.size(); ++i) {
    cell.arms[i].credible = IntervalEstimate{beta_credible_interval(betas[i], level), std::nullopt};
  }
  // P(best): with two arms it is p2bc; with more, quadrature (from the tables when they exist).
  std::vector<double> best;
  if (betas.size() > 2) {
    if (tabulated) {
      std::vector<const CdfTable*> all;
      for (const CdfTable& table : tables) {
        all.push_back(&table);
      }
      for (std::size_t i = 0; i < tables.size(); ++i) {
        best.push_back(table_best_of(all, i, direction));
      }
    } else {
      std::vector<BetaParams> mirrored;
      for (const BetaParams& p : betas) {
        mirrored.push_back({p.beta, p.alpha});
      }
      best = prob_best(higher ? std::vector<BetaParams>(betas.begin(), betas.end()) : mirrored);
    }
  }
  const double z = normal_two_sided_z(level);
  const auto [control_log_mean, control_log_variance] = log_moments(betas[control]);
  for (std::size_t i = 0; i < betas.size(); ++i) {
    if (i == control) {
      continue;
    }
    const double greater = prob_greater(betas[i], betas[control]);
    const double beat = higher ? greater : 1.0 - greater;
    cell.arms[i].prob_beat_control = Estimate{beat, std::nullopt};
    if (betas.size() == 2) {
      cell.arms[i].prob_best = Estimate{beat, std::nullopt};
      cell.arms[control].prob_best = Estimate{1.0 - beat, std::nullopt};
    }
    if (tabulated) {
      const auto [log_mean, log_variance] = log_moments(betas[i]);
      const double centre = std::exp(log_mean - control_log_mean);
      const double log_sd = std::sqrt(log_variance + control_log_variance);
      const double low = ratio_quantile(tables[i], tables[control], (1.0 - level) / 2.0,
                                        centre * std::exp(-z * log_sd), log_sd);
      const double high = ratio_quantile(tables[i], tables[control], (1.0 + level) / 2.0,
                                         centre * std::exp(z * log_sd), log_sd);
      cell.arms[i].uplift = IntervalEstimate{Interval{low - 1.0, high - 1.0}, std::nullopt};
    }
  }
  if (betas.size() > 2) {
    for (std::size_t i = 0; i < betas.size(); ++i) {
      cell.arms[i].prob_best = Estimate{best[i], std::nullopt};
    }
  }
  cell.uplift_by_monte_carlo = !tabulated;
  if (betas.size() == 2 && betas[control].alpha > 1.0) {
    set_two_arm_losses(beta_gaps(betas[1 - control], betas[control]), control, direction,
                       cell.arms);
  } else if (tabulated && betas.size() > 2 &&
             CdfTable::accepts({betas[control].alpha - 1.0, betas[control].beta})) {
    beta_losses(betas, tables, best, control, direction, cell.arms);
  } else {
    cell.loss_by_monte_carlo = true;
  }
}

// --- Log-normal arms --------------------------------------------------------------------------

// P(arm i is best) for normals on the log scale: E_i[prod_j Phi((Y_i - mu_j) / sd_j)], by
// 5-point Gauss-Legendre on 64 panels over mu_i +- 9 sd_i (1e-19 of mass outside).
double normal_best_of(std::span<const LogNormalParams> arms, std::size_t i, Direction direction) {
  constexpr std::size_t k_panels = 64;
  constexpr double k_reach = 9.0;
  constexpr std::array<double, 5> k_abscissae{-0.9061798459386640, -0.5384693101056831, 0.0,
                                              0.5384693101056831, 0.9061798459386640};
  constexpr std::array<double, 5> k_weights{0.2369268850561891, 0.4786286704993665,
                                            0.5688888888888889, 0.4786286704993665,
                                            0.2369268850561891};
  const double sign = direction == Direction::higher_is_better ? 1.0 : -1.0;
  const double width = 2.0 * k_reach / static_cast<double>(k_panels);
  double sum = 0.0;
  for (std::size_t panel = 0; panel < k_panels; ++panel) {
    const double centre = -k_reach + (static_cast<double>(panel) + 0.5) * width;
    for (std::size_t k = 0; k < k_abscissae.size(); ++k) {
      const double u = centre + width / 2.0 * k_abscissae[k];
      const double y = arms[i].log_location + arms[i].log_scale * u;
      double product =
          width / 2.0 * k_weights[k] * std::exp(-u * u / 2.0) / std::sqrt(2.0 * std::numbers::pi);
      for (std::size_t j = 0; j < arms.size(); ++j) {
        if (j != i) {
          product *= normal_cdf(sign * (y - arms[j].log_location) / arms[j].log_scale);
        }
      }
      sum += product;
    }
  }
  return sum;
}

// The losses of k log-normals: size-biasing by x shifts the log location by +sd^2, by 1 / x by
// -sd^2, and E[X_u] E[1 / X_c] = exp(mu_u + sd_u^2 / 2 - mu_c + sd_c^2 / 2).
void lognormal_losses(std::span<const LogNormalParams> arms, std::span<const double> best,
                      std::size_t control, Direction direction, std::vector<ArmAnswer>& answers) {
  const LogNormalParams c = arms[control];
  std::vector<double> ratio_mean;
  for (const LogNormalParams& a : arms) {
    ratio_mean.push_back(std::exp(a.log_location + a.log_scale * a.log_scale / 2.0 -
                                  c.log_location + c.log_scale * c.log_scale / 2.0));
  }
  std::vector<LogNormalParams> shifted(arms.begin(), arms.end());
  const auto tilted = [&](std::size_t u, std::size_t j) {
    std::copy(arms.begin(), arms.end(), shifted.begin());
    shifted[u].log_location += arms[u].log_scale * arms[u].log_scale;
    shifted[control].log_location -= c.log_scale * c.log_scale;
    return normal_best_of(shifted, j, direction);
  };
  set_tilted_losses(ratio_mean, best, control, direction, tilted, answers);
}

// Everything in closed form: the ratio of two log-normals is log-normal, ln R ~ N(m, s^2), and
// E[(R - 1)+] = e^(m + s^2/2) Phi(m/s + s) - Phi(m/s), E[(1 - R)+] = Phi(-m/s) - e^(m + s^2/2)
// Phi(-m/s - s).
void answer_lognormals(std::span<const LogNormalParams> arms, std::size_t control, double level,
                       Direction direction, ExactCell& cell) {
  const bool higher = direction == Direction::higher_is_better;
  const double z = normal_two_sided_z(level);
  for (std::size_t i = 0; i < arms.size(); ++i) {
    const double mu = arms[i].log_location;
    const double sd = arms[i].log_scale;
    cell.arms[i].credible =
        IntervalEstimate{Interval{std::exp(mu - z * sd), std::exp(mu + z * sd)}, std::nullopt};
  }
  const LogNormalParams& base = arms[control];
  for (std::size_t i = 0; i < arms.size(); ++i) {
    if (i == control) {
      continue;
    }
    const double m = arms[i].log_location - base.log_location;
    const double s = std::hypot(arms[i].log_scale, base.log_scale);
    const double greater = normal_cdf(m / s);
    const double beat = higher ? greater : 1.0 - greater;
    cell.arms[i].prob_beat_control = Estimate{beat, std::nullopt};
    cell.arms[i].uplift =
        IntervalEstimate{Interval{std::expm1(m - z * s), std::expm1(m + z * s)}, std::nullopt};
    if (arms.size() == 2) {
      cell.arms[i].prob_best = Estimate{beat, std::nullopt};
      cell.arms[control].prob_best = Estimate{1.0 - beat, std::nullopt};
      const double mean_ratio = std::exp(m + s * s / 2.0);
      const RelativeGaps gaps{mean_ratio * normal_cdf(m / s + s) - normal_cdf(m / s),
                              normal_cdf(-m / s) - mean_ratio * normal_cdf(-m / s - s)};
      set_two_arm_losses(gaps, control, direction, cell.arms);
    }
  }
  if (arms.size() > 2) {
    std::vector<double> best;
    for (std::size_t i = 0; i < arms.size(); ++i) {
      best.push_back(normal_best_of(arms, i, direction));
      cell.arms[i].prob_best = Estimate{best[i], std::nullopt};
    }
    lognormal_losses(arms, best, control, direction, cell.arms);
  }
}

template <class T>
std::optional<std::vector<T>> all_of_kind(std::span<const ArmPosterior> arms) {
  std::vector<T> found;
  for (const ArmPosterior& arm : arms) {
    if (const T* params = std::get_if<T>(&arm)) {
      found.push_back(*params);
    }
  }
  if (found.size() != arms.size()) {
    return std::nullopt;
  }
  return found;
}

} // namespace

std::optional<ExactCell> answer_exactly(std::span<const ArmPosterior> arms, std::size_t control,
                                        double level, Direction direction) {
  ExactCell cell;
  cell.arms.resize(arms.size());
  if (const auto betas = all_of_kind<BetaParams>(arms)) {
    answer_betas(*betas, control, level, direction, cell);
    return cell;
  }
  if (const auto lognormals = all_of_kind<LogNormalParams>(arms)) {
    const bool spread = std::all_of(lognormals->begin(), lognormals->end(), [](auto p) {
      return p.log_scale > 0.0 && std::isfinite(p.log_scale) && std::isfinite(p.log_location);
    });
    if (!spread) {
      return std::nullopt;
    }
    answer_lognormals(*lognormals, control, level, direction, cell);
    return cell;
  }
  return std::nullopt;
}

} // namespace reckon::stats::detail
