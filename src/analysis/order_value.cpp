#include "cell_analysis.hpp"

#include "reckon/stats/value_models.hpp"
#include "reckon/util/number_format.hpp"

#include <cmath>

namespace reckon::analysis::detail {
namespace {

// Intelligems reports 95 % intervals whatever level the re-analysis uses.
constexpr double k_vendor_level = 0.95;

using OrderPosterior = std::variant<stats::LogNormalParams, stats::NormalParams>;

// The reported metric that describes the arm's per-order value: the metric itself for
// per-order metrics, the matching per-order metric for per-visitor ones.
std::string_view per_order_name(const MetricDefinition& metric) {
  if (metric.kind == MetricKind::value_per_order) {
    return metric.name;
  }
  return metric.amount == Amount::profit ? "gross_profit_per_order" : "net_revenue_per_order";
}

bool may_be_negative(const MetricDefinition& metric) {
  return metric.amount == Amount::profit;
}

const char* describe_amount(const MetricDefinition& metric) {
  return metric.amount == Amount::profit ? "profit per order" : "order value";
}

std::optional<OrderPosterior> from_moments(const MetricDefinition& metric,
                                           const model::ArmCounts& arm) {
  const AmountSums sums = amount_sums(metric.amount, arm);
  if (!sums.sum || !sums.sum_sq) {
    return std::nullopt;
  }
  if (may_be_negative(metric)) {
    if (auto normal = stats::normal_mean_from_moments(arm.conversions, *sums.sum, *sums.sum_sq)) {
      return *normal;
    }
    return std::nullopt;
  }
  if (auto lognormal =
          stats::mean_posterior_from_moments(arm.conversions, *sums.sum, *sums.sum_sq)) {
    return *lognormal;
  }
  return std::nullopt;
}

std::optional<OrderPosterior> from_reported_interval(const MetricDefinition& metric,
                                                     const model::ArmCounts& arm) {
  const model::ReportedMetric* reported = find_reported(arm, per_order_name(metric));
  if (reported == nullptr || !reported->value || !reported->ci_low || !reported->ci_high) {
    return std::nullopt;
  }
  const stats::Interval interval{*reported->ci_low, *reported->ci_high};
  if (may_be_negative(metric)) {
    if (auto normal =
            stats::normal_mean_from_interval(*reported->value, interval, k_vendor_level)) {
      return *normal;
    }
    return std::nullopt;
  }
  if (auto lognormal =
          stats::mean_posterior_from_interval(*reported->value, interval, k_vendor_level)) {
    return *lognormal;
  }
  return std::nullopt;
}

std::optional<double> own_per_order_value(const MetricDefinition& metric,
                                          const model::ArmCounts& arm) {
  if (metric.kind == MetricKind::value_per_order) {
    return observed_value(metric, arm);
  }
  const AmountSums sums = amount_sums(metric.amount, arm);
  if (sums.sum && arm.conversions > 0) {
    return *sums.sum / static_cast<double>(arm.conversions);
  }
  const model::ReportedMetric* reported = find_reported(arm, per_order_name(metric));
  return reported != nullptr ? reported->value : std::nullopt;
}

std::optional<OrderPosterior> borrowed(const MetricDefinition& metric, const model::ArmCounts& arm,
                                       const model::ArmCounts& parent) {
  const std::optional<OrderPosterior> parent_posterior = from_reported_interval(metric, parent);
  const std::optional<double> own_value = own_per_order_value(metric, arm);
  const MetricDefinition per_order = find_metric(per_order_name(metric)).value_or(metric);
  const std::optional<std::uint64_t> own_count = denominator_count(per_order, arm);
  const std::optional<std::uint64_t> parent_count = denominator_count(per_order, parent);
  if (!parent_posterior || !own_value || !own_count || !parent_count || *own_count == 0) {
    return std::nullopt;
  }
  if (const auto* normal = std::get_if<stats::NormalParams>(&*parent_posterior)) {
    const double widen =
        std::sqrt(static_cast<double>(*parent_count) / static_cast<double>(*own_count));
    return stats::NormalParams{*own_value, normal->sd * widen};
  }
  if (auto lognormal = stats::borrow_spread(std::get<stats::LogNormalParams>(*parent_posterior),
                                            *parent_count, *own_value, *own_count)) {
    return *lognormal;
  }
  return std::nullopt;
}

} // namespace

PerOrderPosterior per_order_posterior(const MetricDefinition& metric, const model::ArmCounts& arm,
                                      const model::ArmCounts* parent) {
  PerOrderPosterior result;
  const bool normal = may_be_negative(metric);
  const std::string what = describe_amount(metric);
  if (metric.amount != Amount::other) {
    if (auto posterior = from_moments(metric, arm)) {
      result.posterior = *posterior;
      result.model = normal ? "normal_from_moments" : "lognormal_from_moments";
      result.notes.push_back(normal ? "profit per order: Normal posterior of the mean, from the "
                                      "sample mean and its standard error (profit_sq)"
                                    : "order value: log-normal posterior of the mean order "
                                      "value, moment-matched to the sample mean and its "
                                      "standard error (revenue_sq)");
      return result;
    }
  }
  if (auto posterior = from_reported_interval(metric, arm)) {
    result.posterior = *posterior;
    result.model = normal ? "normal_from_ci" : "lognormal_from_ci";
    result.notes.push_back(what + ": spread read from the vendor's 95% interval of " +
                           std::string(per_order_name(metric)) +
                           (normal ? " (Normal)" : " (symmetric on the log scale)"));
    return result;
  }
  if (parent != nullptr) {
    if (auto posterior = borrowed(metric, arm, *parent)) {
      result.posterior = *posterior;
      result.model = normal ? "normal_borrowed_spread" : "lognormal_borrowed_spread";
      result.notes.push_back(what + ": the vendor gave no interval here; spread borrowed from "
                                    "the whole population, widened by sqrt(parent orders / "
                                    "orders)");
      return result;
    }
  }
  if (metric.amount == Amount::other) {
    result.notes.push_back(what + ": the spread is unknown (no reported interval to read it "
                                  "from, here or in the whole population)");
  } else {
    result.notes.push_back(what + ": the spread is unknown without " +
                           (normal ? std::string("profit and profit_sq")
                                   : std::string("revenue_sq (the sum of squared order values)")) +
                           " or a reported interval, or fewer than two orders");
  }
  return result;
}

} // namespace reckon::analysis::detail
