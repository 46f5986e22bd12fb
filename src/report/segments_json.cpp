#include "reckon/report/segments_output.hpp"

#include "results_json_parts.hpp"

#include "reckon/util/json_writer.hpp"

#include <cmath>

namespace reckon::report {
namespace {

using util::JsonWriter;

// Why the pooled numbers carry no Monte Carlo error of their own.
constexpr std::string_view k_pooled_error =
    "derived in closed form from the raw uplift interval; its Monte Carlo error is the raw "
    "bounds' (raw.mc_se)";
constexpr std::string_view k_exact = "exact: closed form, or no Monte Carlo behind it";

void write_engine(JsonWriter& json, const analysis::SegmentsReport& report, const RunInfo& run) {
  const analysis::SegmentOptions& options = report.segment_options;
  json.key("engine").begin_object();
  json.key("version").value(run.version);
  json.key("draws").value(report.options.sampling.draws);
  json.key("seed").value(report.options.sampling.seed);
  json.key("threads").value(static_cast<std::uint64_t>(run.threads));
  json.key("level").value(options.level);
  json.key("threshold").value(options.rule.threshold);
  json.key("neutral_band").value(options.rule.neutral_band);
  json.key("min_visitors").value(options.rule.min_visitors);
  json.key("min_orders").value(options.rule.min_orders);
  json.key("chance_draws").value(options.chance_draws);
  detail::write_day_range_json(json, run);
  json.end_object();
}

void write_uplift(JsonWriter& json, const analysis::Evidence& evidence) {
  json.key("uplift").value(evidence.uplift);
  json.key("ci_low").value(evidence.uplift_low);
  json.key("ci_high").value(evidence.uplift_high);
  json.key("p2bc").value(evidence.p2bc);
}

void write_raw(JsonWriter& json, const analysis::SegmentRow& row) {
  json.key("raw").begin_object();
  write_uplift(json, row.raw.evidence);
  json.key("p2bb").value(row.p2bb);
  json.key("verdict").value(analysis::segment_verdict_label(row.raw.verdict));
  json.key("reason");
  row.raw.reason.empty() ? json.null() : json.value(row.raw.reason);
  json.key("mc_se").begin_object();
  json.key("p2bc").value(row.p2bc_se);
  json.key("p2bb").value(row.p2bb_se);
  json.key("ci_low").value(interval_bound(row.uplift_ci_se, &stats::Interval::low));
  json.key("ci_high").value(interval_bound(row.uplift_ci_se, &stats::Interval::high));
  json.end_object();
  json.key("mc_se_reason");
  const bool any = row.p2bc_se || row.p2bb_se || row.uplift_ci_se;
  any ? json.null() : json.value(k_exact);
  json.end_object();
}

void write_pooled(JsonWriter& json, const analysis::SegmentRow& row) {
  json.key("pooled").begin_object();
  write_uplift(json, row.pooled.evidence);
  json.key("shrinkage").value(row.shrinkage);
  json.key("verdict").value(analysis::segment_verdict_label(row.pooled.verdict));
  json.key("reason");
  row.pooled.reason.empty() ? json.null() : json.value(row.pooled.reason);
  json.key("mc_se").null();
  json.key("mc_se_reason").value(k_pooled_error);
  json.end_object();
}

void write_opportunity(JsonWriter& json, const std::optional<analysis::Opportunity>& opportunity,
                       const std::string& reason) {
  json.key("opportunity");
  if (opportunity) {
    json.begin_object();
    json.key("per_year").value(opportunity->per_year);
    json.key("ci_low").value(opportunity->low);
    json.key("ci_high").value(opportunity->high);
    json.end_object();
  } else {
    json.null();
  }
  json.key("opportunity_reason");
  reason.empty() || opportunity ? json.null() : json.value(reason);
}

void write_row(JsonWriter& json, const analysis::SegmentRow& row) {
  json.begin_object();
  json.key("dimension").value(row.dimension);
  json.key("segment").value(row.segment);
  json.key("variation_id").value(row.variation_id);
  json.key("metric").value(row.metric);
  json.key("visitors").begin_object();
  json.key("control").value(row.control_visitors).key("variant").value(row.variant_visitors);
  json.end_object();
  json.key("orders").begin_object();
  json.key("control").value(row.control_orders).key("variant").value(row.variant_orders);
  json.end_object();
  json.key("value").begin_object();
  json.key("control").value(row.control_value).key("variant").value(row.variant_value);
  json.end_object();
  write_raw(json, row);
  write_pooled(json, row);
  json.key("false_win_chance").value(row.false_win_chance);
  json.key("contradiction").value(row.contradiction);
  write_opportunity(json, row.opportunity,
                    row.raw.verdict == analysis::SegmentVerdict::winner ? row.opportunity_reason
                                                                        : "not a winner");
  json.end_object();
}

void write_overall(JsonWriter& json, const analysis::ExperimentSegments& experiment) {
  json.key("overall").begin_array();
  for (const analysis::CellResult& cell : experiment.overall) {
    json.begin_object();
    json.key("metric").value(cell.metric);
    json.key("variation_id").value(cell.variation_id);
    write_uplift(json, analysis::evidence_of(cell));
    json.key("mc_se").begin_object();
    json.key("p2bc").value(cell.prob_beat_control_se);
    json.key("ci_low").value(interval_bound(cell.uplift_ci_se, &stats::Interval::low));
    json.key("ci_high").value(interval_bound(cell.uplift_ci_se, &stats::Interval::high));
    json.end_object();
    json.end_object();
  }
  json.end_array();
}

void write_checks(JsonWriter& json, const analysis::ExperimentSegments& experiment) {
  json.key("srm").begin_array();
  for (const analysis::SegmentSrm& srm : experiment.srm) {
    json.begin_object();
    json.key("dimension").value(srm.dimension).key("segment").value(srm.segment);
    json.key("chi2").value(srm.test.chi2).key("p_value").value(srm.test.p_value);
    json.key("flag").value(srm.test.flagged);
    json.end_object();
  }
  json.end_array();
  json.key("allocation_assumed_equal").value(experiment.allocation_assumed_equal);
  json.key("whole_test_srm_flag")
      .value(experiment.overall_srm.has_value() && experiment.overall_srm->flagged);
  json.key("dimensions").begin_array();
  for (const analysis::DimensionCheck& check : experiment.dimensions) {
    json.begin_object();
    json.key("dimension").value(check.dimension);
    json.key("variation_id").value(check.variation_id).key("metric").value(check.metric);
    json.key("cochran_q").value(check.heterogeneity.q);
    json.key("pooled_segments").value(static_cast<std::uint64_t>(check.heterogeneity.segments));
    json.key("tau2").value(check.heterogeneity.tau2);
    json.key("i2").value(check.heterogeneity.i2);
    json.key("pooled_uplift").value(check.pooled_uplift);
    json.key("post_stratified_uplift").value(check.post_stratified_uplift);
    json.key("reversal").value(check.reversal);
    json.end_object();
  }
  json.end_array();
}

void write_chance(JsonWriter& json, const analysis::ExperimentSegments& experiment) {
  json.key("chance").begin_array();
  for (const analysis::ChanceSummary& summary : experiment.chance) {
    json.begin_object();
    json.key("metric").value(summary.metric);
    json.key("eligible").value(static_cast<std::uint64_t>(summary.eligible));
    json.key("winners_found").value(static_cast<std::uint64_t>(summary.winners_found));
    json.key("losers_found").value(static_cast<std::uint64_t>(summary.losers_found));
    json.key("pooled_winners_found")
        .value(static_cast<std::uint64_t>(summary.pooled_winners_found));
    json.key("expected").value(summary.chance.expected);
    json.key("upper_95").value(summary.chance.upper_95);
    json.key("upper_95_coverage").value(summary.chance.upper_95_coverage);
    json.key("p_at_least_found").value(summary.chance.at_least(summary.winners_found));
    json.key("mc_se").begin_object();
    json.key("expected").null();
    json.key("upper_95_coverage").value(summary.chance.upper_95_coverage_se);
    const double tail = summary.chance.at_least(summary.winners_found);
    json.key("p_at_least_found")
        .value(std::sqrt(tail * (1.0 - tail) / static_cast<double>(summary.chance.draws)));
    json.end_object();
    json.key("mc_se_reason")
        .value("expected is an exact sum; upper_95 is a count, its error shows in "
               "upper_95_coverage");
    json.key("draws").value(summary.chance.draws);
    json.key("within_chance").value(summary.within_chance);
    json.key("losers_within_chance").value(summary.losers_within_chance);
    json.end_object();
  }
  json.end_array();
}

void write_rollouts(JsonWriter& json, const analysis::ExperimentSegments& experiment) {
  json.key("rollouts").begin_array();
  for (const analysis::VariationRollout& rollout : experiment.rollouts) {
    json.begin_object();
    json.key("variation_id").value(rollout.variation_id);
    json.key("call").value(analysis::rollout_label(rollout.decision.call));
    json.key("reason").value(rollout.decision.reason);
    json.key("segments").value(static_cast<std::uint64_t>(rollout.tally.segments));
    json.key("winners").value(static_cast<std::uint64_t>(rollout.tally.winners));
    json.key("losers").value(static_cast<std::uint64_t>(rollout.tally.losers));
    json.key("low_data").value(static_cast<std::uint64_t>(rollout.tally.low_data));
    write_opportunity(json, rollout.opportunity, rollout.opportunity_reason);
    json.end_object();
  }
  json.end_array();
}

void write_experiment(JsonWriter& json, const analysis::ExperimentSegments& experiment) {
  json.begin_object();
  json.key("id").value(experiment.id);
  json.key("name").value(experiment.name);
  json.key("source").value(experiment.source);
  json.key("runtime_days");
  experiment.runtime_days ? json.value(*experiment.runtime_days) : json.null();
  json.key("metrics").begin_array();
  for (const std::string& metric : experiment.metrics) {
    json.value(metric);
  }
  json.end_array();
  detail::write_verdict_json(json, experiment.verdict);
  write_overall(json, experiment);
  json.key("segments").begin_array();
  for (const analysis::SegmentRow& row : experiment.rows) {
    write_row(json, row);
  }
  json.end_array();
  write_checks(json, experiment);
  write_chance(json, experiment);
  write_rollouts(json, experiment);
  json.end_object();
}

} // namespace

std::string render_segments_json(const analysis::SegmentsReport& report, const RunInfo& run) {
  JsonWriter json;
  json.begin_object();
  json.key("schema").value("reckon.segments/v1");
  write_engine(json, report, run);
  json.key("experiments").begin_array();
  for (const analysis::ExperimentSegments& experiment : report.experiments) {
    write_experiment(json, experiment);
  }
  json.end_array();
  json.end_object();
  return json.finish();
}

} // namespace reckon::report
