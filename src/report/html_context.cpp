#include "html_context.hpp"

#include "chart_specs.hpp"

#include "html_sections.hpp"
#include "html_text.hpp"

namespace reckon::report::html {
namespace {

std::string rollout_items(const analysis::SegmentsReport& segments,
                          const analysis::ExperimentResult& experiment) {
  std::string out;
  for (const analysis::ExperimentSegments& cut : segments.experiments) {
    if (cut.id != experiment.id || cut.rows.empty()) {
      continue;
    }
    for (const analysis::VariationRollout& rollout : cut.rollouts) {
      out += "<li><b>" + escape(variation_name(experiment, rollout.variation_id)) +
             "</b> across segments: <b>" + escape(analysis::rollout_label(rollout.decision.call)) +
             "</b> " + element("span", "why", rollout.decision.reason) + "</li>\n";
    }
  }
  return out;
}

std::string timeline_items(const analysis::TemporalResults& temporal,
                           const analysis::ExperimentResult& experiment) {
  std::string out;
  for (const analysis::ExperimentTimeline& timeline : temporal.experiments) {
    if (timeline.id != experiment.id) {
      continue;
    }
    for (const analysis::VariationTimeline& variation : timeline.timelines) {
      if (variation.metric != timeline.metric) {
        continue; // the words follow the primary metric, as the verdict does
      }
      std::string item = "<li><b>" + escape(variation_name(experiment, variation.variation_id)) +
                         "</b> over " + std::to_string(timeline.days.size()) + " days: ";
      item += variation.trend.label.empty() ? "no trend (" + escape(variation.trend.reason) + ")"
                                            : "uplift " + escape(variation.trend.label);
      if (!variation.day_type.call.empty()) {
        item += "; " + escape(variation.day_type.call);
      }
      out += item + "</li>\n";
    }
  }
  return out;
}

} // namespace

std::string segments_and_days(const HtmlReportInput& input,
                              const analysis::ExperimentResult& experiment) {
  std::string items;
  if (input.segments != nullptr) {
    items += rollout_items(*input.segments, experiment);
  }
  if (input.temporal != nullptr) {
    items += timeline_items(*input.temporal, experiment);
  }
  return items.empty()
             ? std::string()
             : "<h3>By segment and over time</h3>\n<ul class=\"context\">\n" + items + "</ul>\n";
}

std::vector<HtmlChart> segment_and_day_charts(const HtmlReportInput& input,
                                              const analysis::ExperimentResult& experiment) {
  std::vector<HtmlChart> out;
  const auto add = [&out](std::string spec, std::string caption) {
    if (!spec.empty()) {
      out.push_back({"", std::move(spec), std::move(caption)});
    }
  };
  if (input.segments != nullptr) {
    for (const analysis::ExperimentSegments& cut : input.segments->experiments) {
      if (cut.id == experiment.id && !cut.rows.empty()) {
        add(charts::segment_forest(cut), "Raw and partially pooled segment uplifts.");
      }
    }
  }
  if (input.temporal != nullptr) {
    for (const analysis::ExperimentTimeline& timeline : input.temporal->experiments) {
      if (timeline.id == experiment.id) {
        add(charts::daily_uplift(timeline), "Weekend days shaded.");
        add(charts::cumulative_chance(timeline, input.results.options.verdict.threshold),
            "Chance to beat control on the days so far.");
      }
    }
  }
  return out;
}

} // namespace reckon::report::html
