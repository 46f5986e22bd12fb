#include "reckon/analysis/milestones.hpp"

#include <gtest/gtest.h>

namespace reckon::analysis {
namespace {

TEST(Milestones, ReachedAtSevenAndFourteenDaysAndAtTheEnd) {
  EXPECT_EQ(milestone_reached(6, "started"), Milestone::none);
  EXPECT_EQ(milestone_reached(7, "started"), Milestone::days_7);
  EXPECT_EQ(milestone_reached(13, ""), Milestone::days_7);
  EXPECT_EQ(milestone_reached(14, "started"), Milestone::days_14);
  EXPECT_EQ(milestone_reached(40, "paused"), Milestone::days_14);
  EXPECT_EQ(milestone_reached(3, "ended"), Milestone::ended);
  EXPECT_EQ(milestone_reached(std::nullopt, "started"), Milestone::none);
}

TEST(Milestones, OnlyALaterMilestoneThanAnyReportedIsDue) {
  EXPECT_EQ(milestone_due(Milestone::days_7, Milestone::none), Milestone::days_7);
  EXPECT_EQ(milestone_due(Milestone::days_7, Milestone::days_7), Milestone::none);
  EXPECT_EQ(milestone_due(Milestone::days_14, Milestone::days_7), Milestone::days_14);
  // A first run past several stages reports the latest only.
  EXPECT_EQ(milestone_due(Milestone::ended, Milestone::none), Milestone::ended);
  EXPECT_EQ(milestone_due(Milestone::days_14, Milestone::ended), Milestone::none);
  EXPECT_EQ(milestone_due(Milestone::none, Milestone::none), Milestone::none);
}

TEST(Milestones, LabelsReadBack) {
  for (const Milestone milestone : {Milestone::days_7, Milestone::days_14, Milestone::ended}) {
    EXPECT_EQ(milestone_of_label(milestone_label(milestone)), milestone);
  }
  EXPECT_EQ(milestone_label(Milestone::days_14), "14_days");
  EXPECT_EQ(milestone_words(Milestone::days_14), "14 days live");
  EXPECT_EQ(milestone_of_label(""), Milestone::none);
  EXPECT_EQ(milestone_of_label("30_days"), Milestone::none);
}

TEST(Milestones, TheSummaryReadsInThreeLines) {
  MilestoneSummary summary;
  summary.verdict = "WINNER";
  summary.metric = "conversion_rate";
  summary.uplifts = {{"Free shipping", 0.061, 0.02, 0.103}};
  summary.segment_winners = {{"device_type", "Mobile", "Free shipping", 0.12}};
  summary.day_types = {{"Free shipping", 0.05, 0.09, "same on both"}};
  EXPECT_EQ(describe_milestone(summary),
            (std::vector<std::string>{
                "Verdict WINNER on conversion rate: Free shipping +6.1 % [+2.0 %, +10.3 %] (95 % "
                "interval)",
                "Segment winners: Mobile (device_type): Free shipping +12.0 %",
                "Weekday/weekend: Free shipping weekdays +5.0 %, weekends +9.0 %: same on both"}));
  summary.segment_winners = {{"device_type", "Mobile", "A", 0.12},
                             {"device_type", "Desktop", "A", 0.30},
                             {"country_code", "US", "A", 0.05},
                             {"country_code", "CA", "A", std::nullopt},
                             {"visitor_type", "New", "A", 0.20}};
  EXPECT_EQ(describe_milestone(summary)[1],
            "Segment winners: Desktop (device_type): A +30.0 %, New (visitor_type): A +20.0 %, "
            "Mobile (device_type): A +12.0 %, and 2 more");
  summary = MilestoneSummary{};
  summary.segments_note = "no segment data";
  summary.day_type_note = "no day slices";
  EXPECT_EQ(describe_milestone(summary),
            (std::vector<std::string>{"Verdict none", "Segment winners: no segment data",
                                      "Weekday/weekend: no day slices"}));
}

} // namespace
} // namespace reckon::analysis
