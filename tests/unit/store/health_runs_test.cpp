// Health runs kept in the store (issue 15): what `reckon health --notify-on change`, its
// milestones and `--history` read back, and the migration of stores written before.
#include "reckon/store/store.hpp"

#include "support/paths.hpp"
#include "support/scratch_mount.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

namespace reckon::store {
namespace {

using test::must_open;

KeptHealthRun first_run() {
  return {0,
          1'000,
          "2026-09-07",
          {{"exp-b",
            "Bundle",
            "critical",
            "TOO EARLY",
            7,
            {{"conversion_drop", "critical"}, {"min_runtime", "watch"}},
            "7_days"},
           {"exp-a", "Shipping", "healthy", "WINNER", std::nullopt, {}, ""}}};
}

KeptHealthRun second_run() {
  return {0,
          2'000,
          "2026-09-08",
          {{"exp-a", "Shipping", "watch", "WINNER", 12, {{"stalled", "watch"}}, "ended"}}};
}

TEST(StoreHealthRuns, KeptRunsReadBackWholeInOrder) {
  const auto file = reckon::test::fresh_temp_dir("store-health") / "reckon.db";
  {
    Store store = must_open(file);
    const auto empty = store.health_runs();
    ASSERT_TRUE(empty) << empty.error().describe();
    EXPECT_TRUE(empty->empty());
    const auto first = store.add_health_run(first_run());
    const auto second = store.add_health_run(second_run());
    ASSERT_TRUE(first && second);
    EXPECT_LT(*first, *second);
  }
  const Store store = must_open(file);
  const auto runs = store.health_runs();
  ASSERT_TRUE(runs) << runs.error().describe();
  ASSERT_EQ(runs->size(), 2U);
  EXPECT_EQ((*runs)[0].at_ms, 1'000);
  EXPECT_EQ((*runs)[0].as_of, "2026-09-07");
  EXPECT_EQ((*runs)[0].tests, first_run().tests); // the run's order, reasons worst first
  EXPECT_EQ((*runs)[1].as_of, "2026-09-08");
  EXPECT_EQ((*runs)[1].tests, second_run().tests);
  EXPECT_EQ(test::query_sql(file, "SELECT count(*) FROM health_status WHERE milestone IS NULL"),
            "1");
}

TEST(StoreHealthRuns, OneTestsHistoryLeavesOutRunsWithoutIt) {
  const auto file = reckon::test::fresh_temp_dir("store-health-one") / "reckon.db";
  Store store = must_open(file);
  ASSERT_TRUE(store.add_health_run(first_run()));
  ASSERT_TRUE(store.add_health_run(second_run()));
  const auto bundle = store.health_runs("exp-b");
  ASSERT_TRUE(bundle) << bundle.error().describe();
  ASSERT_EQ(bundle->size(), 1U);
  ASSERT_EQ(bundle->front().tests.size(), 1U);
  EXPECT_EQ(bundle->front().tests.front(), first_run().tests.front());
  const auto shipping = store.health_runs("exp-a");
  ASSERT_TRUE(shipping);
  ASSERT_EQ(shipping->size(), 2U);
  EXPECT_EQ((*shipping)[1].tests.front().reasons,
            (std::vector<KeptHealthReason>{{"stalled", "watch"}}));
  EXPECT_TRUE(store.health_runs("absent")->empty());
}

// A store an older Reckon wrote (schema version 2, with responses and a check run) opens,
// keeps all it held, and takes health runs.
TEST(StoreHealthRuns, AVersionTwoStoreIsMigratedWithItsData) {
  const auto file = reckon::test::fresh_temp_dir("store-health-v2") / "reckon.db";
  test::execute_sql(file, test::k_version_2_store);
  {
    Store store = must_open(file);
    EXPECT_EQ(test::query_sql(file, "PRAGMA user_version"), "3");
    const auto all = store.all();
    ASSERT_TRUE(all) << all.error().describe();
    ASSERT_EQ(all->size(), 1U);
    EXPECT_EQ(all->front().body, R"({"day":1})");
    EXPECT_EQ(all->front().request.day, (contract::DayWindow{"2026-09-01", "UTC"}));
    const auto run = store.run(1);
    ASSERT_TRUE(run && run->has_value());
    ASSERT_EQ((*run)->cells.size(), 1U);
    EXPECT_EQ((*run)->cells.front().figures.front().reported, 0.25);
    EXPECT_TRUE(store.health_runs()->empty());
    ASSERT_TRUE(store.add_health_run(first_run()));
  }
  // Reopening migrates nothing twice and keeps the run.
  const Store store = must_open(file);
  EXPECT_EQ(store.health_runs()->size(), 1U);
  EXPECT_EQ(store.runs()->size(), 1U);
}

TEST(StoreHealthRuns, AVersionOneStoreIsMigratedThroughEveryVersion) {
  const auto file = reckon::test::fresh_temp_dir("store-health-v1") / "reckon.db";
  test::execute_sql(file, test::k_version_1_store);
  Store store = must_open(file);
  EXPECT_EQ(test::query_sql(file, "PRAGMA user_version"), "3");
  ASSERT_TRUE(store.add_health_run(second_run()));
  EXPECT_EQ(store.health_runs()->size(), 1U);
  EXPECT_EQ(store.run(1)->value().summary.label, "reckon check");
}

// Where a version-2 store cannot be migrated (a read-only mount) it is read as it is: its
// responses are there and it has no health runs; opening it to keep one says it is read-only.
TEST(StoreHealthRuns, AVersionTwoStoreReadsWhereItCannotBeMigrated) {
  reckon::test::ScratchMount mount(1024 * 1024);
  if (!mount.available()) {
    GTEST_SKIP() << mount.why_not();
  }
  const std::filesystem::path file = mount.path() / "v2.db";
  test::execute_sql(file, test::k_version_2_store);
  if (!mount.set_read_only(true)) {
    GTEST_SKIP() << mount.why_not();
  }
  util::Result<Store> store = Store::open_read_only(file);
  ASSERT_TRUE(store) << store.error().describe();
  EXPECT_EQ(store->all()->size(), 1U);
  const auto runs = store->health_runs();
  ASSERT_TRUE(runs) << runs.error().describe();
  EXPECT_TRUE(runs->empty());
  const util::Result<Store> writer = Store::open_existing(file);
  ASSERT_FALSE(writer);
  EXPECT_NE(writer.error().message.find("read-only"), std::string::npos)
      << writer.error().describe();
}

} // namespace
} // namespace reckon::store
