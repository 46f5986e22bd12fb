#include "temporal_parts.hpp"

#include <cmath>
#include <set>

namespace reckon::analysis::temporal_detail {
namespace {

// Below this p-value a slope names the trend.
constexpr double k_trend_alpha = 0.05;

} // namespace

UpliftTrend uplift_trend(const std::vector<CellResult>& days, double level) {
  // log(1 + uplift) is close to Normal where the uplift's interval is, so each day's standard
  // error is the interval's width on that scale over 2 z.
  const double z = stats::normal_quantile(0.5 + level / 2.0);
  std::vector<double> x;
  std::vector<double> y;
  std::vector<double> weights;
  for (std::size_t day = 0; day < days.size(); ++day) {
    const std::optional<UpliftEstimate>& uplift = days[day].uplift;
    if (!uplift || !uplift->value || !uplift->ci_low || !uplift->ci_high ||
        !(*uplift->value > -1.0) || !(*uplift->ci_low > -1.0)) {
      continue;
    }
    const double se = (std::log1p(*uplift->ci_high) - std::log1p(*uplift->ci_low)) / (2.0 * z);
    if (!(se > 0.0) || !std::isfinite(se)) {
      continue;
    }
    x.push_back(static_cast<double>(day));
    y.push_back(std::log1p(*uplift->value));
    weights.push_back(1.0 / (se * se));
  }
  UpliftTrend trend;
  trend.fit = stats::weighted_trend(x, y, weights);
  if (!trend.fit) {
    trend.reason = "fewer than three days with an uplift and its interval";
    return trend;
  }
  if (trend.fit->p_value >= k_trend_alpha) {
    trend.label = "steady";
  } else {
    trend.label = trend.fit->slope < 0.0 ? "fading" : "growing";
  }
  return trend;
}

std::vector<SourceCorrelation> source_correlations(const TimelineInput& input,
                                                   const std::vector<CellResult>& days) {
  std::vector<SourceCorrelation> out;
  for (const auto& [dimension, by_date] : input.sources) {
    std::set<std::string> labels;
    for (const auto& [date, by_label] : by_date) {
      for (const auto& [label, visitors] : by_label) {
        labels.insert(label);
      }
    }
    for (const std::string& label : labels) {
      std::vector<double> shares;
      std::vector<double> uplifts;
      for (std::size_t day = 0; day < input.days.size() && day < days.size(); ++day) {
        const auto on_day = by_date.find(input.days[day].date);
        const std::optional<UpliftEstimate>& uplift = days[day].uplift;
        if (on_day == by_date.end() || !uplift || !uplift->value) {
          continue;
        }
        std::uint64_t total = 0;
        for (const auto& [other, visitors] : on_day->second) {
          total += visitors;
        }
        const auto mine = on_day->second.find(label);
        if (total == 0) {
          continue;
        }
        const std::uint64_t count = mine == on_day->second.end() ? 0 : mine->second;
        shares.push_back(static_cast<double>(count) / static_cast<double>(total));
        uplifts.push_back(*uplift->value);
      }
      SourceCorrelation correlation{
          dimension, label, stats::spearman_correlation(shares, uplifts), {}};
      if (!correlation.spearman) {
        correlation.reason = "fewer than four days with this source's share and an uplift, or "
                             "one side constant";
      }
      out.push_back(std::move(correlation));
    }
  }
  return out;
}

} // namespace reckon::analysis::temporal_detail
