#include "reckon/report/temporal_output.hpp"

#include "results_json_parts.hpp"

#include "reckon/analysis/verdict.hpp"
#include "reckon/util/json_writer.hpp"

namespace reckon::report {
namespace {

using detail::write_cell_json;

void write_estimate(util::JsonWriter& json, std::string_view name, double value, double se) {
  json.key(name).begin_object();
  json.key("value").value(value);
  json.key("mc_se").value(se);
  json.end_object();
}

void write_reason(util::JsonWriter& json, const std::string& reason) {
  json.key("reason");
  reason.empty() ? json.null() : json.value(reason);
}

void write_day_type(util::JsonWriter& json, const analysis::DayTypeContrast& contrast) {
  json.key("day_type").begin_object();
  json.key("weekday");
  write_cell_json(json, contrast.weekday);
  json.key("weekend");
  write_cell_json(json, contrast.weekend);
  json.key("difference");
  if (const auto& d = contrast.difference) {
    json.begin_object();
    write_estimate(json, "prob_weekend_better", d->prob_second_better.value,
                   d->prob_second_better.standard_error);
    write_estimate(json, "median", d->median, d->median_se);
    write_estimate(json, "ci_low", d->interval.low, d->interval_se.low);
    write_estimate(json, "ci_high", d->interval.high, d->interval_se.high);
    json.end_object();
  } else {
    json.null();
  }
  write_reason(json, contrast.difference_reason);
  json.key("call");
  contrast.call.empty() ? json.null() : json.value(contrast.call);
  json.end_object();
}

void write_trend(util::JsonWriter& json, const analysis::UpliftTrend& trend) {
  json.key("trend").begin_object();
  const std::optional<stats::WeightedTrend>& fit = trend.fit;
  json.key("days").value(fit ? std::uint64_t{fit->points} : std::uint64_t{0});
  json.key("slope").value(fit ? std::optional<double>(fit->slope) : std::nullopt);
  json.key("slope_se").value(fit ? std::optional<double>(fit->slope_se) : std::nullopt);
  json.key("p_value").value(fit ? std::optional<double>(fit->p_value) : std::nullopt);
  json.key("cochran_q").value(fit ? std::optional<double>(fit->q) : std::nullopt);
  json.key("q_degrees_of_freedom")
      .value(fit ? std::optional<double>(static_cast<double>(fit->points - 1)) : std::nullopt);
  json.key("q_p_value").value(fit ? std::optional<double>(fit->q_p_value) : std::nullopt);
  json.key("label");
  trend.label.empty() ? json.null() : json.value(trend.label);
  write_reason(json, trend.reason);
  json.end_object();
}

void write_sources(util::JsonWriter& json, const std::vector<analysis::SourceCorrelation>& list) {
  json.key("sources").begin_array();
  for (const analysis::SourceCorrelation& source : list) {
    json.begin_object();
    json.key("dimension").value(source.dimension);
    json.key("label").value(source.label);
    json.key("method").value("spearman");
    const auto& s = source.spearman;
    json.key("n").value(s ? s->n : std::uint64_t{0});
    json.key("rho").value(s ? std::optional<double>(s->rho) : std::nullopt);
    json.key("p_value").value(s ? std::optional<double>(s->p_value) : std::nullopt);
    write_reason(json, source.reason);
    json.end_object();
  }
  json.end_array();
}

void write_cells(util::JsonWriter& json, std::string_view name,
                 const std::vector<analysis::CellResult>& cells) {
  json.key(name).begin_array();
  for (const analysis::CellResult& cell : cells) {
    write_cell_json(json, cell);
  }
  json.end_array();
}

void write_timeline(util::JsonWriter& json, const analysis::VariationTimeline& timeline,
                    bool primary) {
  json.begin_object();
  json.key("variation_id").value(timeline.variation_id);
  json.key("metric").value(timeline.metric);
  json.key("primary").value(primary);
  json.key("underperforming_days");
  if (primary) {
    json.begin_array();
    for (const std::string& day : timeline.underperforming_days) {
      json.value(day);
    }
    json.end_array();
  } else {
    json.null();
  }
  write_day_type(json, timeline.day_type);
  if (primary) {
    write_trend(json, timeline.trend);
    write_sources(json, timeline.sources);
  }
  write_cells(json, "days", timeline.days);
  write_cells(json, "day_of_week", timeline.day_of_week);
  write_cells(json, "cumulative", timeline.cumulative);
  json.end_object();
}

void write_experiment(util::JsonWriter& json, const analysis::ExperimentTimeline& experiment) {
  json.begin_object();
  json.key("id").value(experiment.id);
  json.key("name").value(experiment.name);
  json.key("source").value(experiment.source);
  json.key("metric").value(experiment.metric);
  json.key("metric_reason").value(experiment.metric_reason);
  json.key("verdicts");
  detail::write_variation_verdicts_json(json, experiment.verdict
                                                  ? experiment.verdict->variations
                                                  : std::vector<analysis::VariationVerdict>{});
  json.key("variations").begin_array();
  for (const model::Variation& variation : experiment.variations) {
    json.begin_object();
    json.key("id").value(variation.id);
    json.key("name").value(variation.name);
    json.key("is_control").value(variation.is_control);
    json.end_object();
  }
  json.end_array();
  json.key("days").begin_array();
  for (const analysis::TemporalDay& day : experiment.days) {
    json.begin_object();
    json.key("date").value(day.date);
    json.key("weekday").value(day.weekday);
    json.key("weekend").value(day.weekend);
    json.key("source").value(day.source);
    json.end_object();
  }
  json.end_array();
  json.key("leaders").begin_array();
  for (const analysis::LeaderPoint& leader : experiment.leaders) {
    json.begin_object().key("date").value(leader.date);
    json.key("variation_id").value(leader.variation_id).end_object();
  }
  json.end_array();
  json.key("leader_last_changed");
  experiment.leader_last_changed ? json.value(*experiment.leader_last_changed) : json.null();
  json.key("timelines").begin_array();
  for (const analysis::VariationTimeline& timeline : experiment.timelines) {
    write_timeline(json, timeline, timeline.metric == experiment.metric);
  }
  json.end_array();
  json.end_object();
}

} // namespace

std::string render_temporal_json(const analysis::TemporalResults& results, const RunInfo& run) {
  util::JsonWriter json;
  json.begin_object();
  json.key("schema").value("reckon.temporal/v1");
  detail::write_engine_json(json, results.options, run);
  json.key("underperforming_p2bc_at_most").value(1.0 - results.options.verdict.threshold);
  json.key("experiments").begin_array();
  for (const analysis::ExperimentTimeline& experiment : results.experiments) {
    write_experiment(json, experiment);
  }
  json.end_array();
  json.key("skipped").begin_array();
  for (const analysis::LeftOut& left_out : results.skipped) {
    json.begin_object().key("id").value(left_out.id).key("name").value(left_out.name);
    json.key("source").value(left_out.source).key("reason").value(left_out.reason).end_object();
  }
  json.end_array();
  json.end_object();
  return json.finish();
}

} // namespace reckon::report
