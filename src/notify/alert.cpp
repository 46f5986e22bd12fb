#include "reckon/notify/alert.hpp"

#include <algorithm>
#include <cmath>

namespace reckon::notify {

std::string_view status_name(Status status) {
  switch (status) {
  case Status::healthy:
    return "healthy";
  case Status::watch:
    return "watch";
  case Status::critical:
    return "critical";
  }
  return "unknown";
}

std::string status_change(const Alert& alert) {
  if (!alert.previous_status) {
    return "";
  }
  return std::string(status_name(*alert.previous_status)) + " → " +
         std::string(status_name(alert.status));
}

std::vector<Alert> alerts_to_send(std::span<const Alert> alerts, NotifyOn when) {
  std::vector<Alert> chosen;
  for (const Alert& alert : alerts) {
    const bool changed = alert.previous_status ? *alert.previous_status != alert.status
                                               : alert.status != Status::healthy;
    if (when == NotifyOn::always || changed || !alert.milestone.empty()) {
      chosen.push_back(alert);
    }
  }
  return chosen;
}

std::optional<double> lift(std::optional<double> control, std::optional<double> variant) {
  if (!control || !variant || *control == 0.0) {
    return std::nullopt;
  }
  const double relative = (*variant - *control) / *control;
  return std::isfinite(relative) ? std::optional<double>(relative) : std::nullopt;
}

bool warrants_pause(const Alert& alert) {
  return alert.status == Status::critical &&
         std::any_of(alert.reasons.begin(), alert.reasons.end(), [](const Reason& reason) {
           return reason.severity == Status::critical &&
                  (reason.rule == "conversion_drop" || reason.rule == "srm");
         });
}

} // namespace reckon::notify
