// Inputs the fuzz targets (tests/fuzz, docs/fuzzing.md) found crashing a parser, each kept as a
// literal with the outcome the parser must give instead.
#include "reckon/contract/intelligems.hpp"
#include "reckon/parse/counts_csv.hpp"
#include "reckon/parse/intelligems.hpp"

#include "support/error_matchers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reckon::parse {
namespace {

using ::testing::HasSubstr;
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

// An analytics request whose window bound is `bound`, parsed with an empty answer.
util::Result<model::Dataset> parse_window_bound(const std::string& bound) {
  contract::ApiExchange exchange;
  exchange.request.source = std::string(contract::intelligems::k_source);
  exchange.request.method = "POST";
  exchange.request.path = contract::intelligems::analytics_resource_path("x");
  exchange.request.body = R"({"view":"overview","startTs":)" + bound + R"(,"endTs":"1788911999"})";
  exchange.body = "{}";
  exchange.origin = "saved";
  return parse_intelligems(std::vector{exchange});
}

// fuzz_intelligems_request: a window bound given as a JSON number near the int64 limit
// overflowed when scaled to milliseconds for the plausibility check (UBSan: signed integer
// overflow). Where the product wrapped into 2000-2100, the bound passed as plausible.
TEST(FuzzRegressions, IntelligemsWindowBoundBeyondMillisecondsIsImplausible) {
  // 18446745862535152 * 1000 wraps, modulo 2^64, to 2026-09-08T00:00:00.384Z.
  for (const std::string bound : {"59007199254740993", "18446745862535152"}) {
    const auto dataset = parse_window_bound(bound);
    EXPECT_ERROR(dataset, util::ErrorCode::bad_input,
                 StartsWith("expected Unix seconds between 2000 and 2100, got "))
        << bound;
    ASSERT_FALSE(dataset);
    EXPECT_THAT(dataset.error().where, HasSubstr("startTs")) << bound;
  }
}

} // namespace
} // namespace reckon::parse
