#include "reckon/analysis/milestones.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <array>

namespace reckon::analysis {
namespace {

struct MilestoneName {
  Milestone milestone;
  std::string_view label;
  std::string_view words;
};

constexpr std::array<MilestoneName, 3> k_names{{{Milestone::days_7, "7_days", "7 days live"},
                                                {Milestone::days_14, "14_days", "14 days live"},
                                                {Milestone::ended, "ended", "ended"}}};

// The segment winners a summary for people names; JSON lists them all.
constexpr std::size_t k_winners_described = 3;

// The days live at which seed 000 sends its first and second automated reports.
constexpr int k_first_report_days = 7;
constexpr int k_second_report_days = 14;

std::string variation_name(const std::vector<model::Variation>& variations, std::string_view id) {
  const auto found = std::find_if(variations.begin(), variations.end(),
                                  [&](const model::Variation& v) { return v.id == id; });
  if (found == variations.end()) {
    return std::string(id);
  }
  return found->name.empty() ? found->id : found->name;
}

std::string percent(std::optional<double> fraction) {
  return fraction ? util::format_signed_percent(*fraction) : "n/a";
}

std::string metric_words(std::string metric) {
  std::replace(metric.begin(), metric.end(), '_', ' ');
  return metric;
}

void add_segment_winners(MilestoneSummary& summary, const ExperimentSegments& segments) {
  const std::string metric = segments.metrics.empty() ? summary.metric : segments.metrics.front();
  for (const SegmentRow& row : segments.rows) {
    if (row.metric == metric && row.pooled.verdict == SegmentVerdict::winner) {
      summary.segment_winners.push_back({row.dimension, row.segment,
                                         variation_name(segments.variations, row.variation_id),
                                         row.pooled.evidence.uplift});
    }
  }
  if (segments.rows.empty()) {
    summary.segments_note = "no segment data";
  } else if (summary.segment_winners.empty()) {
    summary.segments_note = "no segment wins after pooling";
  }
}

void add_day_types(MilestoneSummary& summary, const ExperimentTimeline& timeline) {
  for (const VariationTimeline& variation : timeline.timelines) {
    if (variation.metric != timeline.metric) {
      continue;
    }
    const DayTypeContrast& contrast = variation.day_type;
    const auto uplift = [](const CellResult& cell) {
      return cell.uplift ? cell.uplift->value : std::nullopt;
    };
    summary.day_types.push_back(
        {variation_name(timeline.variations, variation.variation_id), uplift(contrast.weekday),
         uplift(contrast.weekend),
         contrast.difference ? contrast.call : "no comparison: " + contrast.difference_reason});
  }
}

} // namespace

std::string_view milestone_label(Milestone milestone) {
  for (const MilestoneName& name : k_names) {
    if (name.milestone == milestone) {
      return name.label;
    }
  }
  return "";
}

Milestone milestone_of_label(std::string_view label) {
  for (const MilestoneName& name : k_names) {
    if (name.label == label) {
      return name.milestone;
    }
  }
  return Milestone::none;
}

std::string_view milestone_words(Milestone milestone) {
  for (const MilestoneName& name : k_names) {
    if (name.milestone == milestone) {
      return name.words;
    }
  }
  return "";
}

Milestone milestone_reached(std::optional<int> runtime_days, std::string_view experiment_status) {
  if (experiment_status == "ended") {
    return Milestone::ended;
  }
  const int days = runtime_days.value_or(0);
  return days >= k_second_report_days  ? Milestone::days_14
         : days >= k_first_report_days ? Milestone::days_7
                                       : Milestone::none;
}

Milestone milestone_due(Milestone reached, Milestone reported_before) {
  return reached > reported_before ? reached : Milestone::none;
}

MilestoneSummary summarize_milestone(const ExperimentResult& result, Milestone milestone,
                                     std::string verdict, double level,
                                     const ExperimentSegments* segments,
                                     const ExperimentTimeline* timeline) {
  MilestoneSummary summary;
  summary.id = result.id;
  summary.name = result.name;
  summary.milestone = milestone;
  summary.runtime_days = result.runtime_days;
  summary.verdict = std::move(verdict);
  summary.level = level;
  summary.metric = result.verdict ? result.verdict->metric : "";
  for (const CellResult& cell : result.cells) {
    if (cell.slice.is_overall() && !cell.is_control && cell.metric == summary.metric) {
      const UpliftEstimate uplift = cell.uplift.value_or(UpliftEstimate{});
      summary.uplifts.push_back({variation_name(result.variations, cell.variation_id), uplift.value,
                                 uplift.ci_low, uplift.ci_high});
    }
  }
  if (segments != nullptr) {
    add_segment_winners(summary, *segments);
  } else {
    summary.segments_note = "no segment data";
  }
  if (timeline != nullptr) {
    add_day_types(summary, *timeline);
  }
  if (summary.day_types.empty()) {
    summary.day_type_note = "no day slices";
  }
  return summary;
}

std::vector<std::string> describe_milestone(const MilestoneSummary& summary) {
  const std::string level = util::format_fixed(summary.level * 100.0, 0) + " %";
  std::string uplifts;
  for (const MilestoneUplift& uplift : summary.uplifts) {
    uplifts += (uplifts.empty() ? "" : "; ") + uplift.variation + " " + percent(uplift.uplift) +
               (uplift.ci_low && uplift.ci_high
                    ? " [" + percent(uplift.ci_low) + ", " + percent(uplift.ci_high) + "]"
                    : "");
  }
  std::vector<std::string> lines{
      "Verdict " + (summary.verdict.empty() ? std::string("none") : summary.verdict) +
      (summary.metric.empty() ? "" : " on " + metric_words(summary.metric)) +
      (uplifts.empty() ? "" : ": " + uplifts + " (" + level + " interval)")};
  // The largest wins first, a few of them: a strong overall effect makes most segments win.
  std::vector<const MilestoneSegmentWinner*> ranked;
  for (const MilestoneSegmentWinner& winner : summary.segment_winners) {
    ranked.push_back(&winner);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto* a, const auto* b) {
    return a->uplift.value_or(-1.0) > b->uplift.value_or(-1.0);
  });
  std::string winners;
  for (std::size_t i = 0; i < std::min(ranked.size(), k_winners_described); ++i) {
    winners += (winners.empty() ? "" : ", ") + ranked[i]->segment + " (" + ranked[i]->dimension +
               "): " + ranked[i]->variation + " " + percent(ranked[i]->uplift);
  }
  if (ranked.size() > k_winners_described) {
    winners += ", and " + std::to_string(ranked.size() - k_winners_described) + " more";
  }
  lines.push_back("Segment winners: " + (winners.empty() ? summary.segments_note : winners));
  std::string days;
  for (const MilestoneDayType& day_type : summary.day_types) {
    days += (days.empty() ? "" : "; ") + day_type.variation + " weekdays " +
            percent(day_type.weekday_uplift) + ", weekends " + percent(day_type.weekend_uplift) +
            ": " + day_type.finding;
  }
  lines.push_back("Weekday/weekend: " + (days.empty() ? summary.day_type_note : days));
  return lines;
}

} // namespace reckon::analysis
