#include "reckon/notify/messages.hpp"

#include "reckon/util/json_writer.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <functional>

namespace reckon::notify {
namespace {

using util::JsonWriter;

// Slack allows 50 blocks a message; each test takes three, after the header.
constexpr std::size_t k_alerts_in_blocks = 15;

// Slack's mrkdwn reads &, < and > as markup; a test's name is text.
std::string escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : std::string(1, c);
  }
  return out;
}

std::string_view marker(Status status) {
  switch (status) {
  case Status::healthy:
    return ":large_green_circle:";
  case Status::watch:
    return ":large_yellow_circle:";
  case Status::critical:
    return ":red_circle:";
  }
  return "";
}

std::string percent(std::optional<double> rate) {
  return rate ? util::format_fixed(*rate * 100.0, 2) + " %" : "n/a";
}

std::string amount(std::optional<double> value) {
  return value ? util::format_fixed(*value, 2) : "n/a";
}

// "3.10 % → 2.17 % (-30.0 %)": control, variant and the variant's lift.
std::string comparison(std::string_view title, std::optional<double> control,
                       std::optional<double> variant,
                       const std::function<std::string(std::optional<double>)>& show) {
  const std::optional<double> relative = lift(control, variant);
  return "*" + std::string(title) + "*\n" + show(control) + " → " + show(variant) +
         (relative ? " (" + util::format_signed_percent(*relative) + ")" : "");
}

std::string summary_line(std::span<const Alert> alerts) {
  std::size_t counts[3] = {0, 0, 0};
  for (const Alert& alert : alerts) {
    ++counts[static_cast<int>(alert.status)];
  }
  std::string line = "Reckon health:";
  for (const Status status : {Status::critical, Status::watch, Status::healthy}) {
    if (counts[static_cast<int>(status)] > 0) {
      line += (line.back() == ':' ? " " : ", ") + std::to_string(counts[static_cast<int>(status)]) +
              " " + std::string(status_name(status));
    }
  }
  return line;
}

// The plain text a notification shows: every test with its status and rules.
std::string fallback_text(std::span<const Alert> alerts) {
  std::string text = summary_line(alerts) + ".";
  for (const Alert& alert : alerts) {
    const bool changed = alert.previous_status && *alert.previous_status != alert.status;
    text += "\n" + escaped(alert.test_name) + ": " +
            (changed ? status_change(alert) : std::string(status_name(alert.status)));
    std::string rules;
    for (const Reason& reason : alert.reasons) {
      rules += (rules.empty() ? "" : ", ") + reason.rule;
    }
    text += rules.empty() ? "" : " (" + rules + ")";
    text += alert.milestone.empty() ? "" : ", milestone " + alert.milestone;
  }
  return text;
}

void mrkdwn(JsonWriter& json, const std::string& text) {
  json.begin_object().key("type").value("mrkdwn").key("text").value(text).end_object();
}

std::string heading(const Alert& alert) {
  const ArmFigures& control = alert.control;
  const ArmFigures& variant = alert.variant;
  const bool changed = alert.previous_status && *alert.previous_status != alert.status;
  return "*" + escaped(alert.test_name) + "* " + std::string(marker(alert.status)) + " *" +
         (changed ? status_change(alert) : std::string(status_name(alert.status))) + "*" +
         (alert.milestone.empty() ? "" : " · milestone " + alert.milestone) + "\n" +
         std::to_string(alert.runtime_days) + " days live · " +
         util::format_count(control.visitors + variant.visitors) + " visitors (" +
         util::format_count(control.visitors) + " " + escaped(control.name) + ", " +
         util::format_count(variant.visitors) + " " + escaped(variant.name) + ")" +
         (alert.verdict.empty() ? "" : " · verdict " + escaped(alert.verdict));
}

void write_alert_blocks(JsonWriter& json, const Alert& alert) {
  const ArmFigures& c = alert.control;
  const ArmFigures& v = alert.variant;
  json.begin_object().key("type").value("section").key("text");
  mrkdwn(json, heading(alert));
  json.key("fields").begin_array();
  mrkdwn(json, comparison("Conversion", c.conversion_rate, v.conversion_rate, percent));
  mrkdwn(json,
         comparison("Revenue per visitor", c.revenue_per_visitor, v.revenue_per_visitor, amount));
  mrkdwn(json, comparison("AOV", c.average_order_value, v.average_order_value, amount));
  json.end_array().end_object();
  std::string reasons;
  for (const Reason& reason : alert.reasons) {
    reasons += (reasons.empty() ? "" : "\n") + std::string("• *") + escaped(reason.rule) + "* (" +
               std::string(status_name(reason.severity)) + "): " + escaped(reason.message);
  }
  std::string context = reasons.empty() ? "No rule fired." : reasons;
  for (const std::string& line : alert.milestone_summary) {
    context += "\n" + escaped(line);
  }
  json.begin_object().key("type").value("context").key("elements").begin_array();
  mrkdwn(json, context);
  json.end_array().end_object();
  json.begin_object().key("type").value("divider").end_object();
}

} // namespace

std::string slack_message(std::span<const Alert> alerts) {
  JsonWriter json(JsonWriter::Layout::compact);
  json.begin_object();
  json.key("text").value(fallback_text(alerts));
  json.key("blocks").begin_array();
  json.begin_object().key("type").value("header").key("text").begin_object();
  json.key("type").value("plain_text").key("text").value(summary_line(alerts)).end_object();
  json.end_object();
  const std::size_t shown = std::min(alerts.size(), k_alerts_in_blocks);
  for (std::size_t i = 0; i < shown; ++i) {
    write_alert_blocks(json, alerts[i]);
  }
  if (shown < alerts.size()) {
    json.begin_object().key("type").value("context").key("elements").begin_array();
    mrkdwn(json, "… and " + std::to_string(alerts.size() - shown) +
                     " more tests, named in this message's text");
    json.end_array().end_object();
  }
  json.end_array();
  json.end_object();
  return json.finish();
}

} // namespace reckon::notify
