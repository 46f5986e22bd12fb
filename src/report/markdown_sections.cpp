#include "markdown_sections.hpp"

#include "names.hpp"
#include "segments_checks.hpp"
#include "temporal_text.hpp"

#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <cmath>

namespace reckon::report::markdown {
namespace {

// Segments listed per test; the rest are counted (cells.csv and results.sqlite hold them all).
constexpr std::size_t k_listed_segments = 15;

bool called(analysis::SegmentVerdict verdict) {
  return verdict == analysis::SegmentVerdict::winner || verdict == analysis::SegmentVerdict::loser;
}

// A winner or loser, raw or pooled; a contradiction of the overall result; a segment off its
// allocation.
bool worth_reading(const analysis::ExperimentSegments& experiment,
                   const analysis::SegmentRow& row) {
  const bool contradicts =
      row.contradiction && row.raw.verdict != analysis::SegmentVerdict::low_data;
  return called(row.raw.verdict) || called(row.pooled.verdict) || contradicts ||
         detail::segment_srm_flagged(experiment, row);
}

// Which rows come first when not all can be listed: segments off their allocation, then calls
// that survive pooling, then raw calls, then segments that merely point the other way; the
// larger segment first within each.
std::vector<const analysis::SegmentRow*>
rows_worth_reading(const analysis::ExperimentSegments& experiment) {
  std::vector<const analysis::SegmentRow*> rows;
  for (const analysis::SegmentRow& row : experiment.rows) {
    if (worth_reading(experiment, row)) {
      rows.push_back(&row);
    }
  }
  const auto rank = [&](const analysis::SegmentRow* row) {
    if (detail::segment_srm_flagged(experiment, *row)) {
      return 0;
    }
    if (called(row->pooled.verdict)) {
      return 1;
    }
    return called(row->raw.verdict) ? 2 : 3;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const auto* a, const auto* b) {
    const int rank_a = rank(a);
    const int rank_b = rank(b);
    if (rank_a != rank_b) {
      return rank_a < rank_b;
    }
    return a->control_visitors + a->variant_visitors > b->control_visitors + b->variant_visitors;
  });
  return rows;
}

std::string verdict_text(analysis::SegmentVerdict verdict) {
  const std::string label(analysis::segment_verdict_label(verdict));
  return called(verdict) ? "**" + label + "**" : label;
}

std::vector<std::string> segment_row(const analysis::ExperimentSegments& experiment,
                                     const analysis::SegmentRow& row) {
  const analysis::Evidence& raw = row.raw.evidence;
  const analysis::Evidence& pooled = row.pooled.evidence;
  std::string note = row.contradiction ? "opposes the overall" : "";
  if (detail::segment_srm_flagged(experiment, row)) {
    note += (note.empty() ? "" : "; ") + std::string("off its allocation (SRM)");
  }
  return {escape(metric_words(row.dimension) + ": " + row.segment),
          escape(detail::variation_name(experiment.variations, row.variation_id)),
          util::format_count(row.control_visitors + row.variant_visitors),
          signed_percent(raw.uplift),
          percent_interval(raw.uplift_low, raw.uplift_high),
          probability(raw.p2bc),
          verdict_text(row.raw.verdict),
          signed_percent(pooled.uplift),
          percent_interval(pooled.uplift_low, pooled.uplift_high),
          verdict_text(row.pooled.verdict),
          note};
}

std::string chance_text(const analysis::ChanceSummary& summary) {
  std::string text =
      "Winners among " + std::to_string(summary.eligible) + " segment " + "comparisons on " +
      metric_words(summary.metric) + ": " + std::to_string(summary.winners_found) + " found, " +
      util::format_fixed(summary.chance.expected, 1) + " expected by chance alone (95 %: up to " +
      std::to_string(summary.chance.upper_95) + ")";
  text += summary.within_chance ? ", so no more than chance" : "";
  return text + "; " + std::to_string(summary.pooled_winners_found) + " after pooling.\n";
}

std::string rollout_text(const analysis::ExperimentSegments& experiment) {
  std::string text;
  for (const analysis::VariationRollout& rollout : experiment.rollouts) {
    text += "Rollout of " +
            escape(detail::variation_name(experiment.variations, rollout.variation_id)) + ": **" +
            std::string(analysis::rollout_label(rollout.decision.call)) + "** (" +
            escape(rollout.decision.reason) + ").\n";
  }
  for (const analysis::DimensionCheck& check : experiment.dimensions) {
    if (check.reversal) {
      text += "Simpson reversal in " + escape(metric_words(check.dimension)) + " for " +
              escape(detail::variation_name(experiment.variations, check.variation_id)) +
              ": pooled " + signed_percent(check.pooled_uplift) + ", post-stratified " +
              signed_percent(check.post_stratified_uplift) + ".\n";
    }
  }
  return text;
}

std::string underperformance(const analysis::ExperimentTimeline& experiment,
                             const analysis::VariationTimeline& timeline) {
  if (timeline.underperforming_days.empty()) {
    return "";
  }
  return " The control was better on " + std::to_string(timeline.underperforming_days.size()) +
         " of " + std::to_string(experiment.days.size()) + " days.";
}

std::string trend_text(const analysis::UpliftTrend& trend) {
  if (!trend.fit) {
    return " No trend: " + escape(trend.reason) + ".";
  }
  // The slope is on log(1 + uplift): exp(slope) - 1 is the relative change a day.
  return " Daily uplift " + trend.label + " (" + signed_percent(std::expm1(trend.fit->slope)) +
         " a day, p = " + util::format_fixed(trend.fit->p_value, 2) + ").";
}

// "+6.1 % [+2.0 %, +10.3 %]", or the uplift alone when it has no interval.
std::string uplift_with_interval(const analysis::CellResult& cell) {
  const analysis::UpliftEstimate uplift = cell.uplift.value_or(analysis::UpliftEstimate{});
  const std::string value = signed_percent(uplift.value);
  return uplift.ci_low && uplift.ci_high
             ? value + " " + percent_interval(uplift.ci_low, uplift.ci_high)
             : value;
}

std::string day_type_text(const analysis::DayTypeContrast& day_type) {
  std::string text = "weekdays " + uplift_with_interval(day_type.weekday) + ", weekends " +
                     uplift_with_interval(day_type.weekend);
  if (!day_type.difference) {
    return text + " (no comparison: " + escape(day_type.difference_reason) + ").";
  }
  return text + ": " + day_type.call + " (P(weekend better) " +
         probability(day_type.difference->prob_second_better.value) + ").";
}

} // namespace

std::string segments_section(const analysis::ExperimentSegments& experiment,
                             const analysis::SegmentsReport& report) {
  if (experiment.rows.empty()) {
    return "";
  }
  const std::string level = util::format_fixed(report.segment_options.level * 100.0, 0) + " %";
  std::string out = "### Segments\n\n" + rollout_text(experiment);
  for (const analysis::ChanceSummary& summary : experiment.chance) {
    out += summary.eligible > 0 ? chance_text(summary) : "";
  }
  const std::vector<const analysis::SegmentRow*> rows = rows_worth_reading(experiment);
  std::string table;
  for (std::size_t i = 0; i < std::min(rows.size(), k_listed_segments); ++i) {
    table += markdown::row(segment_row(experiment, *rows[i]));
  }
  const std::size_t more = rows.size() - std::min(rows.size(), k_listed_segments);
  if (table.empty()) {
    return out + "\nNo segment wins, loses, opposes the overall or is off its allocation.\n\n";
  }
  out += "\n" +
         header({"Segment", "Variation", ">Visitors", ">Uplift", ">" + level + " interval",
                 ">P(beat control)", "Verdict", ">Pooled uplift", ">Pooled " + level + " interval",
                 "Pooled verdict", "Notes"}) +
         table;
  if (more > 0) {
    out += "\n" + std::to_string(more) + " more segments worth reading are in results.sqlite " +
           "(table segments).\n";
  }
  return out + "\n";
}

std::string temporal_section(const analysis::ExperimentTimeline& experiment) {
  std::string out = "### Over time\n\n";
  for (const model::Variation& variation : experiment.variations) {
    const analysis::VariationTimeline* timeline =
        temporal_text::primary_timeline(experiment, variation.id);
    if (variation.is_control || timeline == nullptr) {
      continue;
    }
    out += "- " + escape(detail::variation_name(experiment.variations, variation.id)) + ", " +
           metric_words(timeline->metric) + ": " + day_type_text(timeline->day_type) +
           trend_text(timeline->trend) + underperformance(experiment, *timeline) + "\n";
  }
  if (!experiment.leaders.empty()) {
    const analysis::LeaderPoint& last = experiment.leaders.back();
    out += "- Leader (highest P(best) over the days so far): " +
           escape(detail::variation_name(experiment.variations, last.variation_id)) +
           (experiment.leader_last_changed ? " since " + *experiment.leader_last_changed
                                           : " on every day") +
           ".\n";
  }
  return out + "\n";
}

std::string glossary() {
  return "## Glossary\n\n"
         "- **Uplift**: the variation's value over the control's, minus one (+6.1 % is 6.1 % "
         "more). For lower-is-better metrics the verdict reads it turned around.\n"
         "- **Credible interval**: the range that holds the true value with the stated "
         "probability, given the data and the prior.\n"
         "- **P(beat control)** (p2bc): the probability that the variation is better than the "
         "control.\n"
         "- **P(best)** (p2bb): the probability that the variation is the best of all, control "
         "included.\n"
         "- **Expected loss**: how much of the metric you lose on average by choosing this "
         "variation if it is not the best; small means a safe choice.\n"
         "- **LOW DATA**: too few visitors or orders for the verdict rule to make a call.\n"
         "- **DRIFT**: the vendor's number lies further from Reckon's than Monte Carlo noise "
         "and rounding allow.\n"
         "- **Pooled**: a segment's uplift shrunk toward the whole test's, as far as the "
         "segments' spread says noise explains; raw winners that pooling keeps are the ones "
         "to trust.\n"
         "- **Sample ratio mismatch (SRM)**: visitors are not split as allocated, a sign of a "
         "broken assignment.\n";
}

} // namespace reckon::report::markdown
