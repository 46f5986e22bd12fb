#include "reckon/report/temporal_output.hpp"

#include "csv_text.hpp"

namespace reckon::report {
namespace {

using detail::append_row;
using detail::csv_field;
using detail::csv_number;

std::string weekday_of(const analysis::ExperimentTimeline& experiment, const std::string& date) {
  for (const analysis::TemporalDay& day : experiment.days) {
    if (day.date == date) {
      return day.weekday;
    }
  }
  return {};
}

void append_cell(std::string& out, const analysis::ExperimentTimeline& experiment,
                 const analysis::CellResult& cell) {
  const analysis::UpliftEstimate uplift = cell.uplift.value_or(analysis::UpliftEstimate{});
  const bool dated = cell.slice.segment_type == "day" || cell.slice.segment_type == "cumulative";
  append_row(out, {csv_field(experiment.id),
                   csv_field(cell.variation_id),
                   csv_field(cell.metric),
                   csv_field(cell.slice.segment_type),
                   csv_field(cell.slice.segment),
                   dated ? weekday_of(experiment, cell.slice.segment) : std::string(),
                   std::to_string(cell.n_visitors),
                   std::to_string(cell.n_orders),
                   csv_number(cell.value),
                   csv_number(uplift.value),
                   csv_number(uplift.ci_low),
                   csv_number(uplift.ci_high),
                   csv_number(cell.prob_beat_control),
                   csv_number(cell.prob_best),
                   csv_number(interval_bound(cell.uplift_ci_se, &stats::Interval::low)),
                   csv_number(interval_bound(cell.uplift_ci_se, &stats::Interval::high)),
                   csv_number(cell.prob_beat_control_se),
                   csv_number(cell.prob_best_se),
                   {},
                   {}});
}

// The weekend's uplift minus the weekday's: its median in `uplift`, its interval beside it.
void append_difference(std::string& out, const analysis::ExperimentTimeline& experiment,
                       const analysis::VariationTimeline& timeline) {
  const auto& d = timeline.day_type.difference;
  const auto number = [&](double stats::UpliftDifference::*field) {
    return d ? csv_number((*d).*field) : std::string();
  };
  const auto bound = [&](double stats::Interval::*side) {
    return d ? csv_number(d->interval.*side) : std::string();
  };
  const auto bound_se = [&](double stats::Interval::*side) {
    return d ? csv_number(d->interval_se.*side) : std::string();
  };
  append_row(out, {csv_field(experiment.id),
                   csv_field(timeline.variation_id),
                   csv_field(timeline.metric),
                   "weekend_minus_weekday",
                   csv_field(timeline.day_type.call),
                   {},
                   {},
                   {},
                   {},
                   number(&stats::UpliftDifference::median),
                   bound(&stats::Interval::low),
                   bound(&stats::Interval::high),
                   {},
                   {},
                   bound_se(&stats::Interval::low),
                   bound_se(&stats::Interval::high),
                   {},
                   {},
                   d ? csv_number(d->prob_second_better.value) : std::string(),
                   d ? csv_number(d->prob_second_better.standard_error) : std::string()});
}

} // namespace

std::string render_temporal_csv(const analysis::TemporalResults& results) {
  std::string out;
  append_row(out, {"experiment",
                   "variation_id",
                   "metric",
                   "slice_type",
                   "slice",
                   "weekday",
                   "n_visitors",
                   "n_orders",
                   "value",
                   "uplift",
                   "uplift_ci_low",
                   "uplift_ci_high",
                   "p2bc",
                   "p2bb",
                   "mc_se_uplift_ci_low",
                   "mc_se_uplift_ci_high",
                   "mc_se_p2bc",
                   "mc_se_p2bb",
                   "p_weekend_better",
                   "mc_se_p_weekend_better"});
  for (const analysis::ExperimentTimeline& experiment : results.experiments) {
    for (const analysis::VariationTimeline& timeline : experiment.timelines) {
      for (const auto* cells : {&timeline.days, &timeline.cumulative, &timeline.day_of_week}) {
        for (const analysis::CellResult& cell : *cells) {
          append_cell(out, experiment, cell);
        }
      }
      for (const analysis::CellResult* pooled :
           {&timeline.day_type.weekday, &timeline.day_type.weekend}) {
        if (!pooled->slice.segment_type.empty()) { // absent without such days
          append_cell(out, experiment, *pooled);
        }
      }
      append_difference(out, experiment, timeline);
    }
  }
  return out;
}

} // namespace reckon::report
