#include "reckon/analysis/analyze.hpp"
#include "reckon/analysis/segments.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace reckon::analysis {
namespace {

struct ArmCount {
  std::uint64_t visitors;
  std::uint64_t orders;
};

model::CountsCell cell(model::Slice slice, ArmCount control, ArmCount variant) {
  model::CountsCell result{std::move(slice), {{}, {}}, {}};
  result.arms[0].variation_id = "a";
  result.arms[0].visitors = control.visitors;
  result.arms[0].conversions = control.orders;
  result.arms[1].variation_id = "b";
  result.arms[1].visitors = variant.visitors;
  result.arms[1].conversions = variant.orders;
  return result;
}

model::Slice device(const std::string& value) {
  return {"device_type", value, {}};
}

// stats-anchors §5.5: each segment favours B, the pooled numbers favour A, and the segments'
// arms are split 1:2 and 2:1 against an equal allocation.
model::Experiment simpson_experiment() {
  model::Experiment experiment;
  experiment.id = "simpson";
  experiment.name = "Simpson";
  experiment.source = "test";
  experiment.variations = {{"a", "A", true, 50.0}, {"b", "B", false, 50.0}};
  experiment.cells = {cell(model::Slice::overall(), {15000, 600}, {15000, 490}),
                      cell(device("Mobile"), {5000, 100}, {10000, 220}),
                      cell(device("Desktop"), {10000, 500}, {5000, 270})};
  return experiment;
}

SegmentsReport segments_of(const model::Experiment& experiment) {
  AnalysisOptions options;
  options.sampling.draws = 20'000;
  options.metrics = {"conversion_rate"};
  const Results results = analyze_counts(model::Dataset{{experiment}}, options);
  SegmentOptions segment_options;
  segment_options.metrics = {"conversion_rate"};
  segment_options.chance_draws = 2'000;
  return analyze_segments(results, segment_options);
}

TEST(SegmentsAnalysis, FlagsTheSimpsonReversalOfTheAnchorVector) {
  const SegmentsReport report = segments_of(simpson_experiment());
  ASSERT_EQ(report.experiments.size(), 1U);
  const ExperimentSegments& experiment = report.experiments.front();
  ASSERT_EQ(experiment.dimensions.size(), 1U);
  const DimensionCheck& check = experiment.dimensions.front();
  EXPECT_EQ(check.dimension, "device_type");
  EXPECT_NEAR(*check.pooled_uplift, -0.1833333333333333, 1e-9);
  EXPECT_NEAR(*check.post_stratified_uplift, 0.0857142857142857, 1e-9);
  EXPECT_TRUE(check.reversal);
  // Both segments oppose the pooled result beyond the band.
  ASSERT_EQ(experiment.rows.size(), 2U);
  for (const SegmentRow& row : experiment.rows) {
    EXPECT_TRUE(row.contradiction) << row.segment;
  }
  EXPECT_NEAR(*experiment.rows[1].raw.evidence.uplift, 0.08, 1e-9); // desktop 0.054 / 0.05
}

TEST(SegmentsAnalysis, ChecksEachSegmentsSampleRatio) {
  const SegmentsReport report = segments_of(simpson_experiment());
  const ExperimentSegments& experiment = report.experiments.front();
  ASSERT_EQ(experiment.srm.size(), 2U);
  for (const SegmentSrm& srm : experiment.srm) {
    EXPECT_NEAR(srm.test.chi2, 1666.6666666666667, 1e-6) << srm.segment;
    EXPECT_TRUE(srm.test.flagged);
  }
  EXPECT_FALSE(experiment.allocation_assumed_equal);
}

TEST(SegmentsAnalysis, CallsSmallSegmentsLowData) {
  model::Experiment experiment = simpson_experiment();
  experiment.cells.push_back(cell(device("Tablet"), {90, 4}, {95, 6}));
  const SegmentsReport report = segments_of(experiment);
  const auto& rows = report.experiments.front().rows;
  const auto tablet = std::find_if(rows.begin(), rows.end(),
                                   [](const SegmentRow& row) { return row.segment == "Tablet"; });
  ASSERT_NE(tablet, rows.end());
  EXPECT_EQ(tablet->raw.verdict, SegmentVerdict::low_data);
  EXPECT_EQ(tablet->pooled.verdict, SegmentVerdict::low_data);
  EXPECT_NE(tablet->raw.reason.find("--min-orders 30"), std::string::npos) << tablet->raw.reason;
  EXPECT_FALSE(tablet->false_win_chance); // not eligible for the chance count
}

TEST(SegmentsAnalysis, AClearSegmentWinnerAndItsChance) {
  model::Experiment experiment;
  experiment.id = "mobile-only";
  experiment.source = "test";
  experiment.variations = {{"a", "A", true, {}}, {"b", "B", false, {}}};
  experiment.cells = {cell(model::Slice::overall(), {20000, 600}, {20000, 690}),
                      cell(device("Mobile"), {10000, 300}, {10000, 390}),
                      cell(device("Desktop"), {10000, 300}, {10000, 300})};
  const SegmentsReport report = segments_of(experiment);
  const ExperimentSegments& result = report.experiments.front();
  EXPECT_TRUE(result.allocation_assumed_equal);
  ASSERT_EQ(result.rows.size(), 2U);
  EXPECT_EQ(result.rows[0].raw.verdict, SegmentVerdict::winner);
  EXPECT_NE(result.rows[1].raw.verdict, SegmentVerdict::winner);
  ASSERT_EQ(result.chance.size(), 1U);
  EXPECT_EQ(result.chance[0].winners_found, 1U);
  EXPECT_EQ(result.chance[0].eligible, 2U);
  double expected = 0.0;
  for (const SegmentRow& row : result.rows) {
    expected += row.false_win_chance.value_or(-1.0);
  }
  EXPECT_NEAR(result.chance[0].chance.expected, expected, 1e-12);
  EXPECT_GT(expected, 0.0);
  // Each segment's false-win chance is that of its own standard error: near 0.2 for these.
  EXPECT_NEAR(result.rows[1].false_win_chance.value_or(0.0), 0.2, 0.01);
}

} // namespace
} // namespace reckon::analysis
