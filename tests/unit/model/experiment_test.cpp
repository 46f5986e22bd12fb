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

TEST(Slice, OrdersByTypeThenValueThenDate) {
  EXPECT_LT((Slice{"day", "2026-09-01", ""}), (Slice{"day", "2026-09-02", ""}));
  EXPECT_TRUE(Slice::overall().is_overall());
  EXPECT_FALSE((Slice{"day", "2026-09-01", ""}).is_overall());
}

} // namespace
} // namespace reckon::model
