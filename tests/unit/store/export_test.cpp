#include "reckon/store/export.hpp"

#include "reckon/contract/intelligems.hpp"

#include "reckon/util/calendar.hpp"
#include "reckon/util/file.hpp"
#include "store_fixture.hpp"
#include "support/error_matchers.hpp"
#include "support/paths.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace reckon::store {
namespace {

using test::contents;
using test::exchange;
using test::must_open;

// A small account: versions of one request, another source, a POST day window with a body, a
// 404, a query in an order that is not alphabetical, and a body that is not text.
std::vector<contract::ApiExchange> hand_made_exchanges() {
  std::vector<contract::ApiExchange> exchanges{
      exchange("intelligems", contract::intelligems::experiences_list_path(),
               {{"page", "1"}, {"limit", "5"}}, R"({"experiencesList":[],"v":1})", 1'000),
      exchange("intelligems", contract::intelligems::experiences_list_path(),
               {{"page", "1"}, {"limit", "5"}}, R"({"experiencesList":[],"v":2})", 2'000),
      exchange("platform", "/api/v1/experiments/exp_1/results", {}, R"({"error":"nope"})", 1'500,
               404),
      exchange("bandit", "/events/exp_2", {{"limit", "100"}, {"offset", "0"}},
               std::string("\0\xff binary", 9), 1'700),
      exchange("intelligems",
               (std::string(contract::intelligems::k_prefix) + "/analytics/resource/a-b"), {},
               R"({"overview":1})", 1'800),
  };
  exchanges.back().request.method = "POST";
  exchanges.back().request.body = R"({"view":"overview","startTs":"1788213600"})";
  exchanges.back().request.day = contract::DayWindow{"2026-09-01", "Europe/Berlin"};
  return exchanges;
}

TEST(Export, ImportingTheExportGivesTheSameExchanges) {
  const auto dir = reckon::test::fresh_temp_dir("export");
  Store store = must_open(dir / "reckon.db");
  ASSERT_TRUE(store.save(hand_made_exchanges()));
  const util::Result<std::size_t> written = export_responses(store, dir / "out");
  ASSERT_TRUE(written) << written.error().describe();
  EXPECT_EQ(*written, 4U);

  const auto newest = store.latest_all();
  ASSERT_TRUE(newest);
  const std::vector<contract::ApiExchange> read = test::read_response_folder(dir / "out", 0);
  EXPECT_EQ(contents(read), contents(*newest));

  Store again = must_open(dir / "again.db");
  ASSERT_TRUE(again.save(read));
  EXPECT_EQ(contents(*again.latest_all()), contents(*newest));
}

TEST(Export, NamesFilesFromTheirRequestsStably) {
  const auto dir = reckon::test::fresh_temp_dir("export");
  Store store = must_open(dir / "reckon.db");
  ASSERT_TRUE(store.save(hand_made_exchanges()));
  ASSERT_TRUE(export_responses(store, dir / "one"));
  ASSERT_TRUE(export_responses(store, dir / "two"));
  EXPECT_EQ(*util::read_file(dir / "one" / "manifest.json"),
            *util::read_file(dir / "two" / "manifest.json"));
  const std::vector<contract::ApiExchange> read = test::read_response_folder(dir / "one", 0);
  ASSERT_EQ(read.size(), 4U);
  // origin holds the file name here.
  EXPECT_EQ(read[0].origin.rfind(
                "intelligems" + contract::intelligems::experiences_list_path() + "/get-", 0),
            0U)
      << read[0].origin;
  EXPECT_EQ(
      read[3].origin.rfind(
          "intelligems" + contract::intelligems::analytics_resource_path("a-b") + "/post-", 0),
      0U)
      << read[3].origin;
  EXPECT_EQ(read[1].origin.rfind("platform/api/v1/experiments/exp_1/results/get-", 0), 0U);
  EXPECT_NE(read[0].origin, read[3].origin);
}

TEST(Export, RewritesFilesAtomicallyAndLeavesNoTemporaries) {
  const auto dir = reckon::test::fresh_temp_dir("export");
  Store store = must_open(dir / "reckon.db");
  ASSERT_TRUE(store.save(hand_made_exchanges()));
  ASSERT_TRUE(export_responses(store, dir / "out"));
  const auto newer = exchange("platform", "/api/v1/experiments/exp_1/results", {}, "{}", 9'000);
  ASSERT_TRUE(store.save({&newer, 1}));
  ASSERT_TRUE(export_responses(store, dir / "out"));

  const std::vector<contract::ApiExchange> read = test::read_response_folder(dir / "out", 0);
  ASSERT_EQ(read.size(), 4U);
  EXPECT_EQ(read[1].body, "{}");
  EXPECT_EQ(read[1].status, 200);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir / "out")) {
    if (entry.is_regular_file()) {
      ++files;
      EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
    }
  }
  EXPECT_EQ(files, 5U); // four bodies and the manifest
  for (const auto& entry : std::filesystem::directory_iterator(dir)) { // no temporary folder
    EXPECT_EQ(entry.path().filename().string().find("reckon-tmp"), std::string::npos)
        << entry.path();
  }
  const std::string manifest = *util::read_file(dir / "out" / "manifest.json");
  EXPECT_NE(manifest.find(R"("as_of": "1970-01-01T00:00:09Z")"), std::string::npos) << manifest;
}

TEST(Export, ReplacesAnEarlierExportWholeAndRefusesAFolderThatIsNone) {
  const auto dir = reckon::test::fresh_temp_dir("export");
  Store store = must_open(dir / "reckon.db");
  ASSERT_TRUE(store.save(hand_made_exchanges()));
  ASSERT_TRUE(export_responses(store, dir / "out"));
  ASSERT_TRUE(util::write_file_atomically(dir / "out" / "platform" / "gone.json", "{}"));
  ASSERT_TRUE(export_responses(store, dir / "out"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "platform" / "gone.json"));
  EXPECT_EQ(test::read_response_folder(dir / "out", 0).size(), 4U);

  std::filesystem::create_directory(dir / "mine");
  ASSERT_TRUE(util::write_file_atomically(dir / "mine" / "notes.txt", "keep me"));
  EXPECT_ERROR(export_responses(store, dir / "mine"), util::ErrorCode::usage,
               ::testing::StartsWith("holds files but no manifest.json"));
  EXPECT_EQ(*util::read_file(dir / "mine" / "notes.txt"), "keep me");
}

TEST(Export, AnEmptyStoreExportsAnEmptyManifest) {
  const auto dir = reckon::test::fresh_temp_dir("export");
  Store store = must_open(dir / "reckon.db");
  const util::Result<std::size_t> written = export_responses(store, dir / "new" / "folder");
  ASSERT_TRUE(written) << written.error().describe();
  EXPECT_EQ(*written, 0U);
  EXPECT_TRUE(test::read_response_folder(dir / "new" / "folder", 0).empty());
}

TEST(Export, TheDemoAccountRoundTripsThroughAStore) {
  const auto dir = reckon::test::fresh_temp_dir("export");
  const std::int64_t as_of_ms =
      (util::Date::from_civil(2026, 9, 29).epoch_seconds() + 21'600) * 1000;
  const std::vector<contract::ApiExchange> demo =
      test::read_response_folder(reckon::test::data_dir() / "demo", as_of_ms);
  ASSERT_GT(demo.size(), 100U);
  Store store = must_open(dir / "reckon.db");
  ASSERT_TRUE(store.save(demo));
  ASSERT_TRUE(export_responses(store, dir / "out"));
  EXPECT_EQ(contents(test::read_response_folder(dir / "out", 0)), contents(demo));
  const std::string manifest = *util::read_file(dir / "out" / "manifest.json");
  EXPECT_NE(manifest.find(R"("as_of": "2026-09-29T06:00:00Z")"), std::string::npos);
}

} // namespace
} // namespace reckon::store
