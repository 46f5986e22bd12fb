#include "reckon/model/experiment.hpp"

#include <gtest/gtest.h>

namespace reckon::model {
namespace {

TEST(Experiment, FindsTheControlWhereverItStands) {
  Experiment experiment;
  experiment.variations = {{"b", "B", false, {}}, {"a", "A", true, {}}, {"c", "C", false, {}}};
  EXPECT_EQ(experiment.control_index(), 1U);
}

TEST(Experiment, RuntimeCountsDistinctDaysFromDayAndSegmentDaySlices) {
  Experiment experiment;
  EXPECT_FALSE(experiment.runtime_days());
  experiment.cells.push_back({Slice::overall(), {}, {}});
  experiment.cells.push_back({{"day", "2026-09-01", ""}, {}, {}});
  experiment.cells.push_back({{"day", "2026-09-02", ""}, {}, {}});
  experiment.cells.push_back({{"device_type", "Mobile", "2026-09-02"}, {}, {}});
  experiment.cells.push_back({{"device_type", "Mobile", "2026-09-03"}, {}, {}});
  EXPECT_EQ(experiment.runtime_days(), 3);
}

TEST(Experiment, WithoutDaySlicesRuntimeIsTheDatedSpanOfAnEndedTest) {
  Experiment experiment;
  experiment.cells.push_back({Slice::overall(), {}, {}});
  experiment.started_at_ms = 1'788'220'800'000; // 2026-09-01T00:00:00Z
  EXPECT_FALSE(experiment.runtime_days()) << "a test still running has no end to count to";
  experiment.ended_at_ms = *experiment.started_at_ms + 21 * 86'400'000LL;
  EXPECT_EQ(experiment.runtime_days(), 21);
  experiment.ended_at_ms = *experiment.ended_at_ms + 3'600'000; // a started day counts
  EXPECT_EQ(experiment.runtime_days(), 22);
  experiment.cells.push_back({{"day", "2026-09-01", ""}, {}, {}});
  EXPECT_EQ(experiment.runtime_days(), 1) << "day slices, where there are any, decide";
}

TEST(Slice, OrdersByTypeThenValueThenDate) {
  EXPECT_LT((Slice{"day", "2026-09-01", ""}), (Slice{"day", "2026-09-02", ""}));
  EXPECT_TRUE(Slice::overall().is_overall());
  EXPECT_FALSE((Slice{"day", "2026-09-01", ""}).is_overall());
}

} // namespace
} // namespace reckon::model
