#include "reckon/store/store.hpp"

#include "store_fixture.hpp"
#include "support/paths.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reckon::store {
namespace {

using test::must_open;

std::filesystem::path fresh_store_file(const char* purpose) {
  return reckon::test::fresh_temp_dir(purpose) / "reckon.db";
}

// The file's size as SQLite counts it, read through a connection of the test's own.
std::int64_t pages_bytes(const std::filesystem::path& file) {
  return std::stoll(test::query_sql(file, "PRAGMA page_count")) *
         std::stoll(test::query_sql(file, "PRAGMA page_size"));
}

// A check run shaped like the demo account's: experiments named by UUIDs, segments and day
// slices, and seven figures per cell, a few of them null on one side. Every cell's key is
// its own: experiment i % 40 and variation i / 40.
std::vector<KeptCell> demo_like_run(int cells, double shift) {
  std::vector<KeptCell> run;
  for (int i = 0; i < cells; ++i) {
    KeptCell cell;
    cell.key = {"30038336-e5ab-4e26-aa40-ab6e8aabff" + std::to_string(i % 40 + 10),
                i % 3 == 0 ? "day" : "device_type",
                i % 3 == 0 ? "2026-09-" + std::to_string(i % 28 + 1) : "Mobile",
                "",
                i % 2 == 0 ? "conversion_rate" : "net_revenue_per_visitor",
                "variation-" + std::to_string(i / 40)};
    const double base = 0.001 * i + shift;
    for (const char* field : {"value", "ci_low", "ci_high", "p2bb", "p2bc", "uplift.value"}) {
      cell.figures.push_back({field, base + 0.1, base + 0.1000001});
    }
    cell.figures.push_back({"plus_minus", base, std::nullopt});
    run.push_back(std::move(cell));
  }
  return run;
}

TEST(StoreRuns, KeepEachCellsFiguresExactly) {
  Store store = must_open(fresh_store_file("runs"));
  const std::vector<KeptCell> cells{
      {{"exp", "overall", "All", "", "conversion_rate", "control"},
       {{"value", 0.0251, 0.025099999999999997}, {"p2bb", std::nullopt, 0.42}}},
      {{"exp", "device_type", "Mobile", "2026-09-05", "conversion_rate", "variant"},
       {{"value", std::nullopt, std::nullopt}}},
  };
  const auto later = store.add_run("check", 2'000, "after fix", cells);
  const auto earlier = store.add_run("check", 1'000, "before", {cells.data(), 1});
  ASSERT_TRUE(later && earlier) << (later ? earlier : later).error().describe();

  const auto run = store.run(*later);
  ASSERT_TRUE(run && run->has_value());
  const KeptRun& kept = **run;
  EXPECT_EQ(kept.summary.command, "check");
  EXPECT_EQ(kept.summary.at_ms, 2'000);
  EXPECT_EQ(kept.summary.label, "after fix");
  EXPECT_EQ(kept.summary.cells, 2);
  EXPECT_EQ(kept.summary.figures, 3);
  EXPECT_FALSE(kept.document);
  ASSERT_EQ(kept.cells.size(), 2U);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    EXPECT_EQ(kept.cells[i].key, cells[i].key);
    ASSERT_EQ(kept.cells[i].figures.size(), cells[i].figures.size());
    for (std::size_t f = 0; f < cells[i].figures.size(); ++f) {
      EXPECT_EQ(kept.cells[i].figures[f].field, cells[i].figures[f].field);
      EXPECT_EQ(kept.cells[i].figures[f].reported, cells[i].figures[f].reported); // bit for bit
      EXPECT_EQ(kept.cells[i].figures[f].recomputed, cells[i].figures[f].recomputed);
    }
  }
  EXPECT_FALSE(store.run(*later + 100)->has_value());

  const auto listed = store.runs();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ((*listed)[0].label, "before"); // oldest first
  EXPECT_EQ((*listed)[0].cells, 1);
  EXPECT_EQ((*listed)[0].figures, 2);
  EXPECT_GT((*listed)[1].size_bytes, (*listed)[0].size_bytes);
  // Both runs share the first cell's key.
  EXPECT_EQ(test::query_sql(store.file(), "SELECT count(*) FROM check_cell"), "2");
}

// Schema version 1 appended each run's whole results document: 22.3 MB a run on the demo
// account, 62,644 reported figures, so ~356 bytes per figure. A run now costs a small fraction.
TEST(StoreRuns, FiveChecksGrowTheStoreByASmallBoundedAmount) {
  const auto file = fresh_store_file("runs");
  constexpr int k_cells = 3000;
  constexpr std::int64_t k_figures = 7 * k_cells;
  { must_open(file); }
  std::vector<std::int64_t> sizes{pages_bytes(file)};
  for (int run = 0; run < 5; ++run) {
    {
      Store store = must_open(file);
      const auto cells = demo_like_run(k_cells, run * 0.01);
      ASSERT_TRUE(store.add_run("check", run, "reckon check", cells));
    }
    sizes.push_back(pages_bytes(file));
  }
  // The first run also stores every cell's key once; later runs only their numbers.
  EXPECT_LT(sizes[5] - sizes[0], 5 * 48 * k_figures);
  for (std::size_t run = 2; run < sizes.size(); ++run) {
    const std::int64_t growth = sizes[run] - sizes[run - 1];
    EXPECT_GT(growth, 0);
    EXPECT_LT(growth, 36 * k_figures) << "run " << run; // a tenth of version 1's ~356
  }
}

TEST(StoreRuns, PruneKeepsTheNewestRunsAndGivesTheSpaceBack) {
  const auto file = fresh_store_file("runs");
  Store store = must_open(file);
  std::vector<std::int64_t> ids;
  for (int run = 0; run < 5; ++run) {
    // Run 4 brings cells of its own, which nothing uses once it is pruned.
    const auto cells = demo_like_run(run == 4 ? 1500 : 1000, run * 0.01);
    const auto id = store.add_run("check", run == 4 ? -1 : run, "reckon check", cells);
    ASSERT_TRUE(id);
    ids.push_back(*id);
  }
  const auto pruned = store.prune(2);
  ASSERT_TRUE(pruned) << pruned.error().describe();
  EXPECT_EQ(pruned->runs, 3);
  EXPECT_EQ(pruned->figures, 7 * (1000 + 1000 + 1500));
  EXPECT_EQ(pruned->cells, 500);
  EXPECT_LT(pruned->bytes_after, pruned->bytes_before / 2);
  EXPECT_EQ(pruned->bytes_after, pages_bytes(file));
  EXPECT_EQ(static_cast<std::int64_t>(std::filesystem::file_size(file)), pruned->bytes_after);

  // The newest two by time: ids[2] and ids[3] (ids[4] ran "earliest").
  const auto left = store.runs();
  ASSERT_TRUE(left);
  ASSERT_EQ(left->size(), 2U);
  EXPECT_EQ((*left)[0].id, ids[2]);
  EXPECT_EQ((*left)[1].id, ids[3]);
  EXPECT_EQ((*store.run(ids[3]))->cells.size(), 1000U);
  EXPECT_FALSE(store.run(ids[0])->has_value());
  EXPECT_EQ(test::query_sql(file, "SELECT count(*) FROM check_figure"), "14000");

  const auto nothing = store.prune(2);
  ASSERT_TRUE(nothing);
  EXPECT_EQ(nothing->runs, 0);
  const auto all = store.prune(0);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->runs, 2);
  EXPECT_EQ(test::query_sql(file, "SELECT count(*) FROM check_cell"), "0");
}

TEST(StoreRuns, AVersionOneStoreIsMigratedAndKeepsItsRunsReadable) {
  const auto file = fresh_store_file("runs");
  test::execute_sql(file, test::k_version_1_store);
  {
    util::Result<Store> store = Store::open_existing(file);
    ASSERT_TRUE(store) << store.error().describe();
    EXPECT_EQ(test::query_sql(file, "PRAGMA user_version"), "3");
    const auto all = store->all();
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 1U);
    EXPECT_EQ(all->front().body, "[]");

    const auto old = store->run(1);
    ASSERT_TRUE(old && old->has_value());
    EXPECT_EQ((*old)->summary.label, "reckon check");
    EXPECT_EQ((*old)->summary.at_ms, 5);
    EXPECT_EQ((*old)->document, R"({"schema":"reckon.results/v1"})");
    EXPECT_TRUE((*old)->cells.empty());
    EXPECT_EQ((*old)->summary.size_bytes, 30); // the document's bytes

    const auto cells = demo_like_run(10, 0.0);
    const auto added = store->add_run("check", 6, "reckon check", cells);
    ASSERT_TRUE(added);
    EXPECT_EQ(*added, 2);
    EXPECT_FALSE((*store->run(2))->document);
  }
  // Reopening migrates nothing twice.
  Store store = must_open(file);
  EXPECT_EQ(store.runs()->size(), 2U);
  const auto pruned = store.prune(1);
  ASSERT_TRUE(pruned);
  EXPECT_EQ(pruned->runs, 1);
  EXPECT_EQ(test::query_sql(file, "SELECT count(*) FROM check_run WHERE document != ''"), "0");
}

TEST(StoreRuns, MigratingLeavesTheOldDocumentsWhereTheyAre) {
  const auto file = fresh_store_file("runs");
  test::execute_sql(file, test::k_version_1_store);
  test::execute_sql(file, "INSERT INTO check_run VALUES (2, 'check', 6, 'big', "
                          "printf('%.*c', 2000000, 'x'))");
  const std::int64_t before = pages_bytes(file);
  { must_open(file); }
  EXPECT_LT(pages_bytes(file), before + 100'000); // nothing copied
  Store store = must_open(file);
  const auto big = store.run(2);
  ASSERT_TRUE(big && big->has_value());
  EXPECT_EQ((*big)->document->size(), 2'000'000U);
}

} // namespace
} // namespace reckon::store
