#include "reckon/report/segments_output.hpp"

#include "csv_text.hpp"
#include "segments_checks.hpp"

#include <algorithm>

namespace reckon::report {
namespace {

using detail::append_row;
using detail::csv_field;
using detail::csv_number;

std::string count(std::uint64_t value) {
  return std::to_string(value);
}

std::string flag(bool value) {
  return value ? "true" : "false";
}

std::optional<double> opportunity_part(const std::optional<analysis::Opportunity>& opportunity,
                                       double analysis::Opportunity::*part) {
  return opportunity ? std::optional<double>((*opportunity).*part) : std::nullopt;
}

void append_header(std::string& out) {
  append_row(out, {"experiment",
                   "dimension",
                   "segment",
                   "variation_id",
                   "metric",
                   "control_visitors",
                   "variant_visitors",
                   "control_orders",
                   "variant_orders",
                   "control_value",
                   "variant_value",
                   "uplift",
                   "uplift_ci_low",
                   "uplift_ci_high",
                   "p2bc",
                   "p2bb",
                   "mc_se_p2bc",
                   "mc_se_p2bb",
                   "mc_se_uplift_ci_low",
                   "mc_se_uplift_ci_high",
                   "verdict",
                   "verdict_reason",
                   "pooled_uplift",
                   "pooled_ci_low",
                   "pooled_ci_high",
                   "pooled_p2bc",
                   "pooled_verdict",
                   "shrinkage",
                   "false_win_chance",
                   "contradiction",
                   "srm_chi2",
                   "srm_p_value",
                   "srm_flag",
                   "opportunity_per_year",
                   "opportunity_low",
                   "opportunity_high"});
}

void append_segment(std::string& out, const analysis::ExperimentSegments& experiment,
                    const analysis::SegmentRow& row) {
  const analysis::Evidence& raw = row.raw.evidence;
  const analysis::Evidence& pooled = row.pooled.evidence;
  const stats::SampleRatioTest* srm = detail::segment_srm(experiment, row.dimension, row.segment);
  append_row(out, {csv_field(experiment.id),
                   csv_field(row.dimension),
                   csv_field(row.segment),
                   csv_field(row.variation_id),
                   csv_field(row.metric),
                   count(row.control_visitors),
                   count(row.variant_visitors),
                   count(row.control_orders),
                   count(row.variant_orders),
                   csv_number(row.control_value),
                   csv_number(row.variant_value),
                   csv_number(raw.uplift),
                   csv_number(raw.uplift_low),
                   csv_number(raw.uplift_high),
                   csv_number(raw.p2bc),
                   csv_number(row.p2bb),
                   csv_number(row.p2bc_se),
                   csv_number(row.p2bb_se),
                   csv_number(interval_bound(row.uplift_ci_se, &stats::Interval::low)),
                   csv_number(interval_bound(row.uplift_ci_se, &stats::Interval::high)),
                   csv_field(analysis::segment_verdict_label(row.raw.verdict)),
                   csv_field(row.raw.reason),
                   csv_number(pooled.uplift),
                   csv_number(pooled.uplift_low),
                   csv_number(pooled.uplift_high),
                   csv_number(pooled.p2bc),
                   csv_field(analysis::segment_verdict_label(row.pooled.verdict)),
                   csv_number(row.shrinkage),
                   csv_number(row.false_win_chance),
                   flag(row.contradiction),
                   srm ? csv_number(srm->chi2) : "",
                   srm ? csv_number(srm->p_value) : "",
                   srm ? flag(srm->flagged) : "",
                   csv_number(opportunity_part(row.opportunity, &analysis::Opportunity::per_year)),
                   csv_number(opportunity_part(row.opportunity, &analysis::Opportunity::low)),
                   csv_number(opportunity_part(row.opportunity, &analysis::Opportunity::high))});
}

} // namespace

std::string render_segments_csv(const analysis::SegmentsReport& report) {
  std::string out;
  append_header(out);
  for (const analysis::ExperimentSegments& experiment : report.experiments) {
    for (const analysis::SegmentRow& row : experiment.rows) {
      append_segment(out, experiment, row);
    }
  }
  return out;
}

} // namespace reckon::report
