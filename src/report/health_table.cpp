#include "reckon/report/health_output.hpp"
#include "reckon/util/number_format.hpp"

#include <cmath>

namespace reckon::report {
namespace {

constexpr std::size_t k_width = 100;

// `text` cut to `width` characters (an ellipsis marks the cut) and padded to it.
std::string column(const std::string& text, std::size_t width) {
  if (text.size() > width) {
    return text.substr(0, width - 3) + "...";
  }
  return text + std::string(width - text.size(), ' ');
}

std::string days_text(const analysis::VerdictForecast& forecast) {
  if (!forecast.days) {
    return "unknown";
  }
  if (*forecast.days == 0.0) {
    return "now";
  }
  return (*forecast.days > 365.0 ? std::string("> 365")
                                 : std::to_string(static_cast<int>(std::ceil(*forecast.days)))) +
         " d";
}

std::string answer_line(const analysis::ExperimentHealth& health) {
  const analysis::HealthReason* worst = health.worst_reason();
  std::string line =
      column(health.name, 28) + "  " +
      column(std::string(analysis::health_status_label(health.status)), 8) + "  " +
      column(health.runtime_days ? std::to_string(*health.runtime_days) + " d" : "?", 6) + "  " +
      column(health.verdict.empty() ? "-" : health.verdict, 14) + "  " +
      column(days_text(health.days_to_verdict), 8) + "  ";
  line += worst ? worst->rule + ": " + worst->message : std::string("-");
  return column(line, k_width);
}

} // namespace

std::string render_health_table(const analysis::HealthReport& report) {
  std::string out = "Health as of " + report.as_of.to_string() + ": " +
                    std::string(analysis::health_status_label(report.worst())) + "\n\n";
  out += column(column("TEST", 28) + "  " + column("STATUS", 8) + "  " + column("DAYS", 6) + "  " +
                    column("VERDICT", 14) + "  " + column("VERDICT IN", 8) + "  WORST REASON",
                k_width);
  out += '\n';
  for (const analysis::ExperimentHealth& health : report.experiments) {
    std::string line = answer_line(health);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + '\n';
  }
  for (const analysis::ExperimentHealth& health : report.experiments) {
    out += "\n" + health.name + " (" + health.id +
           "): " + std::string(analysis::health_status_label(health.status)) + "\n";
    for (const analysis::HealthReason& reason : health.reasons) {
      out += "  " + std::string(analysis::reason_severity_label(reason.severity)) + "  " +
             reason.rule + ": " + reason.message + "\n";
    }
    out += "  verdict in: " + days_text(health.days_to_verdict) + " (" +
           health.days_to_verdict.basis + ")\n";
  }
  for (const analysis::MilestoneSummary& milestone : report.milestones) {
    out += "\nMilestone: " + milestone.name + " (" + milestone.id + ") " +
           std::string(analysis::milestone_words(milestone.milestone)) + "\n";
    for (const std::string& line : analysis::describe_milestone(milestone)) {
      out += "  " + line + "\n";
    }
  }
  return out;
}

} // namespace reckon::report
