// `reckon health`'s per-test summaries (analysis/health.hpp) as the alerts notify sends.
#include "health_notify.hpp"

#include "reckon/analysis/health.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace reckon::app {
namespace {

notify::Status status_of(analysis::HealthStatus status) {
  switch (status) {
  case analysis::HealthStatus::healthy:
    return notify::Status::healthy;
  case analysis::HealthStatus::watch:
    return notify::Status::watch;
  case analysis::HealthStatus::critical:
    return notify::Status::critical;
  }
  return notify::Status::critical;
}

notify::ArmFigures figures_of(const analysis::ArmSnapshot& arm) {
  return {arm.name, arm.visitors, arm.conversion_rate, arm.revenue_per_visitor,
          arm.average_order_value};
}

// The control against the variant the worst reason is about, else the first variant.
std::pair<const analysis::ArmSnapshot*, const analysis::ArmSnapshot*>
compared_arms(const analysis::ExperimentHealth& health) {
  const analysis::ArmSnapshot* control = nullptr;
  const analysis::ArmSnapshot* variant = nullptr;
  const analysis::HealthReason* worst = health.worst_reason();
  for (const analysis::ArmSnapshot& arm : health.arms) {
    if (arm.is_control) {
      control = control != nullptr ? control : &arm;
    } else if (variant == nullptr || (worst != nullptr && arm.variation_id == worst->variation_id &&
                                      variant->variation_id != worst->variation_id)) {
      variant = &arm;
    }
  }
  return {control, variant};
}

notify::Alert alert_of(const analysis::ExperimentHealth& health,
                       std::optional<notify::Status> previous) {
  notify::Alert alert;
  alert.test_id = health.id;
  alert.test_name = health.name;
  alert.runtime_days = health.runtime_days.value_or(0);
  alert.verdict = health.verdict;
  alert.status = status_of(health.status);
  alert.previous_status = previous;
  const auto [control, variant] = compared_arms(health);
  if (control != nullptr) {
    alert.control = figures_of(*control);
  }
  if (variant != nullptr) {
    alert.variant = figures_of(*variant);
  }
  for (const analysis::HealthReason& reason : health.reasons) {
    if (reason.severity != analysis::ReasonSeverity::note) {
      alert.reasons.push_back({reason.rule,
                               reason.severity == analysis::ReasonSeverity::critical
                                   ? notify::Status::critical
                                   : notify::Status::watch,
                               reason.message});
    }
  }
  return alert;
}

} // namespace

std::vector<notify::Alert>
alerts_of(const analysis::HealthReport& report,
          const std::map<std::string, analysis::HealthStatus, std::less<>>& previous) {
  std::vector<notify::Alert> alerts;
  for (const analysis::ExperimentHealth& health : report.experiments) {
    std::optional<notify::Status> before;
    if (const auto found = previous.find(health.id); found != previous.end()) {
      before = status_of(found->second);
    }
    notify::Alert alert = alert_of(health, before);
    const auto milestone =
        std::find_if(report.milestones.begin(), report.milestones.end(),
                     [&](const analysis::MilestoneSummary& m) { return m.id == health.id; });
    if (milestone != report.milestones.end()) {
      alert.milestone = analysis::milestone_label(milestone->milestone);
      alert.milestone_summary = analysis::describe_milestone(*milestone);
    }
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

} // namespace reckon::app
