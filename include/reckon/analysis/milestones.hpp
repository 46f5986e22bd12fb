#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/analysis/segments.hpp"
#include "reckon/analysis/temporal.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::analysis {

// The stages at which seed 000 reports a test automatically: a week live, two weeks live, and
// its end. Ordered: a later stage supersedes an earlier one.
enum class Milestone { none, days_7, days_14, ended };

// "7_days", "14_days", "ended"; "" for none.
std::string_view milestone_label(Milestone milestone);
// The milestone of a label milestone_label wrote; none for any other text.
Milestone milestone_of_label(std::string_view label);
// "7 days live", "14 days live", "ended"; "" for none.
std::string_view milestone_words(Milestone milestone);

// The latest stage a test has reached: ended when its source says so, else by its days live.
Milestone milestone_reached(std::optional<int> runtime_days, std::string_view experiment_status);

// The milestone to report now: the latest one reached when it is later than every one reported
// before (a test seen for the first time reports the latest it reached, never the earlier ones).
Milestone milestone_due(Milestone reached, Milestone reported_before);

// The primary metric's uplift of one variation over the control.
struct MilestoneUplift {
  std::string variation; // its name
  std::optional<double> uplift;
  std::optional<double> ci_low;
  std::optional<double> ci_high;
};

// A segment where a variation wins on the primary metric after partial pooling (the raw
// winners that noise across segments does not explain).
struct MilestoneSegmentWinner {
  std::string dimension; // "device_type"
  std::string segment;   // "Mobile"
  std::string variation; // its name
  std::optional<double> uplift;
};

// The weekday/weekend finding of one variation on the primary metric.
struct MilestoneDayType {
  std::string variation;
  std::optional<double> weekday_uplift;
  std::optional<double> weekend_uplift;
  std::string finding; // "better at weekends", "same on both", ... or why there is none
};

// The automated report of one test at a milestone: its verdict, the primary metric's uplift and
// interval, the segment winners and the weekday/weekend finding.
struct MilestoneSummary {
  std::string id;
  std::string name;
  Milestone milestone = Milestone::none;
  std::optional<int> runtime_days;
  std::string verdict; // as health words it
  std::string metric;  // the primary metric
  double level = 0.95; // of the intervals
  std::vector<MilestoneUplift> uplifts;
  std::vector<MilestoneSegmentWinner> segment_winners;
  std::string segments_note; // why there are no segment winners to read, when there are none
  std::vector<MilestoneDayType> day_types;
  std::string day_type_note; // why there is no weekday/weekend finding, when there is none
};

// The summary of one analysed test; `segments` and `timeline` are its segment and temporal
// views when it has them (nullptr otherwise).
MilestoneSummary summarize_milestone(const ExperimentResult& result, Milestone milestone,
                                     std::string verdict, double level,
                                     const ExperimentSegments* segments,
                                     const ExperimentTimeline* timeline);

// The summary in three lines for people (tables, alerts): "Verdict WINNER on conversion rate:
// Variant +6.1 % [+2.0 %, +10.3 %]", the three largest segment wins (and how many more), the
// weekday/weekend finding.
std::vector<std::string> describe_milestone(const MilestoneSummary& summary);

} // namespace reckon::analysis
