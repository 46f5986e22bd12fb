#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace reckon::test {
namespace {

std::string demo_data() {
  return (data_dir() / "demo").string();
}

std::vector<std::string> entries_of(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(DemoCommand, RunsThePipelineOnTheSavedResponsesIntoAReportFolderAndSaysWhatItFound) {
  const auto dir = fresh_temp_dir("demo");
  const ProcessResult result = run_process(
      RECKON_BINARY, {"demo", "--data", demo_data(), "--out", "report", "--draws", "20000"}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // The store the responses were imported into is kept in the folder, and nothing beside it.
  EXPECT_EQ(entries_of(dir / "report"),
            (std::vector<std::string>{"cells.csv", "demo.db", "index.html", "report.md",
                                      "results.json", "results.sqlite"}));
  EXPECT_EQ(entries_of(dir), std::vector<std::string>{"report"});
  // stdout answers: one line per test with its verdicts and health, what segments, days and
  // the vendor check found where they found something, then the page to open.
  EXPECT_NE(result.out.find("Reckon imported the demo account's saved API responses (" +
                            demo_data() + ")"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("One-page checkout: One page LOSER; health critical "
                            "(conversion_drop)\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("; health critical (srm)\n"), std::string::npos);
  EXPECT_NE(result.out.find("    segments: Sticky cart bar wins in "), std::string::npos);
  EXPECT_NE(result.out.find("    days: Bundle banner weekend only (weekday "), std::string::npos);
  EXPECT_NE(result.out.find("    check: drift fails on 1 reported number: conversion_rate of "
                            "Upsell drawer, p2bc reported 1,"),
            std::string::npos);
  const std::string index = (dir / "report" / "index.html").string();
  EXPECT_NE(result.out.find("Open the report in a browser: " + index + "\n"), std::string::npos);
  EXPECT_LT(std::count(result.out.begin(), result.out.end(), '\n'), 45);
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(line.size(), 100U) << line;
  }
  EXPECT_NE(result.err.find("demo report written to " + (dir / "report").string()),
            std::string::npos)
      << result.err;
  // The folder holds every slice: report.md names segments and the page embeds its charts.
  std::ifstream markdown(dir / "report" / "report.md");
  const std::string saved{std::istreambuf_iterator<char>(markdown), {}};
  EXPECT_NE(saved.find("device type: Mobile"), std::string::npos);
  EXPECT_GT(saved.size(), 5 * result.out.size());
  // The kept store is a store like any other.
  const ProcessResult listed =
      run_process(RECKON_BINARY, {"list", "--store", "report/demo.db"}, dir);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("Free returns banner"), std::string::npos) << listed.out;
}

TEST(DemoCommand, WithoutTheDataFolderSaysWhereToRunFromAndWritesNothing) {
  const auto dir = fresh_temp_dir("demo-missing");
  const ProcessResult result = run_process(RECKON_BINARY, {"demo", "--out", "report"}, dir);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("--data data/demo: no saved API responses there"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("from the repository's root, or pass --data DIR"), std::string::npos);
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(entries_of(dir).empty());
}

TEST(DemoCommand, QuietModeSilencesDiagnosticsButNotOutput) {
  const auto dir = fresh_temp_dir("demo-quiet");
  const ProcessResult result =
      run_process(RECKON_BINARY,
                  {"-q", "demo", "--data", demo_data(), "--out", "report", "--draws", "5000"}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_FALSE(result.out.empty());
}

// The report writes results.json one experiment at a time (a large account's document is
// larger than the rest of the report); the bytes are those `analyze --format json` writes.
TEST(ReportCommand, ResultsJsonIsAnalyzesJsonByteForByte) {
  const auto dir = fresh_temp_dir("report_results_json");
  const std::string counts = (data_dir() / "demo" / "counts.csv").string();
  const std::vector<std::string> options{"--counts", counts, "--draws", "2000",
                                         "--seed",   "7",    "-q"};
  std::vector<std::string> report{"report", "--out", "report"};
  std::vector<std::string> analyze{"analyze", "--format", "json", "-o", "analyze.json"};
  report.insert(report.end(), options.begin(), options.end());
  analyze.insert(analyze.end(), options.begin(), options.end());
  ASSERT_EQ(run_process(RECKON_BINARY, report, dir).exit_code, 0);
  ASSERT_EQ(run_process(RECKON_BINARY, analyze, dir).exit_code, 0);
  const std::string json = read_text(dir / "report" / "results.json");
  EXPECT_GT(json.size(), 100'000U);
  EXPECT_EQ(json.find("\"schema\": \"reckon.results/v1\""), json.find("\"schema\""));
  EXPECT_TRUE(json == read_text(dir / "analyze.json")); // 24 MB: not printed when they differ
}

} // namespace
} // namespace reckon::test
