#pragma once

#include "reckon/analysis/health.hpp"

#include <string>

namespace reckon::report {

// The `reckon.health/v1` document: {"schema", "as_of", "thresholds", "experiments": [{"id",
// "name", "status", "runtime_days", "verdict", "days_to_verdict", "days_to_verdict_basis",
// "arms", "reasons": [{"rule", "severity", "variation", "message", ...numbers}]}]}.
std::string render_health_json(const analysis::HealthReport& report);

// For people, 100 columns: one line per test (name, status, runtime, verdict, days to a
// verdict, the worst reason), then each test's reasons and the forecast's assumption.
std::string render_health_table(const analysis::HealthReport& report);

// One row per reason (a healthy test gets one row without a rule), for spreadsheets.
std::string render_health_csv(const analysis::HealthReport& report);

} // namespace reckon::report
