#include "reckon/app/run.hpp"
#include "reckon/parse/scenario.hpp"
#include "reckon/simulate/simulate.hpp"
#include "reckon/util/file.hpp"

#include "fixture.hpp"
#include "support/paths.hpp"
#include "support/text_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace reckon::simulate {
namespace {

using reckon::test::write_text;

struct Captured {
  int code;
  std::string out;
  std::string err;
};

Captured run_reckon(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  std::vector<std::string> argv{"reckon"};
  argv.insert(argv.end(), args.begin(), args.end());
  const int code = app::run(argv, out, err);
  return {code, out.str(), err.str()};
}

TEST(SimulateCommand, WritesEveryFileAndOnlyDiagnosticsOnStderr) {
  const auto dir = reckon::test::fresh_temp_dir("simulate");
  write_text(dir / "scenario.json", test::small_scenario_json());
  const Captured result = run_reckon({"simulate", "--scenario", (dir / "scenario.json").string(),
                                      "--out", (dir / "out").string(), "--threads", "2"});
  ASSERT_EQ(result.code, app::k_exit_success) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("files written to"), std::string::npos) << result.err;
  for (const char* path :
       {"counts.csv", "truth.json", "manifest.json", "intelligems/experiences-list.page-1.json",
        "intelligems/sitewide/snapshot.json", "bandit/experiments.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / path)) << path;
  }
  // --seed overrides the scenario's seed: other counts, same file names.
  const Captured reseeded =
      run_reckon({"-q", "simulate", "--scenario", (dir / "scenario.json").string(), "--out",
                  (dir / "other").string(), "--seed", "43"});
  ASSERT_EQ(reseeded.code, app::k_exit_success) << reseeded.err;
  EXPECT_EQ(reseeded.err, "");
  EXPECT_NE(*util::read_file(dir / "out" / "counts.csv"),
            *util::read_file(dir / "other" / "counts.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir / "other" / "truth.json"));
}

TEST(SimulateCommand, ABadScenarioExitsThreeNamingTheFileAndJsonPath) {
  const auto dir = reckon::test::fresh_temp_dir("simulate-bad");
  std::string text = test::small_scenario_json();
  text.replace(text.find("\"daily_visitors\": 2000"), 22, "\"daily_visitors\": \"many\"");
  write_text(dir / "bad.json", text);
  const Captured result = run_reckon(
      {"simulate", "--scenario", (dir / "bad.json").string(), "--out", (dir / "out").string()});
  EXPECT_EQ(result.code, app::k_exit_bad_input);
  EXPECT_NE(result.err.find((dir / "bad.json").string() +
                            ":$.experiments[0].daily_visitors: expected a whole number"),
            std::string::npos)
      << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));

  const Captured missing = run_reckon(
      {"simulate", "--scenario", (dir / "absent.json").string(), "--out", (dir / "out").string()});
  EXPECT_EQ(missing.code, app::k_exit_bad_input);
  EXPECT_NE(missing.err.find("absent.json"), std::string::npos) << missing.err;

  EXPECT_EQ(run_reckon({"simulate", "--scenario", (dir / "bad.json").string()}).code,
            app::k_exit_usage);
}

// Day audiences as `reckon import` stores them and `reckon analyze` reads them: segment-on-day
// cells, the same from the store as from the counts CSV written beside the responses.
TEST(SimulateCommand, DayAudiencesAnalyseAsSegmentsOnDaysFromTheStoreAndTheCsv) {
  const auto dir = reckon::test::fresh_temp_dir("simulate-day-segments");
  std::string text = test::small_scenario_json();
  const std::string as_of = R"("as_of": "2026-09-29T06:00:00Z",)";
  text.replace(text.find(as_of), as_of.size(), as_of + R"( "day_segments": ["device_type"],)");
  write_text(dir / "scenario.json", text);
  const std::string out = (dir / "out").string();
  const std::string store = (dir / "store.db").string();
  ASSERT_EQ(
      run_reckon({"-q", "simulate", "--scenario", (dir / "scenario.json").string(), "--out", out})
          .code,
      app::k_exit_success);
  ASSERT_EQ(run_reckon({"-q", "import", out, "--store", store}).code, app::k_exit_success);

  // experiment,segment_type,segment,date,metric,variation_id,is_control,n_visitors,...
  const auto day_segment_rows = [](const std::string& csv) {
    std::multiset<std::string> rows; // segment, date, visitors
    std::istringstream lines(csv);
    std::string line;
    while (std::getline(lines, line)) {
      std::vector<std::string> fields;
      std::istringstream cells(line);
      for (std::string cell; std::getline(cells, cell, ',');) {
        fields.push_back(cell);
      }
      if (fields.size() > 7 && fields[1] == "device_type" && !fields[3].empty()) {
        rows.insert(fields[2] + " " + fields[3] + " " + fields[7]);
      }
    }
    return rows;
  };
  // The store's Intelligems experiments against the same three in the CSV (their ids differ;
  // their counts agree).
  const Captured from_store =
      run_reckon({"analyze", "--format", "csv", "--metric", "conversion_rate", "--store", store});
  ASSERT_EQ(from_store.code, app::k_exit_success) << from_store.err;
  const Captured from_csv = run_reckon({"analyze", "--format", "csv", "--metric", "conversion_rate",
                                        "--experience", "two-arm", "--experience", "three-arm",
                                        "--experience", "tiny", "--counts", out + "/counts.csv"});
  ASSERT_EQ(from_csv.code, app::k_exit_success) << from_csv.err;
  const std::multiset<std::string> stored = day_segment_rows(from_store.out);
  // (10 + 7 + 3 days) x up to 3 devices x 2 or 3 arms.
  EXPECT_GT(stored.size(), 100U);
  EXPECT_TRUE(stored == day_segment_rows(from_csv.out));
}

// data/README.md promises that `reckon simulate --scenario data/demo/scenario.json --out
// data/demo` regenerates the committed demo account byte for byte.
TEST(DemoAccount, RegeneratesByteForByteFromItsScenario) {
  const std::filesystem::path demo = reckon::test::data_dir() / "demo";
  const auto text = util::read_file(demo / "scenario.json");
  ASSERT_TRUE(text) << text.error().describe();
  const auto scenario = parse::parse_scenario(*text, "data/demo/scenario.json");
  ASSERT_TRUE(scenario) << scenario.error().describe();

  std::set<std::string> generated;
  std::uintmax_t bytes = 0;
  for (const GeneratedFile& file : generate(*scenario)) {
    generated.insert(file.path);
    bytes += file.content.size();
    const auto committed = util::read_file(demo / file.path);
    ASSERT_TRUE(committed) << file.path
                           << " is not committed; regenerate data/demo (data/README.md)";
    EXPECT_TRUE(*committed == file.content)
        << file.path << " differs from a fresh simulation; regenerate data/demo (data/README.md)";
  }
  // No stale response files from an older scenario.
  for (const char* folder : {"intelligems", "platform", "bandit"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(demo / folder)) {
      if (entry.is_regular_file()) {
        const std::string relative = entry.path().lexically_relative(demo).generic_string();
        EXPECT_TRUE(generated.count(relative)) << relative << " is stale";
      }
    }
  }
  // Small enough to keep in git: 5.1 MB, and 6.3 MB of day audiences by source channel (the
  // traffic-source analysis of `reckon temporal` needs them), for eleven experiments.
  EXPECT_LT(bytes, 12'000'000U);
}

} // namespace
} // namespace reckon::simulate
