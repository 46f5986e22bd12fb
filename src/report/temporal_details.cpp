#include "temporal_text.hpp"
#include "text_table.hpp"

#include "reckon/analysis/verdict.hpp"
#include "reckon/util/number_format.hpp"
#include "reckon/util/text.hpp"

namespace reckon::report::temporal_text {
namespace {

std::string day_of_week_profile(const analysis::VariationTimeline& timeline, double level) {
  TextTable table({"weekday", "visitors", "uplift",
                   util::format_fixed(level * 100.0, 0) + " % interval", "P(beat control)"});
  for (const analysis::CellResult& cell : timeline.day_of_week) {
    table.add_row({cell.slice.segment, count(cell.n_visitors), signed_percent(uplift_of(cell)),
                   uplift_interval(cell), probability(cell.prob_beat_control)});
  }
  return "    by day of the week:\n" + table.render("      ");
}

std::string weekend_line(const analysis::DayTypeContrast& contrast) {
  std::string text = "    weekend " + signed_percent(uplift_of(contrast.weekend)) + " " +
                     uplift_interval(contrast.weekend) + ", weekday " +
                     signed_percent(uplift_of(contrast.weekday)) + " " +
                     uplift_interval(contrast.weekday) + "\n";
  if (const auto& d = contrast.difference) {
    text += "    weekend - weekday " + signed_percent(d->median) + " " +
            percent_interval(d->interval.low, d->interval.high) +
            ", P(weekend > weekday) = " + util::format_fixed(d->prob_second_better.value, 4) +
            " +- " + util::format_fixed(d->prob_second_better.standard_error, 4) + "\n";
  } else {
    text += "    weekend - weekday: none, " + contrast.difference_reason + "\n";
  }
  return text;
}

std::string trend_lines(const analysis::UpliftTrend& trend) {
  if (!trend.fit) {
    return "    trend: none, " + trend.reason + "\n";
  }
  const stats::WeightedTrend& fit = *trend.fit;
  return "    trend: " + trend.label + ", log(1 + uplift) moves " + signed_percent(fit.slope) +
         " a day (se " + util::format_fixed(fit.slope_se * 100.0, 2) + " %, p " +
         util::format_fixed(fit.p_value, 3) + ") over " + std::to_string(fit.points) +
         " days\n    across days: Cochran's Q " + util::format_fixed(fit.q, 1) + " on " +
         std::to_string(fit.points - 1) + " degrees of freedom, p " +
         util::format_fixed(fit.q_p_value, 3) + "\n";
}

std::string source_lines(const std::vector<analysis::SourceCorrelation>& sources) {
  if (sources.empty()) {
    return "    traffic sources: no audience views by day (fetch --day-segments source_channel)\n";
  }
  TextTable table({"source", "Spearman rho", "p", "days"});
  for (const analysis::SourceCorrelation& source : sources) {
    const auto& s = source.spearman;
    table.add_row({source.dimension + " = " + source.label, s ? util::format_fixed(s->rho, 2) : "-",
                   s ? util::format_fixed(s->p_value, 3) : "-", s ? std::to_string(s->n) : "-"});
  }
  return "    each traffic source's daily share against the daily uplift:\n" +
         table.render("      ");
}

} // namespace

std::string render_details(const analysis::ExperimentTimeline& experiment, double level) {
  std::string out =
      util::wrap_words("primary metric: " + experiment.metric_reason, "  ", "  ", 100);
  if (experiment.verdict) {
    for (const analysis::VariationVerdict& verdict : experiment.verdict->variations) {
      out += util::wrap_words(variation_name(experiment, verdict.variation_id) + ": " +
                                  std::string(analysis::verdict_label(verdict.verdict)) + ", " +
                                  verdict.reason,
                              "  ", "  ", 100);
    }
  }
  for (const analysis::VariationTimeline& timeline : experiment.timelines) {
    const bool primary = timeline.metric == experiment.metric;
    if (!primary) {
      out += render_days(experiment, timeline, level);
    }
    out += "  " + variation_name(experiment, timeline.variation_id) + ", " +
           metric_words(timeline.metric) + ":\n";
    out += weekend_line(timeline.day_type);
    out += day_of_week_profile(timeline, level);
    if (primary) {
      out += trend_lines(timeline.trend);
      out += source_lines(timeline.sources);
    }
  }
  return out;
}

} // namespace reckon::report::temporal_text
