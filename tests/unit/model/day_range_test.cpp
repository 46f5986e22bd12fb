#include "reckon/model/day_range.hpp"

#include <gtest/gtest.h>

namespace reckon::model {
namespace {

DayRange range(const char* from, const char* to) {
  DayRange days;
  if (*from != '\0') {
    days.from = util::Date::parse(from);
  }
  if (*to != '\0') {
    days.to = util::Date::parse(to);
  }
  return days;
}

ArmCounts arm(const char* id, std::uint64_t visitors, std::uint64_t orders, double revenue,
              std::optional<double> revenue_sq = std::nullopt) {
  ArmCounts counts;
  counts.variation_id = id;
  counts.visitors = visitors;
  counts.conversions = orders;
  counts.revenue = revenue;
  counts.revenue_sq = revenue_sq;
  return counts;
}

CountsCell cell(Slice slice, ArmCounts control, ArmCounts variant) {
  CountsCell counts;
  counts.slice = std::move(slice);
  counts.arms = {std::move(control), std::move(variant)};
  counts.origin = "test.csv";
  return counts;
}

// Three days with overall and device_type segments on each, visitor_type only over the window.
Experiment three_days() {
  Experiment experiment;
  experiment.id = "e1";
  experiment.name = "Free shipping";
  experiment.variations = {{"a", "A", true, {}}, {"b", "B", false, {}}};
  experiment.cells = {
      cell(Slice::overall(), arm("a", 600, 60, 6000, 7e5), arm("b", 610, 70, 7100, 8e5)),
      cell({"device_type", "Mobile", ""}, arm("a", 400, 30, 3000, 4e5),
           arm("b", 410, 40, 4100, 5e5)),
      cell({"visitor_type", "New", ""}, arm("a", 300, 20, 2000, 2e5), arm("b", 310, 25, 2600, 3e5)),
  };
  for (int d = 1; d <= 3; ++d) {
    const std::string date = "2026-09-0" + std::to_string(d);
    const auto n = static_cast<std::uint64_t>(d);
    experiment.cells.push_back(cell({"day", date, ""},
                                    arm("a", 100 * n, 10 * n, 1000.0 * d, 1e5 * d),
                                    arm("b", 101 * n, 11 * n, 1100.0 * d, 2e5 * d)));
    experiment.cells.push_back(cell({"device_type", "Mobile", date},
                                    arm("a", 60 * n, 5 * n, 500.0 * d),
                                    arm("b", 61 * n, 6 * n, 600.0 * d)));
  }
  return experiment;
}

const CountsCell* find(const Experiment& experiment, const Slice& slice) {
  for (const CountsCell& counts : experiment.cells) {
    if (counts.slice == slice) {
      return &counts;
    }
  }
  return nullptr;
}

TEST(DayRange, ContainsItsBoundsAndSaysThem) {
  const DayRange days = range("2026-09-02", "2026-09-03");
  EXPECT_FALSE(days.contains("2026-09-01"));
  EXPECT_TRUE(days.contains("2026-09-02"));
  EXPECT_TRUE(days.contains("2026-09-03"));
  EXPECT_FALSE(days.contains("2026-09-04"));
  EXPECT_FALSE(days.contains("not a date"));
  EXPECT_EQ(days.describe(), "2026-09-02 to 2026-09-03");
  EXPECT_EQ(range("2026-09-02", "").describe(), "2026-09-02 to the last day");
  EXPECT_TRUE(range("", "").contains("1999-01-01"));
  EXPECT_FALSE(range("", "").bounded());
}

TEST(KeepDays, RebuildsTheOverallAndSegmentsAsExactSumsOfTheKeptDays) {
  Dataset dataset;
  dataset.experiments.push_back(three_days());
  const DayCut cut = keep_days(std::move(dataset), range("2026-09-02", ""));
  ASSERT_EQ(cut.dataset.experiments.size(), 1U);
  const Experiment& experiment = cut.dataset.experiments.front();

  const CountsCell* overall = find(experiment, Slice::overall());
  ASSERT_NE(overall, nullptr);
  // Days 2 and 3: 200 + 300 visitors, 20 + 30 orders, 2000 + 3000 revenue, (2 + 3) x 1e5.
  EXPECT_EQ(overall->arms[0].variation_id, "a");
  EXPECT_EQ(overall->arms[0].visitors, 500U);
  EXPECT_EQ(overall->arms[0].conversions, 50U);
  EXPECT_DOUBLE_EQ(overall->arms[0].revenue, 5000.0);
  EXPECT_DOUBLE_EQ(*overall->arms[0].revenue_sq, 5e5);
  EXPECT_EQ(overall->arms[1].visitors, 505U);
  EXPECT_EQ(overall->arms[1].conversions, 55U);
  EXPECT_DOUBLE_EQ(*overall->arms[1].revenue_sq, 1e6);
  EXPECT_TRUE(overall->arms[0].reported.empty());
  ASSERT_TRUE(experiment.rebuilt_window);
  EXPECT_EQ(experiment.rebuilt_window->derivation,
            "a sum of the 2 days 2026-09-02 to 2026-09-03 in the day range: "
            "counts only, the source's statistics describe single days or "
            "the whole window");

  // Mobile from its segment-on-day slices; they lack revenue_sq, so the sum does too.
  const CountsCell* mobile = find(experiment, {"device_type", "Mobile", ""});
  ASSERT_NE(mobile, nullptr);
  EXPECT_EQ(mobile->arms[0].visitors, 300U);
  EXPECT_EQ(mobile->arms[1].conversions, 30U);
  EXPECT_DOUBLE_EQ(mobile->arms[1].revenue, 3000.0);
  EXPECT_FALSE(mobile->arms[0].revenue_sq);

  // visitor_type has no per-day data: left out, and said.
  EXPECT_EQ(find(experiment, {"visitor_type", "New", ""}), nullptr);
  ASSERT_EQ(cut.notes.size(), 1U);
  EXPECT_EQ(cut.notes[0].experiment_name, "Free shipping");
  EXPECT_EQ(cut.notes[0].without_day_data, std::vector<std::string>{"visitor_type"});
  EXPECT_FALSE(cut.notes[0].experiment_left_out);

  // The day slices outside the range are gone, those inside kept as they were.
  EXPECT_EQ(find(experiment, {"day", "2026-09-01", ""}), nullptr);
  EXPECT_EQ(find(experiment, {"device_type", "Mobile", "2026-09-01"}), nullptr);
  ASSERT_NE(find(experiment, {"day", "2026-09-03", ""}), nullptr);
  EXPECT_EQ(find(experiment, {"day", "2026-09-03", ""})->arms[0].visitors, 300U);
  EXPECT_EQ(experiment.cells.size(), 2U + 4U);
  // The source's overall stays as the source of spreads.
  ASSERT_TRUE(experiment.rebuilt_window->source_overall);
  EXPECT_EQ(experiment.rebuilt_window->source_overall->arms[0].visitors, 600U);
}

TEST(KeepDays, AnExperimentThatLosesNoDayStaysAsItIs) {
  Dataset dataset;
  dataset.experiments.push_back(three_days());
  const DayCut cut = keep_days(std::move(dataset), range("2026-08-01", "2026-09-03"));
  ASSERT_EQ(cut.dataset.experiments.size(), 1U);
  EXPECT_TRUE(cut.notes.empty());
  const Experiment& experiment = cut.dataset.experiments.front();
  EXPECT_EQ(experiment.cells.size(), three_days().cells.size());
  EXPECT_EQ(find(experiment, Slice::overall())->arms[0].visitors, 600U);
  EXPECT_FALSE(experiment.rebuilt_window);
}

TEST(KeepDays, ExperimentsWithoutDaysInTheRangeAreLeftOutAndSaid) {
  Dataset dataset;
  dataset.experiments.push_back(three_days());
  Experiment no_days = three_days();
  no_days.id = "e2";
  no_days.cells.resize(3); // the whole-window slices only
  dataset.experiments.push_back(no_days);
  const DayCut cut = keep_days(std::move(dataset), range("2026-09-05", ""));
  EXPECT_TRUE(cut.dataset.experiments.empty());
  ASSERT_EQ(cut.notes.size(), 2U);
  EXPECT_TRUE(cut.notes[0].experiment_left_out);
  EXPECT_TRUE(cut.notes[0].has_days);
  EXPECT_EQ(cut.notes[1].experiment_id, "e2");
  EXPECT_TRUE(cut.notes[1].experiment_left_out);
  EXPECT_FALSE(cut.notes[1].has_days);
}

TEST(KeepDays, ASegmentMissingOnAKeptDayIsNotRebuiltFromTheOthers) {
  Experiment experiment = three_days();
  // Day 3's device view was never fetched: Mobile over days 2-3 would count only day 2.
  std::erase_if(experiment.cells, [](const CountsCell& c) {
    return c.slice == Slice{"device_type", "Mobile", "2026-09-03"};
  });
  Dataset dataset;
  dataset.experiments.push_back(experiment);
  const DayCut cut = keep_days(std::move(dataset), range("2026-09-02", ""));
  EXPECT_EQ(find(cut.dataset.experiments.front(), {"device_type", "Mobile", ""}), nullptr);
  ASSERT_EQ(cut.notes.size(), 1U);
  EXPECT_EQ(cut.notes[0].without_day_data,
            (std::vector<std::string>{"device_type", "visitor_type"}));
}

TEST(KeepDays, OptionalSumsAndTotalsSurviveOnlyWhereEveryDayHasThem) {
  Experiment experiment = three_days();
  for (CountsCell& counts : experiment.cells) {
    if (counts.slice.segment_type == "day") {
      counts.arms[0].profit = 10.0;
      counts.arms[0].profit_sq = 100.0;
      counts.arms[0].totals["total_units"] = 3.0;
      if (counts.slice.segment != "2026-09-03") {
        counts.arms[0].totals["n_visitors_added_to_cart"] = 7.0;
      }
    }
  }
  Dataset dataset;
  dataset.experiments.push_back(experiment);
  const DayCut cut = keep_days(std::move(dataset), range("", "2026-09-02"));
  const ArmCounts& control = find(cut.dataset.experiments.front(), Slice::overall())->arms[0];
  EXPECT_DOUBLE_EQ(*control.profit, 20.0);
  EXPECT_DOUBLE_EQ(*control.profit_sq, 200.0);
  EXPECT_EQ(control.totals, (std::map<std::string, double, std::less<>>{
                                {"n_visitors_added_to_cart", 14.0}, {"total_units", 6.0}}));
  const DayCut later = keep_days({{experiment}}, range("2026-09-02", ""));
  const ArmCounts& later_control =
      find(later.dataset.experiments.front(), Slice::overall())->arms[0];
  EXPECT_EQ(later_control.totals,
            (std::map<std::string, double, std::less<>>{{"total_units", 6.0}}));
  EXPECT_FALSE(find(later.dataset.experiments.front(), Slice::overall())->arms[1].profit);
}

} // namespace
} // namespace reckon::model
