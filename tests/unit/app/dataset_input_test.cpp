#include "dataset_input.hpp"

#include "reckon/parse/saved_responses.hpp"
#include "reckon/store/store.hpp"

#include "support/paths.hpp"

#include <gtest/gtest.h>

namespace reckon::app {
namespace {

// A store of the demo's saved responses carries the store's daily traffic to whoever loads it
// (the report's store context), and the experiments as before.
TEST(DatasetInput, ALoadedStoreCarriesTheStoresDailyTraffic) {
  const auto dir = test::fresh_temp_dir("dataset-input-sitewide");
  const auto exchanges = parse::read_saved_responses(test::data_dir() / "demo");
  ASSERT_TRUE(exchanges) << exchanges.error().describe();
  {
    auto store = store::Store::open(dir / "demo.db");
    ASSERT_TRUE(store) << store.error().describe();
    ASSERT_TRUE(store->save(*exchanges));
  }
  AnalysisSettings settings;
  settings.store_path = (dir / "demo.db").string();
  const auto loaded = load_dataset(settings);
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_FALSE(loaded->dataset.experiments.empty());
  ASSERT_TRUE(loaded->sitewide.has_value()) << loaded->sitewide_unreadable;
  EXPECT_EQ(loaded->sitewide->currency, "USD");
  ASSERT_FALSE(loaded->sitewide->days.empty());
  EXPECT_EQ(loaded->sitewide->days.front().date, "2026-09-15");
  EXPECT_EQ(loaded->sitewide->days.front().visitors, 11832U);
  EXPECT_TRUE(loaded->sitewide_unreadable.empty());
}

} // namespace
} // namespace reckon::app
