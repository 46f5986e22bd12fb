#include "reckon/report/markdown_report.hpp"
#include "reckon/report/result_tables.hpp"
#include "reckon/report/results_output.hpp"

#include <gtest/gtest.h>

#include <string>

namespace reckon::report {
namespace {

// One test whose names carry every character Markdown and CSV must escape, with the vendor's
// numbers, a drifted p2bc, a sample-ratio mismatch and assumptions shared and not; and a small
// test too low on data for a call.
analysis::Results sample_results() {
  analysis::Results results;
  analysis::ExperimentResult experiment;
  experiment.id = "exp-1";
  experiment.name = "Cart | upsell *bold* _x_";
  experiment.source = "intelligems";
  experiment.runtime_days = 14;
  experiment.variations = {{"c", "Control", true, 0.5}, {"v", "Free, \"ship\"_50", false, 0.5}};
  experiment.srm = analysis::SampleRatioCheck{21.0, 0.00001, true, false};
  experiment.verdict = analysis::TestVerdict{
      "net_revenue_per_visitor",
      "the test's primary metric at the vendor",
      {{"v", analysis::Verdict::winner, "P(beat control) 1.00 and uplift +25.0 %"}}};

  analysis::CellResult control;
  control.slice = model::Slice::overall();
  control.metric = "net_revenue_per_visitor";
  control.variation_id = "c";
  control.is_control = true;
  control.n_visitors = 20'000;
  control.n_orders = 600;
  control.value = 2.0;
  control.ci_low = 1.8;
  control.ci_high = 2.2;
  control.prob_best = 0.0004;
  control.expected_loss = 0.25;
  control.assumptions = {"prior Beta(1, 1)"};
  analysis::CellResult variant = control;
  variant.variation_id = "v";
  variant.is_control = false;
  variant.value = 2.5;
  variant.prob_best = 0.9996;
  variant.prob_beat_control = 0.9996;
  variant.expected_loss = 0.0;
  variant.uplift = analysis::UpliftEstimate{0.25, 0.061, 0.47};
  variant.assumptions = {"prior Beta(1, 1)", "order value: borrowed spread"};
  model::ReportedMetric reported;
  reported.name = "net_revenue_per_visitor";
  reported.value = 2.49;
  reported.p2bc = 0.93;
  reported.uplift = model::ReportedUplift{0.24, 0.05, 0.45, {}};
  variant.reported = reported;
  variant.drift = analysis::CellDrift{{{"p2bc", 0.93, 0.9996, 0.01, 0.005, 0, 0.02, true}},
                                      true,
                                      "p2bc reported 0.93, recomputed 0.9996"};
  experiment.cells = {control, variant};
  results.experiments.push_back(experiment);

  analysis::ExperimentResult small = experiment;
  small.id = "exp-2";
  small.name = "Small";
  small.srm.reset();
  small.cells[0].n_visitors = 60;
  small.cells[1].n_visitors = 50;
  small.cells[1].drift.reset();
  small.cells[1].reported.reset();
  small.verdict->variations[0] = {"v", analysis::Verdict::too_early, "50 visitors in v"};
  results.experiments.push_back(small);
  return results;
}

ReportInputs sample_inputs(const analysis::Results& results) {
  return ReportInputs{
      .results = results, .health = {{"exp-1", "healthy"}}, .currency = {{"exp-1", "$"}}};
}

bool holds(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MarkdownReport, EscapesNamesAndLinksEachTestToItsSection) {
  const analysis::Results results = sample_results();
  const std::string md = render_report_markdown(sample_inputs(results));
  EXPECT_TRUE(holds(md, "| [Cart \\| upsell \\*bold\\* \\_x\\_](#cart--upsell-bold-_x_) | "
                        "intelligems | 14 days | Free, \"ship\"\\_50: **WINNER** | healthy |"))
      << md;
  EXPECT_TRUE(holds(md, "\n## Cart \\| upsell \\*bold\\* \\_x\\_\n"));
  EXPECT_TRUE(
      holds(md, "| Test | Source | Runtime | Verdict | Health |\n|---|---|---:|---|---|\n"));
}

TEST(MarkdownReport, NumbersReadForPeopleWithCurrencyDriftAndFootnotes) {
  const analysis::Results results = sample_results();
  const std::string md = render_report_markdown(sample_inputs(results));
  EXPECT_TRUE(holds(md, "- **Free, \"ship\"\\_50: WINNER** on revenue per visitor: uplift +25.0 % "
                        "[+6.1 %, +47.0 %], P(beat control) >99.9 %. P(beat control) 1.00 and "
                        "uplift +25.0 %.\n"))
      << md;
  EXPECT_TRUE(holds(md, "**Sample ratio mismatch** (p < 0.0001)"));
  // The control's row: money with its symbol, no uplift; the variant's: the vendor's numbers,
  // the drift mark and the footnote of the assumption only it makes.
  EXPECT_TRUE(holds(md, "| revenue per visitor | Control | 20,000 | $2.00 | $1.80 to $2.20 | "
                        "control |  |  | <0.1 % | 25.0 % |  |  |\n"))
      << md;
  EXPECT_TRUE(
      holds(md, "| revenue per visitor | Free, \"ship\"\\_50 | 20,000 | $2.50 | $1.80 to $2.20 | "
                "+25.0 % | [+6.1 %, +47.0 %] | >99.9 % | >99.9 % | 0.0 % | +24.0 %, 93 % "
                "**DRIFT**[^1-1] | [^1-2] |\n"))
      << md;
  EXPECT_TRUE(holds(md, "\nEvery number above assumes: prior Beta(1, 1).\n"));
  EXPECT_TRUE(holds(md, "[^1-1]: Drift: p2bc reported 0.93, recomputed 0.9996\n"
                        "[^1-2]: order value: borrowed spread\n"));
  // The small test: no currency known, too few visitors.
  EXPECT_TRUE(holds(
      md, "| revenue per visitor | Free, \"ship\"\\_50 | 50 | 2.50 | 1.80 to 2.20 | +25.0 % | "
          "[+6.1 %, +47.0 %] | >99.9 % | >99.9 % | 0.0 % |  | LOW DATA[^2-1] |\n"))
      << md;
  EXPECT_TRUE(holds(md, "\n## Glossary\n"));
}

TEST(CellsCsv, QuotesNamesAndCarriesTheVendorsNumbersAndDrift) {
  const std::string csv = render_cells_csv(sample_results());
  EXPECT_TRUE(holds(csv, "\nexp-1,Cart | upsell *bold* _x_,overall,overall,All,,"
                         "net_revenue_per_visitor,v,\"Free, \"\"ship\"\"_50\",false,20000,600,"))
      << csv;
  EXPECT_TRUE(holds(csv, ",WINNER,true,WINNER,2.49,,,,0.93,0.24,0.05,0.45,true,p2bc,"
                         "\"p2bc reported 0.93, recomputed 0.9996\","
                         "\"prior Beta(1, 1); order value: borrowed spread\"\n"))
      << csv;
  // The control's row carries no verdict and no drift check.
  EXPECT_TRUE(holds(csv, ",Control,true,20000,600,2,1.8,2.2,4e-04,,0.25,"));
  EXPECT_TRUE(holds(csv, ",,true,,,,,,,,,,,,,\"prior Beta(1, 1)\"\n")) << csv;
}

TEST(ResultTables, OneRowPerCellVariationAndVerdictWithTypedValues) {
  const analysis::Results results = sample_results();
  const std::vector<util::Table> tables = result_tables(sample_inputs(results));
  ASSERT_EQ(tables.size(), 4U);
  EXPECT_EQ(tables[0].name, "experiments");
  EXPECT_EQ(tables[0].rows.size(), 2U);
  EXPECT_EQ(std::get<std::string>(tables[0].rows[0].back()), "healthy");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(tables[0].rows[1].back()));
  EXPECT_EQ(tables[1].rows.size(), 4U);
  EXPECT_EQ(tables[2].rows.size(), 2U);
  EXPECT_EQ(std::get<std::string>(tables[2].rows[1][3]), "TOO EARLY");
  const util::Table& cells = tables[3];
  ASSERT_EQ(cells.rows.size(), 4U);
  for (const auto& row : cells.rows) {
    EXPECT_EQ(row.size(), cells.columns.size());
  }
  EXPECT_EQ(std::get<std::int64_t>(cells.rows[1][8]), 20'000); // n_visitors
  EXPECT_EQ(std::get<double>(cells.rows[1][22]), 0.93);        // reported_p2bc
  EXPECT_EQ(std::get<std::int64_t>(cells.rows[1][24]), 1);     // drift_flagged
  EXPECT_TRUE(std::holds_alternative<std::monostate>(cells.rows[0][24]));
}

} // namespace
} // namespace reckon::report
