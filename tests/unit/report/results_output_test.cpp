#include "reckon/report/results_output.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace reckon::report {
namespace {

// A small, hand-made result: one experiment, one slice, a control and a variant whose
// uplift interval could not be computed.
analysis::Results sample_results() {
  analysis::Results results;
  results.options.sampling = {20'000, 7, 0.9};
  results.options.prior = {0.5, 0.5};
  analysis::ExperimentResult experiment;
  experiment.id = "e1";
  experiment.name = "Shipping, \"free\"";
  experiment.source = "counts_csv";
  experiment.runtime_days = 14;
  experiment.variations = {{"a", "a", true, {}}, {"b", "b", false, 0.5}};
  experiment.srm = analysis::SampleRatioCheck{0.5, 0.4795001221869535, false, true};
  experiment.verdict =
      analysis::TestVerdict{"conversion_rate",
                            "chosen with --metric",
                            {{"b", analysis::Verdict::keep_running,
                              "P(beat control) 0.75, uplift +20.0 %: no call yet"}}};

  analysis::CellResult control;
  control.slice = {"device_type", "Mobile", "2026-09-02"};
  control.metric = "conversion_rate";
  control.variation_id = "a";
  control.is_control = true;
  control.n_visitors = 1000;
  control.n_orders = 100;
  control.value = 0.1;
  control.ci_low = 0.085;
  control.ci_high = 0.117;
  control.prob_best = 0.25;
  control.prob_best_se = 0.003;
  control.expected_loss = 0.02;
  control.model = "beta_binomial";
  control.assumptions = {"Monte Carlo"};

  analysis::CellResult variant = control;
  variant.variation_id = "b";
  variant.is_control = false;
  variant.n_orders = 120;
  variant.value = 0.12;
  variant.prob_best = 0.75;
  variant.prob_beat_control = 0.75;
  variant.prob_beat_control_se = 0.003;
  variant.uplift = analysis::UpliftEstimate{0.2, std::nullopt, std::nullopt};
  variant.ci_se = stats::Interval{0.0005, 0.0007};
  variant.expected_loss_se = 0.001;
  variant.assumptions = {"Monte Carlo", "uplift interval: undefined"};

  model::ReportedMetric reported;
  reported.name = "conversion_rate";
  reported.value = 0.12;
  reported.ci_low = 0.1;
  reported.p2bb = 0.7489;
  reported.p2bc = 0.7489;
  reported.uplift = model::ReportedUplift{0.2, -0.05, std::nullopt, std::nullopt};
  variant.reported = reported;
  analysis::CellDrift drift;
  const auto field = [](std::string name, double tolerance, bool flagged) {
    analysis::FieldDrift compared;
    compared.field = std::move(name);
    compared.reported = 0.7489;
    compared.recomputed = 0.75;
    compared.noise = 0.005;
    compared.rounding = 5e-05;
    compared.tolerance = tolerance;
    compared.flagged = flagged;
    return compared;
  };
  drift.fields.push_back(field("p2bb", 0.02005, false));
  drift.fields.push_back(field("p2bc", 0.0002, true));
  drift.flagged = true;
  drift.reason = "p2bc reported 0.7489, recomputed 0.75 (tolerance 0.0002)";
  variant.drift = drift;

  experiment.metrics = {{"conversion_rate", true, ""},
                        {"pct_subscription_orders", false, "no model: a bare share"}};
  experiment.cells = {control, variant};
  results.experiments.push_back(experiment);
  return results;
}

TEST(ResultsJson, MatchesTheSchemaDocumentByDocument) {
  const std::string json = render_results_json(sample_results(), {"9.9.9", 2});
  const std::string expected = R"json({
  "schema": "reckon.results/v1",
  "engine": {
    "version": "9.9.9",
    "draws": 20000,
    "seed": 7,
    "threads": 2,
    "level": 0.9,
    "prior": [
      0.5,
      0.5
    ],
    "verdict_rule": {
      "threshold": 0.8,
      "neutral_band": 0.02,
      "min_runtime_days": 10,
      "min_visitors": 100,
      "min_orders": 30
    }
  },
  "experiments": [
    {
      "id": "e1",
      "name": "Shipping, \"free\"",
      "status": null,
      "source": "counts_csv",
      "runtime_days": 14,
      "variations": [
        {
          "id": "a",
          "name": "a",
          "is_control": true,
          "allocation": null
        },
        {
          "id": "b",
          "name": "b",
          "is_control": false,
          "allocation": 0.5
        }
      ],
      "srm": {
        "chi2": 0.5,
        "p_value": 0.4795001221869535,
        "flag": false,
        "allocation_assumed_equal": true
      },
      "verdict": {
        "metric": "conversion_rate",
        "metric_reason": "chosen with --metric",
        "variations": [
          {
            "variation_id": "b",
            "verdict": "KEEP RUNNING",
            "reason": "P(beat control) 0.75, uplift +20.0 %: no call yet"
          }
        ]
      },
      "metrics": [
        {
          "name": "conversion_rate",
          "reanalysed": true,
          "reason": null
        },
        {
          "name": "pct_subscription_orders",
          "reanalysed": false,
          "reason": "no model: a bare share"
        }
      ],
      "cells": [
        {
          "segment_type": "device_type",
          "segment": "Mobile",
          "date": "2026-09-02",
          "metric": "conversion_rate",
          "variation_id": "a",
          "is_control": true,
          "n_visitors": 1000,
          "n_orders": 100,
          "value": 0.1,
          "ci_low": 0.085,
          "ci_high": 0.117,
          "p2bb": 0.25,
          "p2bc": null,
          "expected_loss": 0.02,
          "uplift": null,
          "mc_se": {
            "p2bb": 0.003,
            "p2bc": null,
            "expected_loss": null,
            "ci_low": null,
            "ci_high": null,
            "uplift_ci_low": null,
            "uplift_ci_high": null
          },
          "model": "beta_binomial",
          "assumptions": [
            "Monte Carlo"
          ],
          "reported": null,
          "drift": null
        },
        {
          "segment_type": "device_type",
          "segment": "Mobile",
          "date": "2026-09-02",
          "metric": "conversion_rate",
          "variation_id": "b",
          "is_control": false,
          "n_visitors": 1000,
          "n_orders": 120,
          "value": 0.12,
          "ci_low": 0.085,
          "ci_high": 0.117,
          "p2bb": 0.75,
          "p2bc": 0.75,
          "expected_loss": 0.02,
          "uplift": {
            "value": 0.2,
            "ci_low": null,
            "ci_high": null
          },
          "mc_se": {
            "p2bb": 0.003,
            "p2bc": 0.003,
            "expected_loss": 0.001,
            "ci_low": 5e-04,
            "ci_high": 7e-04,
            "uplift_ci_low": null,
            "uplift_ci_high": null
          },
          "model": "beta_binomial",
          "assumptions": [
            "Monte Carlo",
            "uplift interval: undefined"
          ],
          "reported": {
            "value": 0.12,
            "ci_low": 0.1,
            "ci_high": null,
            "plus_minus": null,
            "p2bb": 0.7489,
            "p2bc": 0.7489,
            "uplift": {
              "value": 0.2,
              "ci_low": -0.05,
              "ci_high": null,
              "plus_minus": null
            }
          },
          "drift": {
            "p2bb": {
              "reported": 0.7489,
              "recomputed": 0.75,
              "difference": 0.0010999999999999899,
              "tolerance": 0.02005,
              "flag": false
            },
            "p2bc": {
              "reported": 0.7489,
              "recomputed": 0.75,
              "difference": 0.0010999999999999899,
              "tolerance": 2e-04,
              "flag": true
            },
            "flag": true,
            "reason": "p2bc reported 0.7489, recomputed 0.75 (tolerance 0.0002)"
          }
        }
      ]
    }
  ]
}
)json";
  EXPECT_EQ(json, expected);
}

TEST(ResultsCsv, OneRowPerCellWithEmptyFieldsForNulls) {
  const std::string csv = render_results_csv(sample_results());
  EXPECT_EQ(csv,
            "experiment,segment_type,segment,date,metric,variation_id,is_control,n_visitors,"
            "n_orders,value,ci_low,ci_high,p2bb,p2bc,expected_loss,uplift,uplift_ci_low,"
            "uplift_ci_high,mc_se_p2bb,mc_se_p2bc,mc_se_expected_loss,mc_se_ci_low,mc_se_ci_high,"
            "mc_se_uplift_ci_low,"
            "mc_se_uplift_ci_high,model,verdict\n"
            "e1,device_type,Mobile,2026-09-02,conversion_rate,a,true,1000,100,0.1,0.085,0.117,"
            "0.25,,0.02,,,,0.003,,,,,,,beta_binomial,\n"
            "e1,device_type,Mobile,2026-09-02,conversion_rate,b,false,1000,120,0.12,0.085,0.117,"
            "0.75,0.75,0.02,0.2,,,0.003,0.003,0.001,5e-04,7e-04,,,beta_binomial,\n");
}

// The decision summary: names, verdicts, percentages, every column within 100.
TEST(ResultsTable, SummaryShowsVerdictsNamesAndPercentages) {
  analysis::Results results = sample_results();
  analysis::ExperimentResult& experiment = results.experiments[0];
  experiment.variations = {{"a", "Control", true, {}}, {"b", "Bold copy", false, 0.5}};
  experiment.currency = "$";
  for (analysis::CellResult& cell : experiment.cells) {
    cell.slice = model::Slice::overall();
  }
  analysis::CellResult revenue = experiment.cells[1];
  revenue.metric = "net_revenue_per_visitor";
  revenue.value = 1234.5;
  revenue.prob_beat_control = 0.99985;
  revenue.prob_best = 0.5;
  experiment.cells.push_back(revenue);
  const std::string table = render_results_table(results);
  EXPECT_EQ(table,
            "Shipping, \"free\" (e1)\n"
            "  2 variations, 14 days, 2,000 visitors, sample ratio p = 0.4795 (equal split "
            "assumed)\n"
            "  verdict on conversion_rate (chosen with --metric)\n"
            "    Bold copy  KEEP RUNNING  P(beat control) 0.75, uplift +20.0 %: no call yet\n"
            "\n"
            "  variation       verdict      value        90 % CI   uplift  90 % CI  P(beat)  "
            "P(best)  E(loss)\n"
            "  conversion_rate (primary):\n"
            "  Control         control    10.00 %  [8.50, 11.70]        -        -        -   "
            "25.0 %   2.00 %\n"
            "  Bold copy  KEEP RUNNING    12.00 %  [8.50, 11.70]  +20.0 %        -   75.0 %   "
            "75.0 %   2.00 %\n"
            "  net_revenue_per_visitor:\n"
            "  Bold copy                $1,234.50   [0.09, 0.12]  +20.0 %        -  >99.9 %   "
            "50.0 %   2.00 %\n"
            "\n");
}

TEST(ResultsTable, DetailOrdersOverallSegmentsThenDaysWhateverTheInputOrder) {
  analysis::Results results = sample_results();
  std::vector<analysis::CellResult> cells;
  for (const model::Slice& slice :
       {model::Slice{"day", "2026-09-03", ""}, model::Slice{"device_type", "Mobile", "2026-09-02"},
        model::Slice{"day", "2026-09-02", ""}, model::Slice{"visitor_type", "New", ""},
        model::Slice::overall(), model::Slice{"device_type", "Desktop", ""}}) {
    for (analysis::CellResult cell : results.experiments[0].cells) {
      cell.slice = slice;
      cells.push_back(cell);
    }
  }
  results.experiments[0].cells = cells;
  const std::string detail = render_results_table(results, {TableScope::every_slice});
  std::vector<std::size_t> at;
  for (const char* heading : {"\n  overall\n", "\n  device_type = Desktop\n",
                              "\n  visitor_type = New\n", "\n  day 2026-09-02\n",
                              "\n  day 2026-09-03\n", "\n  device_type = Mobile on 2026-09-02\n"}) {
    at.push_back(detail.find(heading));
    ASSERT_NE(at.back(), std::string::npos) << heading << detail;
  }
  EXPECT_TRUE(std::is_sorted(at.begin(), at.end())) << detail;
  // The summary keeps the overall slice only.
  const std::string summary = render_results_table(results);
  EXPECT_EQ(summary.find("device_type"), std::string::npos);
  EXPECT_EQ(summary.find("2026-09-03"), std::string::npos);
}

TEST(ResultsTable, ANarrowWidthFoldsRowsAndCutsNoNumber) {
  analysis::Results results = sample_results();
  for (analysis::CellResult& cell : results.experiments[0].cells) {
    cell.slice = model::Slice::overall();
  }
  const std::string wide = render_results_table(results);
  const std::string narrow = render_results_table(results, {TableScope::overall_only, 50});
  std::size_t start = 0;
  while (start < narrow.size()) {
    const std::size_t end = narrow.find('\n', start);
    EXPECT_LE(end - start, 50U) << narrow.substr(start, end - start);
    start = end + 1;
  }
  for (const char* number : {"[8.50, 11.70]", "+20.0 %", "75.0 %", "2.00 %", "12.00 %"}) {
    EXPECT_NE(wide.find(number), std::string::npos) << number << wide;
    EXPECT_NE(narrow.find(number), std::string::npos) << number << narrow;
  }
}

} // namespace
} // namespace reckon::report
