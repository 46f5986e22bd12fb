#include "html_context.hpp"

#include "chart_specs.hpp"

#include "html_sections.hpp"
#include "html_text.hpp"

#include "reckon/util/number_format.hpp"

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
  if (input.report.segments != nullptr) {
    items += rollout_items(*input.report.segments, experiment);
  }
  if (input.report.temporal != nullptr) {
    items += timeline_items(*input.report.temporal, experiment);
  }
  return items.empty()
             ? std::string()
             : "<h3>By segment and over time</h3>\n<ul class=\"context\">\n" + items + "</ul>\n";
}

namespace {

// The store around the test, where sitewide analytics were fetched: its window, the store's
// visitors and revenue per visitor over it, and the test's share of the traffic.
void add_store_context(const HtmlReportInput& input, const analysis::ExperimentResult& experiment,
                       std::vector<HtmlChart>& out) {
  if (input.sitewide == nullptr || input.dataset == nullptr) {
    return;
  }
  for (const model::Experiment& source : input.dataset->experiments) {
    if (source.id != experiment.id) {
      continue;
    }
    const std::optional<charts::StoreContext> context =
        charts::store_context_numbers(*input.sitewide, source);
    if (!context) {
      return;
    }
    std::string caption = "The store from " + context->days.front().date + " to " +
                          context->days.back().date + " (" + std::to_string(context->days.size()) +
                          " of the test's days " + context->first_day + " to " + context->last_day +
                          "): " + util::format_count(context->store_visitors) + " visitor-days";
    if (context->revenue_per_visitor) {
      caption += ", revenue per visitor " +
                 (context->currency.empty() ? "" : context->currency + " ") +
                 util::format_fixed(*context->revenue_per_visitor, 2);
    }
    if (context->test_share) {
      caption += "; the test saw " + util::format_fixed(100.0 * *context->test_share, 1) +
                 " % of the store's visitors";
    }
    out.push_back({"Store-wide context", charts::store_context(*context, experiment.name),
                   caption + " (sitewide analytics; visitors are distinct within a day only)."});
    return;
  }
}

} // namespace

std::vector<HtmlChart> segment_and_day_charts(const HtmlReportInput& input,
                                              const analysis::ExperimentResult& experiment) {
  std::vector<HtmlChart> out;
  const auto add = [&out](std::string spec, std::string caption) {
    if (!spec.empty()) {
      out.push_back({"", std::move(spec), std::move(caption)});
    }
  };
  if (input.report.segments != nullptr) {
    for (const analysis::ExperimentSegments& cut : input.report.segments->experiments) {
      if (cut.id == experiment.id && !cut.rows.empty()) {
        add(charts::segment_forest(cut), "Raw and partially pooled segment uplifts.");
      }
    }
  }
  if (input.report.temporal != nullptr) {
    for (const analysis::ExperimentTimeline& timeline : input.report.temporal->experiments) {
      if (timeline.id == experiment.id) {
        add(charts::daily_uplift(timeline), "Weekend days shaded.");
        add(charts::cumulative_chance(timeline, input.report.results.options.verdict.threshold),
            "Chance to beat control on the days so far.");
      }
    }
  }
  add_store_context(input, experiment, out);
  return out;
}

} // namespace reckon::report::html
