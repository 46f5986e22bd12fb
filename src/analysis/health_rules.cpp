#include "reckon/analysis/health.hpp"
#include "reckon/stats/beta.hpp"
#include "reckon/stats/exact.hpp"
#include "reckon/util/number_format.hpp"

namespace reckon::analysis::health_detail {
namespace {

std::string percent(double fraction) {
  return util::format_fixed(fraction * 100.0, 1) + " %";
}

} // namespace

std::optional<HealthReason> conversion_drop_reason(const model::ArmCounts& control,
                                                   const model::ArmCounts& variant,
                                                   const model::Variation& variant_variation,
                                                   const stats::BetaPrior& prior,
                                                   const HealthThresholds& thresholds) {
  if (control.visitors == 0 || variant.visitors == 0 || control.conversions == 0) {
    return std::nullopt;
  }
  const double control_rate =
      static_cast<double>(control.conversions) / static_cast<double>(control.visitors);
  const double variant_rate =
      static_cast<double>(variant.conversions) / static_cast<double>(variant.visitors);
  const double drop = (control_rate - variant_rate) / control_rate;
  const double evidence = stats::prob_at_most_fraction(
      stats::beta_posterior(prior, variant.conversions, variant.visitors),
      stats::beta_posterior(prior, control.conversions, control.visitors),
      1.0 - thresholds.conversion_drop);
  const bool strong = evidence >= thresholds.drop_evidence;
  if (drop < thresholds.conversion_drop && !strong) {
    return std::nullopt;
  }
  HealthReason reason{"conversion_drop",
                      strong ? ReasonSeverity::critical : ReasonSeverity::watch,
                      variant_variation.id,
                      {},
                      {}};
  const std::string& name =
      variant_variation.name.empty() ? variant_variation.id : variant_variation.name;
  reason.message = name + " converts " + percent(drop) + " below the control (" +
                   percent(variant_rate) + " against " + percent(control_rate) +
                   "); P(drop >= " + percent(thresholds.conversion_drop) +
                   ") = " + util::format_fixed(evidence, 3) +
                   (strong ? ""
                           : ", below the " + util::format_fixed(thresholds.drop_evidence, 2) +
                                 " that makes it critical");
  reason.numbers = {{"control_conversion", control_rate},
                    {"variant_conversion", variant_rate},
                    {"drop", drop},
                    {"threshold", thresholds.conversion_drop},
                    {"prob_drop_beyond_threshold", evidence},
                    {"evidence_needed", thresholds.drop_evidence}};
  return reason;
}

} // namespace reckon::analysis::health_detail
