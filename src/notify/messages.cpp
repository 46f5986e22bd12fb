#include "reckon/notify/messages.hpp"

#include "reckon/util/calendar.hpp"
#include "reckon/util/json_writer.hpp"

namespace reckon::notify {
namespace {

using util::JsonWriter;

void write_arm(JsonWriter& json, const ArmFigures& arm) {
  json.begin_object();
  json.key("name").value(arm.name);
  json.key("visitors").value(arm.visitors);
  json.key("conversion_rate").value(arm.conversion_rate);
  json.key("revenue_per_visitor").value(arm.revenue_per_visitor);
  json.key("average_order_value").value(arm.average_order_value);
  json.end_object();
}

void write_alert(JsonWriter& json, const Alert& alert) {
  json.begin_object();
  json.key("id").value(alert.test_id);
  json.key("name").value(alert.test_name);
  json.key("status").value(status_name(alert.status));
  json.key("previous_status");
  if (alert.previous_status) {
    json.value(status_name(*alert.previous_status));
  } else {
    json.null();
  }
  json.key("change");
  if (alert.previous_status) {
    json.value(status_change(alert));
  } else {
    json.null();
  }
  json.key("milestone");
  if (alert.milestone.empty()) {
    json.null();
  } else {
    json.begin_object().key("name").value(alert.milestone).key("summary").begin_array();
    for (const std::string& line : alert.milestone_summary) {
      json.value(line);
    }
    json.end_array().end_object();
  }
  json.key("runtime_days").value(alert.runtime_days);
  json.key("verdict").value(alert.verdict);
  json.key("control");
  write_arm(json, alert.control);
  json.key("variant");
  write_arm(json, alert.variant);
  json.key("lift").begin_object();
  json.key("conversion_rate")
      .value(lift(alert.control.conversion_rate, alert.variant.conversion_rate));
  json.key("revenue_per_visitor")
      .value(lift(alert.control.revenue_per_visitor, alert.variant.revenue_per_visitor));
  json.key("average_order_value")
      .value(lift(alert.control.average_order_value, alert.variant.average_order_value));
  json.end_object();
  json.key("reasons").begin_array();
  for (const Reason& reason : alert.reasons) {
    json.begin_object();
    json.key("rule").value(reason.rule);
    json.key("severity").value(status_name(reason.severity));
    json.key("message").value(reason.message);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

void write_document(JsonWriter& json, std::span<const Alert> alerts, const Envelope& envelope) {
  json.begin_object();
  json.key("schema").value("reckon.alert/v1");
  json.key("id").value(envelope.id);
  json.key("sent_at").value(util::utc_seconds_text(envelope.sent_at_ms));
  json.key("alerts").begin_array();
  for (const Alert& alert : alerts) {
    write_alert(json, alert);
  }
  json.end_array();
  json.end_object();
}

} // namespace

std::string alert_document(std::span<const Alert> alerts, const Envelope& envelope) {
  JsonWriter json(JsonWriter::Layout::compact);
  write_document(json, alerts, envelope);
  return json.finish();
}

std::string agent_trigger_body(std::span<const Alert> alerts, const Envelope& envelope) {
  JsonWriter json(JsonWriter::Layout::compact);
  json.begin_object();
  json.key("input");
  write_document(json, alerts, envelope);
  json.key("options").begin_object();
  json.key("async").value(true);
  json.end_object();
  json.end_object();
  return json.finish();
}

} // namespace reckon::notify
