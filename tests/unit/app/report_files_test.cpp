#include "report_files.hpp"

#include "demo_report.hpp"
#include "redaction.hpp"
#include "sqlite.hpp"
#include "support/paths.hpp"

#include "reckon/report/markdown_report.hpp"
#include "reckon/report/results_output.hpp"
#include "reckon/util/file.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

namespace reckon::app {
namespace {

// The golden files are what a user reads: review them by eye when they change. Running this
// test with RECKON_UPDATE_GOLDEN=1 rewrites them from the current output instead of comparing.
std::filesystem::path golden_path(const std::string& name) {
  return test::data_dir().parent_path() / "tests" / "golden" / name;
}

void expect_golden(const std::string& actual, const std::string& name) {
  const std::filesystem::path path = golden_path(name);
  if (std::getenv("RECKON_UPDATE_GOLDEN") != nullptr) {
    ASSERT_TRUE(util::write_file_atomically(path, actual));
    return;
  }
  const auto golden = util::read_file(path);
  ASSERT_TRUE(golden) << golden.error().describe();
  EXPECT_EQ(actual, *golden) << name << " differs from the reviewed golden file; if the change "
                             << "is intended, rerun with RECKON_UPDATE_GOLDEN=1 and review it";
}

// The demo account's report written once, with the default settings, as `reckon demo` does.
class DemoReport : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_folder = test::fresh_temp_dir("demo-report") / "report";
    std::ostringstream sink;
    RedactingBuffer buffer(sink);
    std::ostream err(&buffer);
    const Console console{sink, err, buffer, true, false};
    DemoSettings settings;
    settings.data_dir = (test::data_dir() / "demo").string();
    settings.out_dir = s_folder.string();
    auto written = write_demo_report(settings, console);
    ASSERT_TRUE(written) << written.error().describe();
    s_written = std::make_unique<WrittenReport>(std::move(*written));
    s_analyses = &s_written->analyses;
  }
  static void TearDownTestSuite() {
    s_analyses = nullptr;
    s_written.reset();
  }

  static std::filesystem::path s_folder;
  static std::unique_ptr<WrittenReport> s_written;
  static const ReportAnalyses* s_analyses;
};

std::filesystem::path DemoReport::s_folder;
std::unique_ptr<WrittenReport> DemoReport::s_written;
const ReportAnalyses* DemoReport::s_analyses = nullptr;

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST_F(DemoReport, MarkdownMatchesTheReviewedGoldenFile) {
  const auto written = util::read_file(s_folder / "report.md");
  ASSERT_TRUE(written) << written.error().describe();
  expect_golden(*written, "demo.report.md");
}

// The whole demo has thousands of cells: one test's are golden, the rest checked by invariants.
TEST_F(DemoReport, CellsOfOneTestMatchTheReviewedGoldenFile) {
  analysis::Results one;
  one.options = s_analyses->results.options;
  for (const analysis::ExperimentResult& experiment : s_analyses->results.experiments) {
    if (experiment.name == "Checkout reassurance copy") {
      one.experiments.push_back(experiment);
    }
  }
  ASSERT_EQ(one.experiments.size(), 1U);
  expect_golden(report::render_cells_csv(one), "demo.checkout-trust-copy.cells.csv");
}

TEST_F(DemoReport, CellsHoldEveryCellOnceBesideTheResultsCsvColumns) {
  const analysis::Results& results = s_analyses->results;
  std::size_t cells = 0;
  for (const analysis::ExperimentResult& experiment : results.experiments) {
    cells += experiment.cells.size();
  }
  const std::string csv = report::render_cells_csv(results);
  const std::string plain = report::render_results_csv(results);
  EXPECT_EQ(line_count(csv), cells + 1);
  EXPECT_EQ(line_count(plain), cells + 1);
  // The row that decided a winner carries the verdict, is on the primary metric and repeats
  // the test's verdict: one such row per winning variation.
  std::istringstream lines(csv);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("experiment,experiment_name,slice_kind,segment_type,", 0), 0U);
  std::size_t deciding = 0;
  for (std::string line; std::getline(lines, line);) {
    deciding += line.find(",WINNER,true,WINNER,") != std::string::npos;
  }
  std::size_t winners = 0;
  for (const analysis::ExperimentResult& experiment : results.experiments) {
    if (!experiment.verdict) {
      continue; // a test with no results yet (the platform's draft) has no verdict
    }
    for (const analysis::VariationVerdict& verdict : experiment.verdict->variations) {
      winners += verdict.verdict == analysis::Verdict::winner;
    }
  }
  EXPECT_GT(winners, 0U);
  EXPECT_EQ(deciding, winners);
}

// The one integer a query gives.
std::int64_t query(const store::sqlite::Database& db, const std::string& sql) {
  store::sqlite::Statement statement;
  EXPECT_EQ(statement.prepare(db.get(), sql), SQLITE_OK) << sql << ": " << db.message();
  EXPECT_EQ(statement.step(), SQLITE_ROW) << sql;
  return statement.integer(0);
}

TEST_F(DemoReport, TheFolderHoldsTheThreeFilesAndTheDatabaseRoundTrips) {
  const auto dir = test::fresh_temp_dir("report-files");
  const report::ReportInputs inputs = report_inputs(*s_analyses);
  const auto written = util::write_folder(dir, report_files(inputs));
  ASSERT_TRUE(written) << written.error().describe();
  EXPECT_EQ(*util::read_file(dir / "report.md"), report::render_report_markdown(inputs));
  EXPECT_EQ(*util::read_file(dir / "cells.csv"), report::render_cells_csv(inputs.results));

  sqlite3* handle = nullptr;
  ASSERT_EQ(
      sqlite3_open_v2((dir / "results.sqlite").c_str(), &handle, SQLITE_OPEN_READONLY, nullptr),
      SQLITE_OK);
  const store::sqlite::Database db(handle);
  std::int64_t cells = 0;
  std::int64_t visitors = 0;
  std::int64_t variations = 0;
  std::int64_t verdicts = 0;
  for (const analysis::ExperimentResult& experiment : inputs.results.experiments) {
    cells += static_cast<std::int64_t>(experiment.cells.size());
    variations += static_cast<std::int64_t>(experiment.variations.size());
    verdicts +=
        experiment.verdict ? static_cast<std::int64_t>(experiment.verdict->variations.size()) : 0;
    for (const analysis::CellResult& cell : experiment.cells) {
      visitors += static_cast<std::int64_t>(cell.n_visitors);
    }
  }
  EXPECT_EQ(query(db, "SELECT count(*) FROM cells"), cells);
  EXPECT_EQ(query(db, "SELECT sum(n_visitors) FROM cells"), visitors);
  EXPECT_EQ(query(db, "SELECT count(*) FROM experiments"),
            static_cast<std::int64_t>(inputs.results.experiments.size()));
  EXPECT_EQ(query(db, "SELECT count(*) FROM variations"), variations);
  EXPECT_EQ(query(db, "SELECT count(*) FROM verdicts"), verdicts);
  std::int64_t segment_rows = 0;
  for (const analysis::ExperimentSegments& experiment : s_analyses->segments.experiments) {
    segment_rows += static_cast<std::int64_t>(experiment.rows.size());
  }
  EXPECT_EQ(query(db, "SELECT count(*) FROM segments"), segment_rows);
  // The keys join: every cell's variation is a variation of its experiment.
  EXPECT_EQ(query(db, "SELECT count(*) FROM cells c JOIN variations v ON "
                      "v.experiment_id = c.experiment_id AND v.variation_id = c.variation_id"),
            cells);
}

} // namespace
} // namespace reckon::app
