#pragma once

#include "reckon/analysis/health.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace reckon::report {

// The `reckon.health/v1` document: {"schema", "as_of", "thresholds", "experiments": [{"id",
// "name", "status", "runtime_days", "verdict", "days_to_verdict", "days_to_verdict_basis",
// "arms", "reasons": [{"rule", "severity", "variation", "message", ...numbers}]}],
// "milestones": [{"id", "name", "milestone", "verdict", "metric", "uplifts", "segment_winners",
// "day_type", "summary"}]}.
std::string render_health_json(const analysis::HealthReport& report);

// For people, 100 columns: one line per test (name, status, runtime, verdict, days to a
// verdict, the worst reason), then each test's reasons and the forecast's assumption.
std::string render_health_table(const analysis::HealthReport& report);

// One row per reason (a healthy test gets one row without a rule), for spreadsheets.
std::string render_health_csv(const analysis::HealthReport& report);

// One kept health run of a test, as `reckon health --history` lists it.
struct HealthHistoryRun {
  std::string as_of;      // the day judged, YYYY-MM-DD
  std::int64_t run_at_ms; // when the run was made
  std::string status;
  std::string verdict;
  std::optional<std::int64_t> runtime_days;
  std::vector<std::pair<std::string, std::string>> reasons; // rule, severity; worst first
  std::string milestone;                                    // the one reported, "" for none
};

struct HealthHistory {
  std::string id;
  std::string name;
  std::vector<HealthHistoryRun> runs; // oldest first
};

// For people: the test, then one line per run (the day judged, when it ran, status, verdict,
// runtime, reasons).
std::string render_health_history_table(const HealthHistory& history);
// `reckon.health_history/v1`: {"schema", "id", "name", "runs": [{"as_of", "run_at", "status",
// "verdict", "runtime_days", "reasons": [{"rule", "severity"}], "milestone"}]}.
std::string render_health_history_json(const HealthHistory& history);
// One row per run; the reasons as "rule (severity)" joined by "; ".
std::string render_health_history_csv(const HealthHistory& history);

} // namespace reckon::report
