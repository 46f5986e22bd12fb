#include "reckon/analysis/health.hpp"
#include "reckon/analysis/verdict.hpp"
#include "reckon/stats/trend.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <cmath>

namespace reckon::analysis {
namespace {

// Days until a count growing by `per_day` reaches `needed`; nullopt when it never grows.
std::optional<double> days_until(double have, double needed, double per_day) {
  if (have >= needed) {
    return 0.0;
  }
  if (per_day <= 0.0) {
    return std::nullopt;
  }
  return (needed - have) / per_day;
}

// Days until the rule's minimum runtime, visitors in each arm and orders of both arms are met
// at the test's average daily counts; nullopt when a count does not grow.
std::optional<double> days_to_minimums(const CellResult& variant, const CellResult& control,
                                       int days, const VerdictRule& rule) {
  double longest = std::max(0.0, static_cast<double>(rule.min_runtime_days - days));
  const auto daily = [days](std::uint64_t count) {
    return static_cast<double>(count) / static_cast<double>(days);
  };
  const std::uint64_t orders = variant.n_orders + control.n_orders;
  for (const std::optional<double> wait :
       {days_until(static_cast<double>(variant.n_visitors), static_cast<double>(rule.min_visitors),
                   daily(variant.n_visitors)),
        days_until(static_cast<double>(control.n_visitors), static_cast<double>(rule.min_visitors),
                   daily(control.n_visitors)),
        days_until(static_cast<double>(orders), static_cast<double>(rule.min_orders),
                   daily(orders))}) {
    if (!wait) {
      return std::nullopt;
    }
    longest = std::max(longest, *wait);
  }
  return longest;
}

// The standard deviation of log(1 + uplift) the rule needs to call the test at the point
// uplift `log_uplift`: P(beat control) past the threshold when the uplift lies beyond the band,
// else the whole interval inside the band. Nullopt when no width can (an uplift on the band's
// edge).
std::optional<double> deciding_sd(double log_uplift, double level, const VerdictRule& rule) {
  const double band_high = std::log1p(rule.neutral_band);
  const double band_low = std::log1p(-std::min(rule.neutral_band, 0.999999));
  double sd = 0.0;
  if (log_uplift > band_high || log_uplift < band_low) {
    sd = std::abs(log_uplift) / stats::normal_quantile(rule.threshold);
  } else {
    sd = std::min(band_high - log_uplift, log_uplift - band_low) /
         stats::normal_quantile((1.0 + level) / 2.0);
  }
  return sd > 0.0 ? std::optional<double>(sd) : std::nullopt;
}

} // namespace

VerdictForecast forecast_verdict(const CellResult& variant, const CellResult& control,
                                 std::optional<int> runtime_days, double level,
                                 const VerdictRule& rule) {
  if (!runtime_days || *runtime_days <= 0) {
    return {std::nullopt, "no runtime known, so no daily traffic to project from"};
  }
  const std::optional<double> minimums = days_to_minimums(variant, control, *runtime_days, rule);
  if (!minimums) {
    return {std::nullopt, "no visitors or orders arrive in an arm, so no verdict comes"};
  }
  const Evidence evidence = evidence_of(variant);
  if (!evidence.uplift || !evidence.uplift_low || !evidence.uplift_high ||
      *evidence.uplift_low <= -1.0 || *evidence.uplift <= -1.0) {
    return {*minimums, "at least: days until the rule's minimums are met at the daily average; "
                       "no uplift interval yet to project"};
  }
  const double z = stats::normal_quantile((1.0 + level) / 2.0);
  const double sd_now =
      (std::log1p(*evidence.uplift_high) - std::log1p(*evidence.uplift_low)) / (2.0 * z);
  const std::optional<double> sd_needed = deciding_sd(std::log1p(*evidence.uplift), level, rule);
  if (!sd_needed) {
    return {std::nullopt, "the uplift sits on the edge of the neutral band; no width decides it"};
  }
  // Widths shrink as 1/sqrt(visitors), and visitors grow linearly with the days.
  const double factor = sd_now > *sd_needed ? (sd_now / *sd_needed) * (sd_now / *sd_needed) : 1.0;
  const double statistical = static_cast<double>(*runtime_days) * (factor - 1.0);
  return {std::max(statistical, *minimums),
          "the uplift stays at " + util::format_signed_percent(*evidence.uplift) +
              " and its interval narrows as 1/sqrt(visitors) at the daily average so far"};
}

} // namespace reckon::analysis
