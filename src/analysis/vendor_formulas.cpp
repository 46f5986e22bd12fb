#include "vendor_formulas.hpp"

#include "reckon/stats/exact.hpp"
#include "reckon/stats/gaussian_effect.hpp"

#include <cmath>
#include <numbers>

namespace reckon::analysis::detail {
namespace {

double rate(ArmCount arm) {
  return static_cast<double>(arm.conversions) / static_cast<double>(arm.visitors);
}

// 1 - p of a test statistic: two-sided |z| or one-sided z (variant above control).
double normal_confidence(double z, bool two_sided) {
  return two_sided ? std::erf(std::abs(z) / std::numbers::sqrt2)
                   : 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

double z_statistic(ArmCount control, ArmCount variant, bool pooled) {
  const double nc = static_cast<double>(control.visitors);
  const double nt = static_cast<double>(variant.visitors);
  const double pc = rate(control);
  const double pt = rate(variant);
  double variance = 0.0;
  if (pooled) {
    const double p = (pc * nc + pt * nt) / (nc + nt);
    variance = p * (1.0 - p) * (1.0 / nc + 1.0 / nt);
  } else {
    variance = pc * (1.0 - pc) / nc + pt * (1.0 - pt) / nt;
  }
  return variance > 0.0 ? (pt - pc) / std::sqrt(variance) : 0.0;
}

double welch_confidence(ArmCount control, ArmCount variant, bool two_sided) {
  const double nc = static_cast<double>(control.visitors);
  const double nt = static_cast<double>(variant.visitors);
  if (nc < 2.0 || nt < 2.0) {
    return two_sided ? 0.0 : 0.5;
  }
  // Sample variances of 0/1 outcomes: p (1 - p) n / (n - 1).
  const double vc = rate(control) * (1.0 - rate(control)) / (nc - 1.0);
  const double vt = rate(variant) * (1.0 - rate(variant)) / (nt - 1.0);
  const double variance = vc + vt;
  if (!(variance > 0.0)) {
    return two_sided ? 0.0 : 0.5;
  }
  const double t = (rate(variant) - rate(control)) / std::sqrt(variance);
  const double df = variance * variance / (vc * vc / (nc - 1.0) + vt * vt / (nt - 1.0));
  const double below = stats::student_t_cdf(two_sided ? std::abs(t) : t, df);
  return two_sided ? 2.0 * below - 1.0 : below;
}

stats::BetaParams posterior(ArmCount arm) {
  return {1.0 + static_cast<double>(arm.conversions),
          1.0 + static_cast<double>(arm.visitors - arm.conversions)};
}

} // namespace

double vendor_confidence(VendorTest test, ArmCount control, ArmCount variant) {
  switch (test) {
  case VendorTest::z_pooled_two_sided:
    return normal_confidence(z_statistic(control, variant, true), true);
  case VendorTest::z_unpooled_two_sided:
    return normal_confidence(z_statistic(control, variant, false), true);
  case VendorTest::z_pooled_one_sided:
    return normal_confidence(z_statistic(control, variant, true), false);
  case VendorTest::z_unpooled_one_sided:
    return normal_confidence(z_statistic(control, variant, false), false);
  case VendorTest::welch_two_sided:
    return welch_confidence(control, variant, true);
  case VendorTest::welch_one_sided:
    return welch_confidence(control, variant, false);
  case VendorTest::bayes_beta_uniform:
    return stats::prob_greater(posterior(variant), posterior(control));
  }
  return 0.0;
}

RateInterval vendor_interval(VendorInterval kind, double level, ArmCount arm) {
  const double n = static_cast<double>(arm.visitors);
  const double p = rate(arm);
  const double z = stats::normal_two_sided_z(level);
  switch (kind) {
  case VendorInterval::wald: {
    const double half = z * std::sqrt(p * (1.0 - p) / n);
    return {p - half, p + half};
  }
  case VendorInterval::wilson: {
    const double z2 = z * z;
    const double centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    const double half = z * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / (1.0 + z2 / n);
    return {centre - half, centre + half};
  }
  case VendorInterval::beta:
    return {stats::beta_quantile(posterior(arm), (1.0 - level) / 2.0),
            stats::beta_quantile(posterior(arm), (1.0 + level) / 2.0)};
  }
  return {};
}

} // namespace reckon::analysis::detail
