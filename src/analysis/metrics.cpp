#include "reckon/analysis/metrics.hpp"

#include <algorithm>
#include <array>

namespace reckon::analysis {
namespace {

constexpr auto k_higher = stats::Direction::higher_is_better;

constexpr std::array<MetricDefinition, 5> k_counts_metrics{{
    {"conversion_rate", MetricKind::rate_over_visitors, Amount::none, k_higher},
    {"net_revenue_per_visitor", MetricKind::value_per_visitor, Amount::revenue, k_higher},
    {"net_revenue_per_order", MetricKind::value_per_order, Amount::revenue, k_higher},
    {"gross_profit_per_visitor", MetricKind::value_per_visitor, Amount::profit, k_higher},
    {"gross_profit_per_order", MetricKind::value_per_order, Amount::profit, k_higher},
}};

} // namespace

std::span<const MetricDefinition> counts_metrics() {
  return k_counts_metrics;
}

std::optional<MetricDefinition> find_counts_metric(std::string_view name) {
  const auto found = std::find_if(k_counts_metrics.begin(), k_counts_metrics.end(),
                                  [&](const MetricDefinition& m) { return m.name == name; });
  if (found == k_counts_metrics.end()) {
    return std::nullopt;
  }
  return *found;
}

} // namespace reckon::analysis
