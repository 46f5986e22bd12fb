#include "csv_text.hpp"

#include "reckon/report/health_output.hpp"
#include "reckon/util/json_writer.hpp"

namespace reckon::report {
namespace {

using analysis::ArmSnapshot;
using analysis::ExperimentHealth;
using analysis::HealthReason;

void write_thresholds(util::JsonWriter& json, const analysis::HealthThresholds& thresholds) {
  json.key("thresholds").begin_object();
  json.key("min_runtime").value(thresholds.min_runtime_days);
  json.key("min_visitors").value(thresholds.min_visitors);
  json.key("min_orders").value(thresholds.min_orders);
  json.key("conversion_drop").value(thresholds.conversion_drop);
  json.key("drop_evidence").value(thresholds.drop_evidence);
  json.key("srm_p_value").value(thresholds.srm_p_value);
  json.key("stalled_days").value(thresholds.stalled_days);
  json.end_object();
}

void write_arm(util::JsonWriter& json, const ArmSnapshot& arm) {
  json.begin_object();
  json.key("id").value(arm.variation_id);
  json.key("name").value(arm.name);
  json.key("is_control").value(arm.is_control);
  json.key("visitors").value(arm.visitors);
  json.key("orders").value(arm.orders);
  json.key("conversion_rate").value(arm.conversion_rate);
  json.key("revenue_per_visitor").value(arm.revenue_per_visitor);
  json.key("average_order_value").value(arm.average_order_value);
  if (!arm.is_control) {
    json.key("conversion_lift").value(arm.conversion_lift);
    json.key("revenue_per_visitor_lift").value(arm.revenue_per_visitor_lift);
    json.key("average_order_value_lift").value(arm.average_order_value_lift);
  }
  json.end_object();
}

void write_reason(util::JsonWriter& json, const HealthReason& reason) {
  json.begin_object();
  json.key("rule").value(reason.rule);
  json.key("severity").value(analysis::reason_severity_label(reason.severity));
  if (!reason.variation_id.empty()) {
    json.key("variation").value(reason.variation_id);
  }
  json.key("message").value(reason.message);
  for (const auto& [name, number] : reason.numbers) {
    json.key(name).value(number);
  }
  json.end_object();
}

void write_experiment(util::JsonWriter& json, const ExperimentHealth& health) {
  json.begin_object();
  json.key("id").value(health.id);
  json.key("name").value(health.name);
  json.key("source").value(health.source);
  json.key("status").value(analysis::health_status_label(health.status));
  json.key("experiment_status").value(health.experiment_status);
  json.key("runtime_days");
  health.runtime_days ? json.value(*health.runtime_days) : json.null();
  json.key("verdict").value(health.verdict);
  json.key("verdict_metric").value(health.verdict_metric);
  json.key("days_to_verdict").value(health.days_to_verdict.days);
  json.key("days_to_verdict_basis").value(health.days_to_verdict.basis);
  json.key("arms").begin_array();
  for (const ArmSnapshot& arm : health.arms) {
    write_arm(json, arm);
  }
  json.end_array();
  json.key("reasons").begin_array();
  for (const HealthReason& reason : health.reasons) {
    write_reason(json, reason);
  }
  json.end_array();
  json.end_object();
}

void write_milestone(util::JsonWriter& json, const analysis::MilestoneSummary& milestone) {
  json.begin_object();
  json.key("id").value(milestone.id);
  json.key("name").value(milestone.name);
  json.key("milestone").value(analysis::milestone_label(milestone.milestone));
  json.key("runtime_days");
  milestone.runtime_days ? json.value(*milestone.runtime_days) : json.null();
  json.key("verdict").value(milestone.verdict);
  json.key("metric").value(milestone.metric);
  json.key("level").value(milestone.level);
  json.key("uplifts").begin_array();
  for (const analysis::MilestoneUplift& uplift : milestone.uplifts) {
    json.begin_object();
    json.key("variation").value(uplift.variation);
    json.key("uplift").value(uplift.uplift);
    json.key("ci_low").value(uplift.ci_low);
    json.key("ci_high").value(uplift.ci_high);
    json.end_object();
  }
  json.end_array();
  json.key("segment_winners").begin_array();
  for (const analysis::MilestoneSegmentWinner& winner : milestone.segment_winners) {
    json.begin_object();
    json.key("dimension").value(winner.dimension);
    json.key("segment").value(winner.segment);
    json.key("variation").value(winner.variation);
    json.key("uplift").value(winner.uplift);
    json.end_object();
  }
  json.end_array();
  json.key("day_type").begin_array();
  for (const analysis::MilestoneDayType& day_type : milestone.day_types) {
    json.begin_object();
    json.key("variation").value(day_type.variation);
    json.key("weekday_uplift").value(day_type.weekday_uplift);
    json.key("weekend_uplift").value(day_type.weekend_uplift);
    json.key("finding").value(day_type.finding);
    json.end_object();
  }
  json.end_array();
  json.key("summary").begin_array();
  for (const std::string& line : analysis::describe_milestone(milestone)) {
    json.value(line);
  }
  json.end_array();
  json.end_object();
}

} // namespace

std::string render_health_json(const analysis::HealthReport& report) {
  util::JsonWriter json;
  json.begin_object();
  json.key("schema").value("reckon.health/v1");
  json.key("as_of").value(report.as_of.to_string());
  json.key("status").value(analysis::health_status_label(report.worst()));
  write_thresholds(json, report.thresholds);
  json.key("experiments").begin_array();
  for (const ExperimentHealth& health : report.experiments) {
    write_experiment(json, health);
  }
  json.end_array();
  json.key("milestones").begin_array();
  for (const analysis::MilestoneSummary& milestone : report.milestones) {
    write_milestone(json, milestone);
  }
  json.end_array();
  json.end_object();
  return json.finish();
}

std::string render_health_csv(const analysis::HealthReport& report) {
  std::string out;
  detail::append_row(out, {"experiment", "name", "status", "runtime_days", "verdict",
                           "days_to_verdict", "rule", "severity", "variation", "message"});
  for (const ExperimentHealth& health : report.experiments) {
    const std::string runtime = health.runtime_days ? std::to_string(*health.runtime_days) : "";
    const auto row = [&](const HealthReason* reason) {
      detail::append_row(
          out, {detail::csv_field(health.id), detail::csv_field(health.name),
                std::string(analysis::health_status_label(health.status)), runtime,
                detail::csv_field(health.verdict), detail::csv_number(health.days_to_verdict.days),
                reason ? reason->rule : "",
                reason ? std::string(analysis::reason_severity_label(reason->severity)) : "",
                reason ? detail::csv_field(reason->variation_id) : "",
                reason ? detail::csv_field(reason->message) : ""});
    };
    if (health.reasons.empty()) {
      row(nullptr);
    }
    for (const HealthReason& reason : health.reasons) {
      row(&reason);
    }
  }
  return out;
}

} // namespace reckon::report
