#include "reckon/store/store.hpp"

#include "store_fixture.hpp"
#include "support/paths.hpp"

#include <gtest/gtest.h>

namespace reckon::store {
namespace {

using test::must_open;

TEST(StoreActions, AStoreThatNeverActedListsNoneAndKeepsItsSchema) {
  const auto file = reckon::test::fresh_temp_dir("store-actions-none") / "reckon.db";
  const Store store = must_open(file);
  const auto actions = store.actions();
  ASSERT_TRUE(actions) << actions.error().describe();
  EXPECT_TRUE(actions->empty());
  EXPECT_EQ(test::query_sql(file, "SELECT count(*) FROM sqlite_schema WHERE name = 'action'"), "0");
}

TEST(StoreActions, RecordedActionsReadBackInOrderAndSurviveReopening) {
  const auto file = reckon::test::fresh_temp_dir("store-actions-kept") / "reckon.db";
  {
    Store store = must_open(file);
    const auto first = store.add_action({0, 2000, "pause", "exp-b", "srm", "dry run"});
    const auto second =
        store.add_action({0, 1000, "pause", "exp-a", "conversion_drop", "failed: HTTP 500"});
    ASSERT_TRUE(first && second);
    EXPECT_NE(*first, *second);
  }
  const Store reopened = must_open(file);
  const auto actions = reopened.actions();
  ASSERT_TRUE(actions) << actions.error().describe();
  ASSERT_EQ(actions->size(), 2U);
  EXPECT_EQ((*actions)[0].experiment, "exp-a");
  EXPECT_EQ((*actions)[0].at_ms, 1000);
  EXPECT_EQ((*actions)[0].reason, "conversion_drop");
  EXPECT_EQ((*actions)[0].outcome, "failed: HTTP 500");
  EXPECT_EQ((*actions)[1].experiment, "exp-b");
  EXPECT_EQ((*actions)[1].action, "pause");
  EXPECT_EQ((*actions)[1].outcome, "dry run");
}

} // namespace
} // namespace reckon::store
