#include "support/paths.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace reckon::test {
namespace {

TEST(DemoCommand, RunsThePipelineIntoAReportFolderAndSaysWhatItFound) {
  const auto dir = fresh_temp_dir("demo");
  const ProcessResult result =
      run_process(RECKON_BINARY, {"demo", "--out", "report", "--draws", "20000"}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* name :
       {"index.html", "results.json", "report.md", "cells.csv", "results.sqlite"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "report" / name)) << name;
  }
  // stdout answers: one line per test with its verdicts and health, then the page to open.
  EXPECT_NE(result.out.find("Reckon re-analysed 9 tests of the demo account"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("WINNER"), std::string::npos);
  EXPECT_NE(result.out.find("; health: critical"), std::string::npos);
  const std::string index = (dir / "report" / "index.html").string();
  EXPECT_NE(result.out.find("Open the report in a browser: " + index + "\n"), std::string::npos);
  EXPECT_LT(std::count(result.out.begin(), result.out.end(), '\n'), 40);
  EXPECT_NE(result.err.find("demo report written to " + (dir / "report").string()),
            std::string::npos)
      << result.err;
  // The folder holds every slice: report.md names segments and the page embeds its charts.
  std::ifstream markdown(dir / "report" / "report.md");
  const std::string saved{std::istreambuf_iterator<char>(markdown), {}};
  EXPECT_NE(saved.find("device type: Mobile"), std::string::npos);
  EXPECT_GT(saved.size(), 5 * result.out.size());
}

TEST(DemoCommand, QuietModeSilencesDiagnosticsButNotOutput) {
  const auto dir = fresh_temp_dir("demo-quiet");
  const ProcessResult result =
      run_process(RECKON_BINARY, {"-q", "demo", "--out", "report", "--draws", "5000"}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_FALSE(result.out.empty());
}

} // namespace
} // namespace reckon::test
