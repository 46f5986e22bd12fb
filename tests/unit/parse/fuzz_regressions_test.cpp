// Inputs the fuzz targets (tests/fuzz, docs/fuzzing.md) found crashing a parser, each kept as a
// literal with the outcome the parser must give instead.
#include "reckon/parse/counts_csv.hpp"

#include "support/error_matchers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace reckon::parse {
namespace {

using ::testing::StartsWith;

// fuzz_counts_csv, from the first rows of data/demo/counts.csv: the last slice lacks a
// variation, an error found only once every row is read, when the walk over the rows (and
// the header layout it owned) had ended. The message read the column's position from that
// layout: undefined behaviour (UBSan: "load of value 59, which is not a valid value for type
// 'bool'").
TEST(FuzzRegressions, CountsCsvNamesTheColumnOfAWholeExperimentProblem) {
  const std::string text =
      "experiment,variation,is_control,segment_type,segment,date,visitors,conversions,revenue,"
      "revenue_sq,allocation\n"
      "e,control,true,,,,22424,664,51301.07,7519407.6393,50\n"
      "e,treat,false,,,,22536,801,63718.32,8939322.5198,50\n"
      "e,control,true,source_channel,Direct,,3640,134,9609.21,1232051.4765,50\n";
  const std::string message =
      "variation: slice source_channel=\"Direct\" of experiment \"e\" lacks variation \"treat\"";
  const auto dataset = parse_counts_csv(text, "fuzz.csv");
  EXPECT_ERROR(dataset, util::ErrorCode::bad_input, StartsWith(message));
  ASSERT_FALSE(dataset);
  EXPECT_EQ(dataset.error().where, "fuzz.csv:4:2");
  const auto parts = split_counts_csv(text, "fuzz.csv");
  EXPECT_ERROR(parts, util::ErrorCode::bad_input, StartsWith(message));
}

} // namespace
} // namespace reckon::parse
