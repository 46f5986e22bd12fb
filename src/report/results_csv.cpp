#include "reckon/report/results_output.hpp"

#include "csv_text.hpp"

#include "reckon/analysis/verdict.hpp"

#include <string_view>

namespace reckon::report {

using detail::append_row;
using detail::csv_field;
using detail::csv_number;

namespace {

// The verdict a variant's overall cell on the primary metric carries; empty elsewhere.
std::string_view verdict_of(const analysis::ExperimentResult& experiment,
                            const analysis::CellResult& cell) {
  if (!experiment.verdict || cell.is_control || !cell.slice.is_overall() ||
      cell.metric != experiment.verdict->metric) {
    return {};
  }
  for (const analysis::VariationVerdict& variation : experiment.verdict->variations) {
    if (variation.variation_id == cell.variation_id) {
      return analysis::verdict_label(variation.verdict);
    }
  }
  return {};
}

} // namespace

std::string render_results_csv(const analysis::Results& results) {
  std::string out;
  append_row(out, {"experiment",
                   "segment_type",
                   "segment",
                   "date",
                   "metric",
                   "variation_id",
                   "is_control",
                   "n_visitors",
                   "n_orders",
                   "value",
                   "ci_low",
                   "ci_high",
                   "p2bb",
                   "p2bc",
                   "expected_loss",
                   "uplift",
                   "uplift_ci_low",
                   "uplift_ci_high",
                   "mc_se_p2bb",
                   "mc_se_p2bc",
                   "mc_se_expected_loss",
                   "mc_se_ci_low",
                   "mc_se_ci_high",
                   "mc_se_uplift_ci_low",
                   "mc_se_uplift_ci_high",
                   "model",
                   "verdict"});
  for (const analysis::ExperimentResult& experiment : results.experiments) {
    for (const analysis::CellResult& cell : experiment.cells) {
      const analysis::UpliftEstimate uplift = cell.uplift.value_or(analysis::UpliftEstimate{});
      append_row(out, {csv_field(experiment.id),
                       csv_field(cell.slice.segment_type),
                       csv_field(cell.slice.segment),
                       csv_field(cell.slice.date),
                       csv_field(cell.metric),
                       csv_field(cell.variation_id),
                       cell.is_control ? "true" : "false",
                       std::to_string(cell.n_visitors),
                       std::to_string(cell.n_orders),
                       csv_number(cell.value),
                       csv_number(cell.ci_low),
                       csv_number(cell.ci_high),
                       csv_number(cell.prob_best),
                       csv_number(cell.prob_beat_control),
                       csv_number(cell.expected_loss),
                       csv_number(uplift.value),
                       csv_number(uplift.ci_low),
                       csv_number(uplift.ci_high),
                       csv_number(cell.prob_best_se),
                       csv_number(cell.prob_beat_control_se),
                       csv_number(cell.expected_loss_se),
                       csv_number(interval_bound(cell.ci_se, &stats::Interval::low)),
                       csv_number(interval_bound(cell.ci_se, &stats::Interval::high)),
                       csv_number(interval_bound(cell.uplift_ci_se, &stats::Interval::low)),
                       csv_number(interval_bound(cell.uplift_ci_se, &stats::Interval::high)),
                       csv_field(cell.model),
                       std::string(verdict_of(experiment, cell))});
    }
  }
  return out;
}

} // namespace reckon::report
