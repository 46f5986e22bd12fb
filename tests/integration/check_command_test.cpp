#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace reckon::test {
namespace {

const std::filesystem::path k_binary = RECKON_BINARY;

// The text that follows the first `anchor` in `text`, up to `length` characters: what a JSON
// object says right after one of its keys. (No std::regex: GCC 12 misreads it under ASan.)
std::string after(const std::string& text, const std::string& anchor, std::size_t length = 200) {
  const std::size_t at = text.find(anchor);
  return at == std::string::npos ? std::string() : text.substr(at + anchor.size(), length);
}

// A store holding the committed demo account.
std::filesystem::path demo_store(const std::filesystem::path& dir) {
  const ProcessResult imported =
      run_process(k_binary, {"import", (data_dir() / "demo").string(), "--store", "demo.db"}, dir);
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  return dir / "demo.db";
}

TEST(CheckCommand, FlagsExactlyThePlantedVendorErrorOfTheDemoAccount) {
  const auto dir = fresh_temp_dir("check-demo");
  demo_store(dir);
  const ProcessResult checked = run_process(
      k_binary, {"check", "--store", "demo.db", "--fail-on", "drift", "--junit", "checks.xml"},
      dir);
  EXPECT_EQ(checked.exit_code, 1) << checked.err;
  // data/demo/scenario.json plants +0.3 on the cart upsell drawer's overview p2bc of
  // conversion_rate. That one cell fails two checks (its p2bc drifted, and no longer equals
  // its p2bb). The platform's Returns promise banner has a confidence 35 points below what the
  // platform's own method gives (the method check identifies it from all five tests with
  // results); nothing else may fail.
  EXPECT_EQ(count_of(checked.out, "  FAIL "), 3U) << checked.out;
  EXPECT_NE(checked.out.find("Vendor method (platform, identified from 5 experiments): two-sided "
                             "z-test, unpooled; Wald 90 % intervals"),
            std::string::npos)
      << checked.out;
  EXPECT_NE(checked.out.find("FAIL Returns promise banner (exp_e696ea5c) vendor_method: overall "
                             "conversion_rate variation var_115f13: confidence reported 65.0 %"),
            std::string::npos)
      << checked.out;
  EXPECT_NE(checked.out.find("FAIL Cart upsell drawer (10238c92-794f-4eb0-9dc1-a075e7efe593) "
                             "drift: overall conversion_rate"),
            std::string::npos)
      << checked.out;
  EXPECT_NE(checked.out.find("FAIL Cart upsell drawer (10238c92-794f-4eb0-9dc1-a075e7efe593) "
                             "p2bc_equals_p2bb: overall conversion_rate variation "
                             "716f417b-fe1c-4687-8db8-1b85063801f2: p2bc 1 but p2bb 0.7106"),
            std::string::npos)
      << checked.out;
  EXPECT_NE(checked.out.find(": p2bc reported 1, recomputed 0.70"), std::string::npos);
  EXPECT_NE(checked.out.find("Drift: 1 of "), std::string::npos);

  // Eight checks for each of the nine Intelligems tests and the bandit (nothing reported, so
  // its checks find nothing to compare), two for each of the six platform tests.
  const std::string junit = read_text(dir / "checks.xml");
  EXPECT_NE(junit.find("<testsuites name=\"reckon check\" tests=\"92\" failures=\"3\">"),
            std::string::npos)
      << junit.substr(0, 200);
  EXPECT_EQ(count_of(junit, "<failure "), 3U);
  EXPECT_NE(checked.err.find("check run 1 kept in demo.db"), std::string::npos) << checked.err;

  // Without --fail-on the findings are reported and the command succeeds.
  const ProcessResult lenient =
      run_process(k_binary, {"check", "--store", "demo.db", "--draws", "20000"}, dir);
  EXPECT_EQ(lenient.exit_code, 0);
}

TEST(CheckCommand, AnHonestAccountPassesEveryCheck) {
  const auto dir = fresh_temp_dir("check-honest");
  const ProcessResult simulated =
      run_process(k_binary,
                  {"-q", "simulate", "--scenario", (data_dir() / "demo" / "scenario.json").string(),
                   "--honest", "--seed", "101", "--out", "account"},
                  dir);
  ASSERT_EQ(simulated.exit_code, 0) << simulated.err;
  ASSERT_EQ(
      run_process(k_binary, {"-q", "import", "account", "--store", "honest.db"}, dir).exit_code, 0);
  const ProcessResult checked = run_process(
      k_binary, {"check", "--store", "honest.db", "--fail-on", "drift", "--format", "json"}, dir);
  EXPECT_EQ(checked.exit_code, 0) << checked.out.substr(0, 2000);
  EXPECT_NE(checked.out.find("\"drift_flagged\": 0"), std::string::npos);
  EXPECT_NE(checked.out.find("\"passed\": true"), std::string::npos);
  // Every consistency rule examined something.
  for (const char* rule : {"value_matches_counts", "uplift_is_ratio", "control_complements_variant",
                           "p2bc_equals_p2bb", "p2bb_sums_to_one", "null_exactly_when_low",
                           "segments_within_overall"}) {
    // In some experiment (three-arm rules need the three-arm test).
    const std::string name = std::string("\"name\": \"") + rule + "\"";
    bool examined = false;
    for (std::size_t at = checked.out.find(name); at != std::string::npos && !examined;
         at = checked.out.find(name, at + 1)) {
      const std::string count = after(checked.out.substr(at, 400), "\"examined\": ", 1);
      examined = !count.empty() && count[0] >= '1' && count[0] <= '9';
    }
    EXPECT_TRUE(examined) << rule;
  }
}

TEST(CheckCommand, SinceShowsHowTheVendorsFiguresMovedBetweenRuns) {
  const auto dir = fresh_temp_dir("check-since");
  demo_store(dir);
  ASSERT_EQ(run_process(k_binary, {"-q", "check", "--store", "demo.db", "--draws", "20000"}, dir)
                .exit_code,
            0);
  const ProcessResult unchanged = run_process(
      k_binary, {"check", "--store", "demo.db", "--since", "1", "--draws", "20000"}, dir);
  EXPECT_NE(unchanged.out.find("No reported figure moved since run 1."), std::string::npos);

  // A later fetch in which the vendor rewrote a closed day: one day window's p2bb changed.
  const std::filesystem::path copy = dir / "refetched";
  std::filesystem::copy(data_dir() / "demo", copy, std::filesystem::copy_options::recursive);
  const std::filesystem::path day = copy / "intelligems" / "analytics" /
                                    "30038336-e5ab-4e26-aa40-ab6e8aabff2e" / "day.2026-09-05.json";
  std::string text = read_text(day);
  const std::size_t p2bc = text.find("\"p2bc\":");
  ASSERT_NE(p2bc, std::string::npos);
  const std::size_t end = text.find_first_of(",}", p2bc);
  text.replace(p2bc, end - p2bc, "\"p2bc\":0.1234");
  write_text(day, text);
  std::string manifest = read_text(copy / "manifest.json");
  manifest.replace(manifest.find("2026-09-29T06:00:00Z"), 20, "2026-09-30T06:00:00Z");
  write_text(copy / "manifest.json", manifest);
  ASSERT_EQ(
      run_process(k_binary, {"-q", "import", "refetched", "--store", "demo.db"}, dir).exit_code, 0);

  const ProcessResult moved = run_process(
      k_binary, {"check", "--store", "demo.db", "--since", "1", "--draws", "20000"}, dir);
  EXPECT_NE(moved.out.find("1 reported figures moved since run 1, 1 of them in closed day "
                           "windows"),
            std::string::npos)
      << moved.out;
  EXPECT_NE(moved.out.find("day 2026-09-05"), std::string::npos);
  EXPECT_NE(moved.out.find("0.1234"), std::string::npos);

  const ProcessResult unknown = run_process(
      k_binary, {"check", "--store", "demo.db", "--since", "99", "--draws", "20000"}, dir);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("--since: no check run 99"), std::string::npos) << unknown.err;
}

TEST(AnalyzeCommand, FromAStoreAttachesTheVendorsNumbersAndListsWhatWasNotReanalysed) {
  const auto dir = fresh_temp_dir("analyze-store");
  demo_store(dir);
  const ProcessResult analysed = run_process(
      k_binary,
      {"analyze", "--store", "demo.db", "--format", "json", "--experience",
       "30038336-e5ab-4e26-aa40-ab6e8aabff2e", "--draws", "20000", "-o", "results.json"},
      dir);
  ASSERT_EQ(analysed.exit_code, 0) << analysed.err;
  const std::string json = read_text(dir / "results.json");
  EXPECT_NE(json.find("\"name\": \"Weekend bundle banner\""), std::string::npos);
  EXPECT_NE(json.find("\"reported\": {"), std::string::npos);
  EXPECT_NE(json.find("\"model\": \"conversion_x_lognormal_from_ci\""), std::string::npos);
  EXPECT_NE(json.find("\"model\": \"lognormal_borrowed_spread\""), std::string::npos);
  const std::string cogs = after(json, R"("name": "pct_revenue_with_cogs",)");
  EXPECT_NE(cogs.find(R"("reanalysed": false)"), std::string::npos) << cogs;
  EXPECT_NE(cogs.find(R"("reason": "no model: )"), std::string::npos) << cogs;
  const std::string profit = after(json, R"("name": "gross_profit_per_visitor",)");
  EXPECT_NE(profit.find(R"("reanalysed": false)"), std::string::npos) << profit;
  EXPECT_NE(profit.find("the source reported it as null everywhere"), std::string::npos) << profit;
  for (const char* segment :
       {"\"segment_type\": \"source_site\"", "\"segment_type\": \"landing_page_full_path\"",
        "\"segment_type\": \"day\""}) {
    EXPECT_NE(json.find(segment), std::string::npos) << segment;
  }
}

TEST(CheckCommand, KeepsRunsThatStoreRunsListsAndPruneRemoves) {
  const auto dir = fresh_temp_dir("check-runs");
  demo_store(dir);
  const std::vector<std::string> check = {
      "-q",      "check", "--store",      "demo.db",
      "--draws", "20000", "--experience", "30038336-e5ab-4e26-aa40-ab6e8aabff2e"};
  auto no_save = check;
  no_save.push_back("--no-save");
  ASSERT_EQ(run_process(k_binary, check, dir).exit_code, 0);
  ASSERT_EQ(run_process(k_binary, no_save, dir).exit_code, 0);
  ASSERT_EQ(run_process(k_binary, check, dir).exit_code, 0);

  const ProcessResult listed = run_process(k_binary, {"store", "runs", "--store", "demo.db"}, dir);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(count_of(listed.out, "reckon check"), 2U) << listed.out; // --no-save kept nothing
  EXPECT_NE(listed.out.find("\n1     "), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("\n2     "), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("2 check runs in demo.db"), std::string::npos) << listed.out;

  const auto before = std::filesystem::file_size(dir / "demo.db");
  const ProcessResult pruned =
      run_process(k_binary, {"store", "prune", "--keep", "1", "--store", "demo.db"}, dir);
  ASSERT_EQ(pruned.exit_code, 0) << pruned.err;
  EXPECT_NE(pruned.err.find("pruned 1 check runs from demo.db ("), std::string::npos) << pruned.err;
  EXPECT_LT(std::filesystem::file_size(dir / "demo.db"), before);
  const ProcessResult left = run_process(k_binary, {"store", "runs", "--store", "demo.db"}, dir);
  EXPECT_EQ(left.out.find("\n1     "), std::string::npos) << left.out;
  EXPECT_NE(left.out.find("\n2     "), std::string::npos) << left.out;
  // The run kept still answers --since.
  const ProcessResult since =
      run_process(k_binary,
                  {"check", "--store", "demo.db", "--since", "2", "--draws", "20000", "--no-save",
                   "--experience", "30038336-e5ab-4e26-aa40-ab6e8aabff2e"},
                  dir);
  EXPECT_NE(since.out.find("No reported figure moved since run 2."), std::string::npos)
      << since.out;

  const ProcessResult negative =
      run_process(k_binary, {"store", "prune", "--keep", "-1", "--store", "demo.db"}, dir);
  EXPECT_EQ(negative.exit_code, 2);
}

// A counts CSV of two experiments whose first has `visitors` visitors in its control.
std::string two_experiments(int visitors) {
  return "experiment,variation,is_control,segment_type,segment,date,visitors,conversions,revenue\n"
         "banner,control,true,,,," +
         std::to_string(visitors) +
         ",50,4000\n"
         "banner,bold,false,,,,1000,60,4700\n"
         "\"price, ladder\",control,true,,,,500,20,1500\n"
         "\"price, ladder\",high,false,,,,500,25,1900\n";
}

TEST(AnalyzeCommand, AnImportedCountsCsvReplacesTheExperimentsItCarries) {
  const auto dir = fresh_temp_dir("import-replaces");
  write_text(dir / "week1.csv", two_experiments(1000));
  const ProcessResult first =
      run_process(k_binary, {"import", "week1.csv", "--store", "counts.db"}, dir);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("imported week1.csv into counts.db: 2 new, 0 replaced, 0 unchanged"),
            std::string::npos)
      << first.err;

  // A refreshed export under a new name, written later, with more visitors in one arm.
  write_text(dir / "week2.csv", two_experiments(1800));
  std::filesystem::last_write_time(dir / "week2.csv",
                                   std::filesystem::last_write_time(dir / "week1.csv") +
                                       std::chrono::seconds(60));
  const ProcessResult second =
      run_process(k_binary, {"import", "week2.csv", "--store", "counts.db"}, dir);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  // Both experiments are new versions of stored requests; the unchanged one counts as
  // replaced too, since its file is newer.
  EXPECT_NE(second.err.find("2 replaced"), std::string::npos) << second.err;

  const ProcessResult analysed = run_process(k_binary,
                                             {"analyze", "--store", "counts.db", "--format", "csv",
                                              "--metric", "conversion_rate", "--draws", "1000"},
                                             dir);
  ASSERT_EQ(analysed.exit_code, 0) << analysed.err;
  EXPECT_NE(analysed.out.find("\nbanner,overall,All,,conversion_rate,control,true,1800,50,"),
            std::string::npos)
      << analysed.out;
  // One copy of each experiment: two arms each, in the one overall slice.
  EXPECT_EQ(count_of(analysed.out, "\nbanner,"), 2U) << analysed.out;
  EXPECT_EQ(count_of(analysed.out, "\n\"price, ladder\","), 2U) << analysed.out;
  const ProcessResult selected = run_process(k_binary,
                                             {"analyze", "--store", "counts.db", "--format", "json",
                                              "--experience", "banner", "--draws", "1000"},
                                             dir);
  ASSERT_EQ(selected.exit_code, 0) << selected.err;
  EXPECT_NE(selected.out.find("\"n_visitors\": 1800"), std::string::npos);

  // History keeps the older version: importing week 1 again finds it stored.
  const ProcessResult again =
      run_process(k_binary, {"import", "week1.csv", "--store", "counts.db"}, dir);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find(": 0 new, 0 replaced, 2 unchanged"), std::string::npos) << again.err;
  const ProcessResult still = run_process(k_binary,
                                          {"analyze", "--store", "counts.db", "--format", "json",
                                           "--experience", "banner", "--draws", "1000"},
                                          dir);
  EXPECT_NE(still.out.find("\"n_visitors\": 1800"), std::string::npos) << still.out;
}

} // namespace
} // namespace reckon::test
