#include "reckon/report/check_output.hpp"

#include "support/paths.hpp"

#include "reckon/util/file.hpp"

#include <gtest/gtest.h>

namespace reckon::report {
namespace {

// Two experiments: one passes everything, one has a drifted p2bc and a value that disagrees
// with its counts; names carry characters XML must escape.
analysis::CheckReport sample_report() {
  analysis::CheckReport report;
  report.comparisons = 12;
  report.effective_k = 4.0;
  report.drift_examined = 6;
  report.drift_flagged = 1;
  analysis::ExperimentCheck clean{"exp-1", "Free shipping > $50", "intelligems", {}};
  clean.checks.push_back({"drift", "reported statistics agree with the recomputed ones", 2, {}});
  clean.checks.push_back(
      {"value_matches_counts", "reported values equal counts / visitors", 4, {}});
  analysis::ExperimentCheck drifted{"exp-2", "Cart \"upsell\" & drawer", "intelligems", {}};
  drifted.checks.push_back({"drift",
                            "reported statistics agree with the recomputed ones",
                            4,
                            {{model::Slice::overall(), "conversion_rate", "v-1",
                              "p2bc reported 0.9301, recomputed 0.63124 (tolerance 0.0244)"}}});
  drifted.checks.push_back({"value_matches_counts",
                            "reported values equal counts / visitors",
                            4,
                            {{{"device_type", "Mobile", ""},
                              "conversion_rate",
                              "c-1",
                              "value reported 0.0412, counts give 0.0402 (allowance 5e-08)"},
                             {{"day", "2026-09-03", ""},
                              "conversion_rate",
                              "v-1",
                              "value reported 0.05, counts give 0.049 (allowance 5e-08)"}}});
  report.experiments = {clean, drifted};
  return report;
}

TEST(CheckOutput, JUnitMatchesTheReviewedGoldenFile) {
  const auto golden =
      util::read_file(test::data_dir().parent_path() / "tests" / "golden" / "check.junit.xml");
  ASSERT_TRUE(golden) << golden.error().describe();
  EXPECT_EQ(render_check_junit(sample_report()), *golden);
}

TEST(CheckOutput, TableListsEveryFailureWithItsNumbers) {
  const std::string table = render_check_table(sample_report());
  EXPECT_NE(table.find("FAIL Cart \"upsell\" & drawer (exp-2) drift: overall conversion_rate "
                       "variation v-1: p2bc reported 0.9301"),
            std::string::npos);
  EXPECT_NE(table.find("device_type=Mobile conversion_rate variation c-1"), std::string::npos);
  EXPECT_NE(table.find("day 2026-09-03"), std::string::npos);
  EXPECT_NE(table.find("1 of 6 reported cells flagged"), std::string::npos);
}

TEST(CheckOutput, JsonSaysWhetherTheRunPassed) {
  const std::string json = render_check_json(sample_report());
  EXPECT_NE(json.find("\"schema\": \"reckon.check/v1\""), std::string::npos);
  EXPECT_NE(json.find("\"passed\": false"), std::string::npos);
  analysis::CheckReport clean = sample_report();
  clean.experiments.pop_back();
  EXPECT_NE(render_check_json(clean).find("\"passed\": true"), std::string::npos);
}

TEST(CheckOutput, TheInferredNullBoundaryIsShownWithItsEvidence) {
  analysis::CheckReport report = sample_report();
  analysis::NullBoundary rates;
  rates.kind = "rates";
  rates.events = "orders";
  rates.min_events = 10;
  rates.largest_null_events = 9;
  rates.smallest_non_null_events = 10;
  rates.rows = 120;
  rates.null_rows = 31;
  rates.unexplained = 1;
  report.null_boundaries = {rates};
  EXPECT_NE(render_check_table(report).find(
                "Null rule: inferred from the account, per metric kind:\n  rates: null below 10 "
                "orders in an arm (orders: largest null 9, smallest non-null 10); 120 rows, 31 "
                "null, 1 unexplained\n"),
            std::string::npos)
      << render_check_table(report);
  const std::string json = render_check_json(report);
  EXPECT_NE(json.find("\"null_rule\": \"inferred\""), std::string::npos);
  EXPECT_NE(json.find("\"low_data_events\": null"), std::string::npos);
  EXPECT_NE(json.find("\"min_events\": 10,\n      \"min_visitors\": 0,\n      "
                      "\"largest_null_events\": 9,\n      \"smallest_non_null_events\": 10,\n      "
                      "\"largest_null_visitors\": null"),
            std::string::npos)
      << json;

  report.settings.fixed_null_rule = true;
  report.null_boundaries.clear();
  EXPECT_NE(render_check_table(report).find(
                "Null rule: fixed (--low-data-visitors 100, --low-data-events 30).\n"),
            std::string::npos);
  EXPECT_NE(render_check_json(report).find("\"low_data_events\": 30"), std::string::npos);
}

TEST(CheckOutput, MovesListClosedWindowsFirst) {
  std::vector<analysis::ReportedMove> moves{
      {"exp", model::Slice::overall(), "conversion_rate", "v", "p2bb", 0.7, 0.72, false},
      {"exp",
       {"day", "2026-09-01", ""},
       "conversion_rate",
       "v",
       "value",
       0.05,
       std::nullopt,
       true}};
  const std::string text = render_reported_moves(moves, "run 3");
  EXPECT_LT(text.find("day 2026-09-01"), text.find("overall"));
  EXPECT_NE(text.find("null"), std::string::npos);
  EXPECT_NE(text.find("2 reported figures moved since run 3, 1 of them in closed day windows"),
            std::string::npos);
  EXPECT_EQ(render_reported_moves({}, "run 3"), "No reported figure moved since run 3.\n");
}

} // namespace
} // namespace reckon::report
