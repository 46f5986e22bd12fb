#include "reckon/analysis/analyze.hpp"
#include "reckon/report/segments_output.hpp"

#include <gtest/gtest.h>

#include <simdjson.h>

#include <sstream>

namespace reckon::report {
namespace {

model::CountsCell cell(model::Slice slice, std::uint64_t control_visitors,
                       std::uint64_t control_orders, std::uint64_t variant_visitors,
                       std::uint64_t variant_orders) {
  model::CountsCell result{std::move(slice), {{}, {}}, {}};
  result.arms[0] = {"a", control_visitors, control_orders, 0.0, {}, {}, {}, {}, {}};
  result.arms[1] = {"b", variant_visitors, variant_orders, 0.0, {}, {}, {}, {}, {}};
  return result;
}

// The Simpson vector of stats-anchors §5.5, with a long segment name beside it.
analysis::SegmentsReport simpson_report() {
  model::Experiment experiment;
  experiment.id = "simpson";
  experiment.name = "Mix, \"paradox\"";
  experiment.source = "test";
  experiment.variations = {{"a", "Control", true, 50.0}, {"b", "Variant", false, 50.0}};
  experiment.cells = {cell(model::Slice::overall(), 15000, 600, 15000, 490),
                      cell({"device_type", "Mobile", {}}, 5000, 100, 10000, 220),
                      cell({"device_type", "Desktop", {}}, 10000, 500, 5000, 270),
                      cell({"landing_page_full_path", "/collections/outerwear-and-more", {}}, 15000,
                           600, 15000, 490)};
  analysis::AnalysisOptions options;
  options.sampling.draws = 20'000;
  options.metrics = {"conversion_rate"};
  const analysis::Results results = analysis::analyze_counts(model::Dataset{{experiment}}, options);
  analysis::SegmentOptions segment_options;
  segment_options.metrics = {"conversion_rate"};
  segment_options.chance_draws = 2'000;
  return analysis::analyze_segments(results, segment_options);
}

TEST(SegmentsOutput, TheTableNamesTheReversalAndTheSegmentsOffTheirAllocation) {
  const std::string table = render_segments_table(simpson_report(), SegmentScope::worth_reading);
  EXPECT_NE(table.find("Mix, \"paradox\" (simpson), conversion_rate"), std::string::npos) << table;
  EXPECT_NE(table.find("Simpson reversal in device_type (Variant): pooled -18.3 %, "
                       "post-stratified +8.6 %"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("sample ratio mismatch in device: Mobile (p = 0.0000), device: Desktop"),
            std::string::npos)
      << table;
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(line.size(), 100U) << line;
  }
}

TEST(SegmentsOutput, EverySegmentScopeListsEveryRow) {
  const analysis::SegmentsReport report = simpson_report();
  const std::string table = render_segments_table(report, SegmentScope::every_segment);
  for (const analysis::SegmentRow& row : report.experiments.front().rows) {
    EXPECT_NE(table.find(": " + row.segment.substr(0, 5)), std::string::npos) << row.segment;
  }
  EXPECT_EQ(table.find("not listed"), std::string::npos) << table;
  EXPECT_NE(table.find("page: /coll...d-more"), std::string::npos) << table; // start and end
}

TEST(SegmentsOutput, JsonCarriesTheNumbersExactly) {
  const analysis::SegmentsReport report = simpson_report();
  const std::string json = render_segments_json(report, {"test", 1});
  simdjson::dom::parser parser;
  const simdjson::dom::element document = parser.parse(json);
  EXPECT_EQ(std::string_view(document["schema"]), "reckon.segments/v1");
  const analysis::ExperimentSegments& experiment = report.experiments.front();
  const simdjson::dom::element written = document["experiments"].at(0);
  const simdjson::dom::element dimension = written["dimensions"].at(0);
  EXPECT_EQ(double(dimension["post_stratified_uplift"]),
            *experiment.dimensions.front().post_stratified_uplift);
  EXPECT_TRUE(bool(dimension["reversal"]));
  const simdjson::dom::array segments = written["segments"];
  ASSERT_EQ(segments.size(), experiment.rows.size());
  EXPECT_EQ(double(segments.at(0)["raw"]["uplift"]), *experiment.rows.front().raw.evidence.uplift);
  EXPECT_EQ(double(segments.at(0)["pooled"]["shrinkage"]), *experiment.rows.front().shrinkage);
  EXPECT_TRUE(bool(segments.at(0)["contradiction"]));
  EXPECT_EQ(std::string_view(segments.at(0)["opportunity_reason"]), "not a winner");
  EXPECT_EQ(written["srm"].get_array().size(), 3U);
  EXPECT_EQ(uint64_t(written["chance"].at(0)["draws"]), 2'000U);
}

TEST(SegmentsOutput, CsvHasOneRowPerSegmentAndQuotesWhatNeedsIt) {
  const analysis::SegmentsReport report = simpson_report();
  const std::string csv = render_segments_csv(report);
  std::istringstream lines(csv);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) {
    rows.push_back(line);
  }
  ASSERT_EQ(rows.size(), 1 + report.experiments.front().rows.size());
  EXPECT_EQ(rows[0].rfind("experiment,dimension,segment,variation_id,metric,", 0), 0U);
  EXPECT_EQ(rows[1].rfind("simpson,device_type,Mobile,b,conversion_rate,5000,10000,100,220,", 0),
            0U)
      << rows[1];
}

} // namespace
} // namespace reckon::report
