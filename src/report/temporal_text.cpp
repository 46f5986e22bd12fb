#include "temporal_text.hpp"

#include "text_table.hpp"

#include "reckon/util/number_format.hpp"

#include <algorithm>

namespace reckon::report::temporal_text {

std::string signed_percent(std::optional<double> fraction) {
  if (!fraction) {
    return "-";
  }
  const std::string digits = util::format_fixed(*fraction * 100.0, 1);
  std::string text = digits.front() == '-' || digits == "0.0" ? "" : "+";
  text.append(digits == "-0.0" ? "0.0" : digits);
  text.append(" %");
  return text;
}

std::string probability(std::optional<double> p) {
  return p ? util::format_fixed(*p, 2) : "-";
}

std::string count(std::uint64_t n) {
  std::string digits = std::to_string(n);
  for (std::size_t i = digits.size(); i > 3; i -= 3) {
    digits.insert(i - 3, ",");
  }
  return digits;
}

std::string percent_interval(std::optional<double> low, std::optional<double> high) {
  if (!low || !high) {
    return "-";
  }
  std::string text = "[";
  text.append(signed_percent(low));
  text.append(", ");
  text.append(signed_percent(high));
  text.append("]");
  return text;
}

std::optional<double> uplift_of(const analysis::CellResult& cell) {
  return cell.uplift ? cell.uplift->value : std::nullopt;
}

std::string uplift_interval(const analysis::CellResult& cell) {
  return cell.uplift ? percent_interval(cell.uplift->ci_low, cell.uplift->ci_high) : "-";
}

std::string clip(const std::string& text, std::size_t width) {
  return text.size() <= width ? text : text.substr(0, width - 3) + "...";
}

std::string metric_words(const std::string& metric) {
  if (metric == "net_revenue_per_visitor") {
    return "revenue per visitor";
  }
  if (metric == "conversion_rate") {
    return "conversion rate";
  }
  if (metric == "gross_profit_per_visitor") {
    return "gross profit per visitor";
  }
  return metric;
}

std::string variation_name(const analysis::ExperimentTimeline& experiment, const std::string& id) {
  for (const model::Variation& variation : experiment.variations) {
    if (variation.id == id) {
      return variation.name.empty() ? id : variation.name;
    }
  }
  return id;
}

const analysis::VariationTimeline* primary_timeline(const analysis::ExperimentTimeline& experiment,
                                                    const std::string& variation) {
  for (const analysis::VariationTimeline& timeline : experiment.timelines) {
    if (timeline.variation_id == variation && timeline.metric == experiment.metric) {
      return &timeline;
    }
  }
  return nullptr;
}

std::string render_days(const analysis::ExperimentTimeline& experiment,
                        const analysis::VariationTimeline& timeline, double level) {
  const std::string interval = util::format_fixed(level * 100.0, 0) + " % interval";
  TextTable table(
      {"day", "weekday", "visitors", "uplift", "P(beat ctrl)", "so far", interval, "cum. P", ""});
  const analysis::VariationTimeline* primary = primary_timeline(experiment, timeline.variation_id);
  for (std::size_t d = 0; d < timeline.days.size(); ++d) {
    const analysis::CellResult& day = timeline.days[d];
    const analysis::CellResult& so_far = timeline.cumulative[d];
    const bool under =
        timeline.metric == experiment.metric && primary != nullptr &&
        std::find(primary->underperforming_days.begin(), primary->underperforming_days.end(),
                  day.slice.segment) != primary->underperforming_days.end();
    table.add_row({day.slice.segment, experiment.days[d].weekday, count(day.n_visitors),
                   signed_percent(uplift_of(day)), probability(day.prob_beat_control),
                   signed_percent(uplift_of(so_far)), uplift_interval(so_far),
                   probability(so_far.prob_beat_control), under ? "*" : ""});
  }
  return "  " + variation_name(experiment, timeline.variation_id) + " against control, " +
         metric_words(timeline.metric) + ", day by day (* underperformed):\n" + table.render("  ");
}

} // namespace reckon::report::temporal_text
