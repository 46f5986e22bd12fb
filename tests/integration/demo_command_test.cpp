#include "support/paths.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace reckon::test {
namespace {

TEST(DemoCommand, WritesTheReportFolderAndPrintsTheTable) {
  const auto dir = fresh_temp_dir("demo");
  const ProcessResult result =
      run_process(RECKON_BINARY, {"demo", "--out", "report", "--draws", "20000"}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* name : {"results.json", "results.csv", "results.txt"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "report" / name)) << name;
  }
  // stdout carries the table; stderr says where the report went.
  EXPECT_NE(result.out.find("free-shipping-threshold\n  2 variations, 14 days"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("price-ladder\n  3 variations, 21 days"), std::string::npos);
  EXPECT_NE(result.err.find("demo report written to " + (dir / "report").string()),
            std::string::npos)
      << result.err;
  // The screen shows each test's whole population; the saved table adds segments and days.
  EXPECT_EQ(result.out.find("device_type = "), std::string::npos);
  EXPECT_NE(result.out.find("net_revenue_per_visitor (primary):"), std::string::npos);
  std::ifstream table(dir / "report" / "results.txt");
  const std::string saved{std::istreambuf_iterator<char>(table), {}};
  EXPECT_NE(saved.find("device_type = Mobile"), std::string::npos);
  EXPECT_NE(saved.find("\n  day 2026-"), std::string::npos);
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
