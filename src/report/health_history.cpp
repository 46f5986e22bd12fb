#include "csv_text.hpp"

#include "reckon/report/health_output.hpp"
#include "reckon/util/calendar.hpp"
#include "reckon/util/json_writer.hpp"

namespace reckon::report {
namespace {

constexpr std::size_t k_width = 100;

// "conversion_drop (critical); min_runtime (watch)", or "-" when no rule fired.
std::string reasons_text(const HealthHistoryRun& run, std::string_view none) {
  std::string text;
  for (const auto& [rule, severity] : run.reasons) {
    text += (text.empty() ? "" : "; ") + rule + " (" + severity + ")";
  }
  return text.empty() ? std::string(none) : text;
}

std::string padded(std::string text, std::size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

// "2026-09-29 06:00": when a run was made, to the minute.
std::string minute_of(std::int64_t unix_ms) {
  std::string text = util::utc_seconds_text(unix_ms).substr(0, 16);
  text[10] = ' ';
  return text;
}

} // namespace

std::string render_health_history_table(const HealthHistory& history) {
  std::string out = "Health history of " + history.name + " (" + history.id +
                    "): " + std::to_string(history.runs.size()) +
                    (history.runs.size() == 1 ? " run" : " runs") + " kept\n\n";
  out += padded("DATE", 12) + padded("RUN (UTC)", 18) + padded("STATUS", 10) +
         padded("VERDICT", 14) + padded("DAYS", 6) + "REASONS\n";
  for (const HealthHistoryRun& run : history.runs) {
    std::string line =
        padded(run.as_of, 12) + padded(minute_of(run.run_at_ms), 18) + padded(run.status, 10) +
        padded(run.verdict.empty() ? "-" : run.verdict, 14) +
        padded(run.runtime_days ? std::to_string(*run.runtime_days) + " d" : "?", 6) +
        reasons_text(run, "-") +
        (run.milestone.empty() ? "" : "  [milestone " + run.milestone + "]");
    out += (line.size() > k_width ? line.substr(0, k_width - 3) + "..." : line) + "\n";
  }
  return out;
}

std::string render_health_history_json(const HealthHistory& history) {
  util::JsonWriter json;
  json.begin_object();
  json.key("schema").value("reckon.health_history/v1");
  json.key("id").value(history.id);
  json.key("name").value(history.name);
  json.key("runs").begin_array();
  for (const HealthHistoryRun& run : history.runs) {
    json.begin_object();
    json.key("as_of").value(run.as_of);
    json.key("run_at").value(util::utc_seconds_text(run.run_at_ms));
    json.key("status").value(run.status);
    json.key("verdict").value(run.verdict);
    json.key("runtime_days");
    run.runtime_days ? json.value(static_cast<int>(*run.runtime_days)) : json.null();
    json.key("reasons").begin_array();
    for (const auto& [rule, severity] : run.reasons) {
      json.begin_object().key("rule").value(rule).key("severity").value(severity).end_object();
    }
    json.end_array();
    json.key("milestone");
    run.milestone.empty() ? json.null() : json.value(run.milestone);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.finish();
}

std::string render_health_history_csv(const HealthHistory& history) {
  std::string out;
  detail::append_row(out, {"experiment", "name", "as_of", "run_at", "status", "verdict",
                           "runtime_days", "reasons", "milestone"});
  for (const HealthHistoryRun& run : history.runs) {
    detail::append_row(out, {detail::csv_field(history.id), detail::csv_field(history.name),
                             run.as_of, util::utc_seconds_text(run.run_at_ms), run.status,
                             detail::csv_field(run.verdict),
                             run.runtime_days ? std::to_string(*run.runtime_days) : "",
                             detail::csv_field(reasons_text(run, "")), run.milestone});
  }
  return out;
}

} // namespace reckon::report
