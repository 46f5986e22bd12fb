#include "reckon/parse/counts_csv.hpp"

#include "support/error_matchers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>

namespace reckon::parse {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view k_header =
    "experiment,variation,is_control,segment_type,segment,date,visitors,conversions,revenue,"
    "revenue_sq\n";

util::Result<model::Dataset> parse(const std::string& text) {
  return parse_counts_csv(text, "counts.csv");
}

// Parses `rows` below the canonical header and expects success.
model::Dataset parse_ok(const std::string& text) {
  auto result = parse(text);
  EXPECT_TRUE(result) << result.error().describe();
  return result ? std::move(result).value() : model::Dataset{};
}

// Expects a bad_input error at `where` whose message starts with `column`.
void expect_error(const std::string& text, const std::string& where, const std::string& column,
                  const std::string& also_says = {}) {
  const auto result = parse(text);
  ASSERT_FALSE(result);
  EXPECT_ERROR(result, util::ErrorCode::bad_input,
               ::testing::AllOf(StartsWith(column + ": "), HasSubstr(also_says)));
  EXPECT_EQ(result.error().where, where);
}

std::string with_header(const std::string& rows) {
  return std::string(k_header) + rows;
}

// A valid two-arm overall slice for experiment `e`.
std::string two_arms(const std::string& e) {
  return e + ",a,true,,,,100,10,50,300\n" + e + ",b,false,,,,110,12,61.5,400\n";
}

TEST(CountsCsv, ReadsOneOverallSlice) {
  const model::Dataset dataset = parse_ok(with_header(two_arms("exp1")));
  ASSERT_EQ(dataset.experiments.size(), 1U);
  const model::Experiment& experiment = dataset.experiments[0];
  EXPECT_EQ(experiment.id, "exp1");
  EXPECT_EQ(experiment.name, "exp1");
  EXPECT_EQ(experiment.status, "");
  EXPECT_EQ(experiment.source, "counts_csv");
  ASSERT_EQ(experiment.variations.size(), 2U);
  EXPECT_EQ(experiment.variations[0].id, "a");
  EXPECT_EQ(experiment.variations[0].name, "a");
  EXPECT_TRUE(experiment.variations[0].is_control);
  EXPECT_FALSE(experiment.variations[0].allocation);
  EXPECT_FALSE(experiment.variations[1].is_control);
  ASSERT_EQ(experiment.cells.size(), 1U);
  const model::CountsCell& cell = experiment.cells[0];
  EXPECT_EQ(cell.slice, model::Slice::overall());
  ASSERT_EQ(cell.arms.size(), 2U);
  EXPECT_EQ(cell.arms[1].variation_id, "b");
  EXPECT_EQ(cell.arms[1].visitors, 110U);
  EXPECT_EQ(cell.arms[1].conversions, 12U);
  EXPECT_DOUBLE_EQ(cell.arms[1].revenue, 61.5);
  EXPECT_EQ(cell.arms[1].revenue_sq, 400.0);
}

TEST(CountsCsv, AcceptsColumnsInAnyOrderWithSpacesAroundNames) {
  const model::Dataset dataset = parse_ok(
      " revenue , visitors,conversions,date,segment,segment_type,is_control,variation,experiment\n"
      "50,100,10,,,,1,a,e\n"
      "60,120,11,,,,0,b,e\n");
  ASSERT_EQ(dataset.experiments.size(), 1U);
  const model::ArmCounts& arm = dataset.experiments[0].cells[0].arms[1];
  EXPECT_EQ(arm.variation_id, "b");
  EXPECT_EQ(arm.visitors, 120U);
  EXPECT_EQ(arm.conversions, 11U);
  EXPECT_DOUBLE_EQ(arm.revenue, 60.0);
}

TEST(CountsCsv, IgnoresUnknownColumns) {
  const model::Dataset dataset = parse_ok(
      "experiment,note,variation,is_control,segment_type,segment,date,visitors,conversions,"
      "revenue,\n"
      "e,anything,a,true,,,,100,10,50,x\n"
      "e,,b,false,,,,100,10,50,\n");
  EXPECT_EQ(dataset.experiments[0].cells[0].arms.size(), 2U);
}

TEST(CountsCsv, RevenueSqIsOptional) {
  const model::Dataset absent = parse_ok(
      "experiment,variation,is_control,segment_type,segment,date,visitors,conversions,revenue\n"
      "e,a,true,,,,100,10,50\ne,b,false,,,,100,10,50\n");
  EXPECT_FALSE(absent.experiments[0].cells[0].arms[0].revenue_sq);

  // A zero sum of squares is possible only with zero revenue (Cauchy-Schwarz).
  const model::Dataset mixed = parse_ok(with_header("e,a,true,,,,100,10,50,\n"
                                                    "e,b,false,,,,100,10,0,0\n"));
  EXPECT_FALSE(mixed.experiments[0].cells[0].arms[0].revenue_sq);
  EXPECT_EQ(mixed.experiments[0].cells[0].arms[1].revenue_sq, 0.0);
}

TEST(CountsCsv, ReadsTheOptionalAllocationOfEachVariation) {
  const std::string header = "experiment,variation,is_control,visitors,conversions,revenue,"
                             "segment_type,segment,date,allocation\n";
  const model::Dataset dataset = parse_ok(header + "e,a,true,100,10,50,,,,34\n"
                                                   "e,b,false,100,10,50,,,,66\n"
                                                   "e,a,true,50,5,25,,,2026-09-01,\n"
                                                   "e,b,false,50,5,25,,,2026-09-01,66\n");
  const auto& variations = dataset.experiments[0].variations;
  EXPECT_EQ(variations[0].allocation, 34.0);
  EXPECT_EQ(variations[1].allocation, 66.0);
  EXPECT_FALSE(parse_ok(with_header(two_arms("e"))).experiments[0].variations[0].allocation);
}

TEST(CountsCsv, RejectsAVariationWhoseAllocationChanges) {
  const std::string header = "experiment,variation,is_control,segment_type,segment,date,"
                             "visitors,conversions,revenue,allocation\n";
  expect_error(header + "e,a,true,,,,100,10,50,50\n"
                        "e,b,false,,,,100,10,50,50\n"
                        "e,a,true,,,2026-09-01,50,5,25,40\n"
                        "e,b,false,,,2026-09-01,50,5,25,50\n",
               "counts.csv:4:10", "allocation", "has allocation 40 here but 50");
  expect_error(header + "e,a,true,,,,100,10,50,-1\n", "counts.csv:2:10", "allocation",
               "must be empty or a finite number >= 0");
}

TEST(CountsCsv, AcceptsDecimalAndExponentRevenueButStoresNoNegativeZero) {
  // (A zero sum of squares needs zero revenue: Cauchy-Schwarz.)
  const model::Dataset dataset = parse_ok(with_header("e,a,true,,,,100,10,1.5e3,2.25e5\n"
                                                      "e,b,false,,,,100,10,0,-0\n"));
  const model::ArmCounts& arm = dataset.experiments[0].cells[0].arms[0];
  EXPECT_DOUBLE_EQ(arm.revenue, 1500.0);
  const model::ArmCounts& zero = dataset.experiments[0].cells[0].arms[1];
  ASSERT_TRUE(zero.revenue_sq);
  EXPECT_FALSE(std::signbit(*zero.revenue_sq));
}

TEST(CountsCsv, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
  const model::Dataset dataset = parse_ok(
      with_header("\"exp, \"\"big\"\"\",a,true,\"utm,source\",\"line\nbreak\",,100,10,50,\n"
                  "\"exp, \"\"big\"\"\",b,false,\"utm,source\",\"line\nbreak\",,100,10,50,\n"));
  ASSERT_EQ(dataset.experiments.size(), 1U);
  EXPECT_EQ(dataset.experiments[0].id, "exp, \"big\"");
  EXPECT_EQ(dataset.experiments[0].cells[0].slice, (model::Slice{"utm,source", "line\nbreak", ""}));
}

TEST(CountsCsv, CountsLinesInsideQuotedFieldsForErrors) {
  expect_error(with_header("e,a,true,k,\"two\nlines\",,100,10,50,\ne,b,false,,,,-1,0,0,\n"),
               "counts.csv:4:7", "visitors");
}

TEST(CountsCsv, AcceptsCrlfLineEndings) {
  const std::string text = with_header(two_arms("e") + "e,a,true,,,2026-09-01,5,1,2,\n" +
                                       "e,b,false,,,2026-09-01,5,1,2,\n");
  std::string crlf;
  for (const char c : text) {
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  }
  const model::Dataset dataset = parse_ok(crlf);
  ASSERT_EQ(dataset.experiments[0].cells.size(), 2U);
  EXPECT_EQ(dataset.experiments[0].cells[1].arms[1].revenue_sq, std::nullopt);
  expect_error(crlf + "e,c,false,,,,5,9,2,\r\n", "counts.csv:6:8", "conversions");
}

TEST(CountsCsv, IgnoresByteOrderMark) {
  const model::Dataset dataset = parse_ok("\xEF\xBB\xBF" + with_header(two_arms("e")));
  EXPECT_EQ(dataset.experiments[0].id, "e");
}

TEST(CountsCsv, IgnoresTrailingBlankLines) {
  const model::Dataset dataset = parse_ok(with_header(two_arms("e")) + "\n\n  \n");
  EXPECT_EQ(dataset.experiments.size(), 1U);
}

TEST(CountsCsv, AcceptsIsControlSpellings) {
  const model::Dataset dataset = parse_ok(with_header("e,a,TRUE,,,,1,0,0,\ne,b,False,,,,1,0,0,\n"
                                                      "f,a,0,,,,1,0,0,\nf,b,1,,,,1,0,0,\n"));
  EXPECT_TRUE(dataset.experiments[0].variations[0].is_control);
  EXPECT_FALSE(dataset.experiments[0].variations[1].is_control);
  EXPECT_FALSE(dataset.experiments[1].variations[0].is_control);
  EXPECT_TRUE(dataset.experiments[1].variations[1].is_control);
}

TEST(CountsCsv, BuildsDaySegmentAndSegmentByDaySlices) {
  const model::Dataset dataset = parse_ok(
      with_header("e,a,true,,,2024-02-29,10,1,5,\ne,b,false,,,2024-02-29,10,1,5,\n"
                  "e,a,true,device_type,Mobile,,10,1,5,\ne,b,false,device_type,Mobile,,10,1,5,\n"
                  "e,a,true,device_type,Mobile,2024-02-29,10,1,5,\n"
                  "e,b,false,device_type,Mobile,2024-02-29,10,1,5,\n"));
  const auto& cells = dataset.experiments[0].cells;
  ASSERT_EQ(cells.size(), 3U);
  EXPECT_EQ(cells[0].slice, (model::Slice{"day", "2024-02-29", ""}));
  EXPECT_EQ(cells[1].slice, (model::Slice{"device_type", "Mobile", ""}));
  EXPECT_EQ(cells[2].slice, (model::Slice{"device_type", "Mobile", "2024-02-29"}));
}

TEST(CountsCsv, OrdersArmsByVariationOrderNotRowOrder) {
  const model::Dataset dataset =
      parse_ok(with_header("e,c,true,,,,1,0,0,\ne,a,false,,,,2,0,0,\ne,b,false,,,,3,0,0,\n"
                           "e,b,false,,,2026-01-01,4,0,0,\ne,c,true,,,2026-01-01,5,0,0,\ne,a,false,"
                           ",,2026-01-01,6,0,0,\n"));
  const model::Experiment& experiment = dataset.experiments[0];
  ASSERT_EQ(experiment.variations.size(), 3U);
  EXPECT_EQ(experiment.variations[0].id, "c");
  EXPECT_EQ(experiment.variations[1].id, "a");
  EXPECT_EQ(experiment.variations[2].id, "b");
  const auto& arms = experiment.cells[1].arms;
  ASSERT_EQ(arms.size(), 3U);
  EXPECT_EQ(arms[0].variation_id, "c");
  EXPECT_EQ(arms[0].visitors, 5U);
  EXPECT_EQ(arms[1].variation_id, "a");
  EXPECT_EQ(arms[2].variation_id, "b");
}

TEST(CountsCsv, KeepsExperimentsInOrderOfFirstAppearance) {
  const model::Dataset dataset = parse_ok(with_header(
      "z,a,true,,,,1,0,0,\nm,a,true,,,,1,0,0,\nz,b,false,,,,1,0,0,\nm,b,false,,,,1,0,0,\n"));
  ASSERT_EQ(dataset.experiments.size(), 2U);
  EXPECT_EQ(dataset.experiments[0].id, "z");
  EXPECT_EQ(dataset.experiments[1].id, "m");
  EXPECT_EQ(dataset.experiments[1].cells[0].arms.size(), 2U);
}

TEST(CountsCsv, RejectsAnEmptyFile) {
  expect_error("", "counts.csv:1", "header");
  expect_error("\xEF\xBB\xBF", "counts.csv:1", "header");
}

TEST(CountsCsv, RejectsAHeaderWithoutRows) {
  const auto result = parse(std::string(k_header) + "\n");
  ASSERT_FALSE(result);
  EXPECT_ERROR(result, util::ErrorCode::bad_input, HasSubstr("no data rows"));
  EXPECT_EQ(result.error().where, "counts.csv");
}

TEST(CountsCsv, RejectsAMissingColumn) {
  expect_error("experiment,variation,is_control,segment_type,segment,date,conversions,revenue\n" +
                   two_arms("e"),
               "counts.csv:1", "visitors", "missing");
}

// A file needs only the columns it uses: conversion-only data without revenue, and no empty
// segment or date columns.
TEST(CountsCsv, ReadsAFileWithOnlyTheColumnsItUses) {
  const model::Dataset dataset = parse_ok("experiment,variation,is_control,visitors,conversions\n"
                                          "e,a,true,1000,100\n"
                                          "e,b,false,1000,120\n");
  ASSERT_EQ(dataset.experiments.size(), 1U);
  const model::Experiment& experiment = dataset.experiments.front();
  EXPECT_FALSE(experiment.revenue_known);
  ASSERT_EQ(experiment.cells.size(), 1U);
  EXPECT_TRUE(experiment.cells.front().slice.is_overall());
  EXPECT_EQ(experiment.cells.front().arms[1].conversions, 120U);
  EXPECT_EQ(experiment.cells.front().arms[1].revenue, 0.0);
  EXPECT_FALSE(experiment.cells.front().arms[1].revenue_sq);
  EXPECT_TRUE(parse_ok(with_header(two_arms("e"))).experiments.front().revenue_known);

  // Days without segments, and segments without days.
  const model::Dataset days = parse_ok("experiment,variation,is_control,date,visitors,conversions,"
                                       "revenue\n"
                                       "e,a,true,,100,10,50\n"
                                       "e,b,false,,100,12,61\n"
                                       "e,a,true,2026-09-01,40,4,20\n"
                                       "e,b,false,2026-09-01,40,5,25\n");
  ASSERT_EQ(days.experiments.front().cells.size(), 2U);
  EXPECT_EQ(days.experiments.front().cells[1].slice, (model::Slice{"day", "2026-09-01", {}}));
  const model::Dataset segments =
      parse_ok("segment_type,segment,experiment,variation,is_control,visitors,conversions\n"
               ",,e,a,true,100,10\n"
               ",,e,b,false,100,12\n"
               "device,Mobile,e,a,true,40,4\n"
               "device,Mobile,e,b,false,40,5\n");
  EXPECT_EQ(segments.experiments.front().cells[1].slice, (model::Slice{"device", "Mobile", {}}));
}

TEST(CountsCsv, RejectsColumnsThatOnlyMeanSomethingTogether) {
  expect_error("experiment,variation,is_control,segment,visitors,conversions\n", "counts.csv:1",
               "segment_type", "which has segment; give both or neither");
  expect_error("experiment,variation,is_control,segment_type,visitors,conversions\n",
               "counts.csv:1", "segment", "which has segment_type; give both or neither");
  expect_error("experiment,variation,is_control,visitors,conversions,revenue_sq\n", "counts.csv:1",
               "revenue", "which has revenue_sq, a sum of squares of it");
}

// A spreadsheet saved with semicolons (decimal-comma locales) or tabs reads as one column; the
// error says what it looks like instead of listing missing columns.
TEST(CountsCsv, HintsAtASemicolonOrTabSeparatedFile) {
  expect_error("experiment;variation;is_control;visitors;conversions;revenue\ne;a;true;1;0;0\n",
               "counts.csv:1", "header",
               "looks semicolon-separated; Reckon reads comma-separated CSV: save counts.csv with "
               "commas between fields");
  expect_error("experiment\tvariation\tis_control\tvisitors\tconversions\n", "counts.csv:1",
               "header", "looks tab-separated");
  // One column with neither is the ordinary missing column.
  expect_error("experiment\n", "counts.csv:1", "variation", "required column missing");
}

TEST(CountsCsv, RejectsADuplicateColumn) {
  expect_error("experiment,variation,is_control,segment_type,segment,date,visitors,conversions,"
               "revenue,visitors\n",
               "counts.csv:1", "visitors", "fields 7 and 10");
  expect_error("revenue_sq,experiment,variation,is_control,segment_type,segment,date,visitors,"
               "conversions,revenue,revenue_sq\n",
               "counts.csv:1", "revenue_sq", "twice");
}

TEST(CountsCsv, RejectsARowWithTooFewFields) {
  expect_error(with_header("e,a,true,,,,100,10,50\n"), "counts.csv:2:10", "revenue_sq",
               "row has 9 fields, the header has 10");
}

TEST(CountsCsv, RejectsARowWithTooManyFields) {
  const auto result = parse(with_header("e,a,true,,,,100,10,50,,\n"));
  ASSERT_FALSE(result);
  EXPECT_ERROR(result, util::ErrorCode::bad_input, "row has 11 fields, the header has 10");
  EXPECT_EQ(result.error().where, "counts.csv:2:11");
}

TEST(CountsCsv, RejectsABlankLineBetweenRows) {
  const auto result = parse(with_header("e,a,true,,,,1,0,0,\n\ne,b,false,,,,1,0,0,\n"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().where, "counts.csv:3:1");
  EXPECT_THAT(result.error().message, HasSubstr("blank line"));
}

TEST(CountsCsv, RejectsANonNumberCount) {
  expect_error(with_header("e,a,true,,,,abc,0,0,\n"), "counts.csv:2:7", "visitors",
               "must be a whole number >= 0, got \"abc\"");
}

TEST(CountsCsv, RejectsANegativeCount) {
  const auto result = parse(with_header(two_arms("e") + "e,a,true,,,2026-01-01,5,1,0,\n" +
                                        "e,b,false,,,2026-01-01,-5,0,0,\n"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().describe(),
            "counts.csv:5:7: visitors: must be a whole number >= 0, got \"-5\"");
}

TEST(CountsCsv, RejectsAFractionalCount) {
  expect_error(with_header("e,a,true,,,,10,3.5,0,\n"), "counts.csv:2:8", "conversions",
               "got \"3.5\"");
}

TEST(CountsCsv, RejectsACountInExponentNotation) {
  expect_error(with_header("e,a,true,,,,1e3,0,0,\n"), "counts.csv:2:7", "visitors", "got \"1e3\"");
}

TEST(CountsCsv, RejectsAnEmptyCount) {
  expect_error(with_header("e,a,true,,,,10,,0,\n"), "counts.csv:2:8", "conversions", "got \"\"");
}

TEST(CountsCsv, RejectsACountTooLargeForSixtyFourBits) {
  expect_error(with_header("e,a,true,,,,18446744073709551616,0,0,\n"), "counts.csv:2:7", "visitors",
               "too large");
}

TEST(CountsCsv, RejectsConversionsAboveVisitors) {
  expect_error(with_header("e,a,true,,,,10,11,0,\n"), "counts.csv:2:8", "conversions",
               "must not exceed visitors (10), got \"11\"");
}

TEST(CountsCsv, RejectsNegativeRevenue) {
  expect_error(with_header("e,a,true,,,,10,1,-0.5,\n"), "counts.csv:2:9", "revenue",
               "got \"-0.5\"");
}

TEST(CountsCsv, RejectsNonFiniteOrEmptyRevenue) {
  expect_error(with_header("e,a,true,,,,10,1,nan,\n"), "counts.csv:2:9", "revenue");
  expect_error(with_header("e,a,true,,,,10,1,inf,\n"), "counts.csv:2:9", "revenue");
  expect_error(with_header("e,a,true,,,,10,1,1e999,\n"), "counts.csv:2:9", "revenue");
  expect_error(with_header("e,a,true,,,,10,1,,\n"), "counts.csv:2:9", "revenue");
}

TEST(CountsCsv, RejectsBadRevenueSq) {
  expect_error(with_header("e,a,true,,,,10,1,5,-1\n"), "counts.csv:2:10", "revenue_sq",
               "empty or a finite number >= 0");
  expect_error(with_header("e,a,true,,,,10,1,5,lots\n"), "counts.csv:2:10", "revenue_sq");
}

// Totals no set of orders can have, each named by its row, column and rule.
TEST(CountsCsv, RejectsAmountsWithoutOrders) {
  expect_error(with_header("e,a,true,,,,10,0,12.5,\n"), "counts.csv:2:9", "revenue",
               "must be 0 when conversions is 0 (a sum over orders, and there are none), got "
               "\"12.5\"");
  expect_error(with_header("e,a,true,,,,10,0,0,4\n"), "counts.csv:2:10", "revenue_sq",
               "must be 0 when conversions is 0");
  const std::string header = "experiment,variation,is_control,segment_type,segment,date,"
                             "visitors,conversions,revenue,profit,profit_sq\n";
  expect_error(header + "e,a,true,,,,10,0,0,-3,\n", "counts.csv:2:10", "profit",
               "must be 0 when conversions is 0");
}

TEST(CountsCsv, RejectsASumOfSquaresBelowTheSquaredSumOverOrders) {
  // 10 orders summing to 50 have squares summing to at least 50^2/10 = 250.
  expect_error(with_header("e,a,true,,,,100,10,50,249\n"), "counts.csv:2:10", "revenue_sq",
               "below revenue^2/conversions = 249.9500, got \"249\": a sum of squares over "
               "orders is at least the squared sum over their count (Cauchy-Schwarz)");
  const std::string header = "experiment,variation,is_control,segment_type,segment,date,"
                             "visitors,conversions,revenue,profit,profit_sq\n";
  expect_error(header + "e,a,true,,,,10,2,5,-10,49\n", "counts.csv:2:11", "profit_sq",
               "below profit^2/conversions");
  // Equal orders meet the bound exactly; rounding of the printed totals is allowed.
  parse_ok(with_header("e,a,true,,,,100,10,50,250\ne,b,false,,,,100,3,3.70,4.5633\n"));
  parse_ok(header + "e,a,true,,,,10,2,5,-10,50\ne,b,false,,,,10,2,5,10,50\n");
}

TEST(CountsCsv, RejectsTextThatIsNotUtf8WithItsPlace) {
  const auto result = parse(with_header("e,\xff\xfe-arm,true,,,,10,1,5,\n"));
  ASSERT_FALSE(result);
  EXPECT_ERROR(result, util::ErrorCode::bad_input, StartsWith("not UTF-8: byte 1 of the field"));
  EXPECT_EQ(result.error().where, "counts.csv:2:2");
  const auto quoted = parse(with_header("e,a,true,device,\"Mob\nile\xc3\",,10,1,5,\n"));
  ASSERT_FALSE(quoted);
  EXPECT_ERROR(quoted, util::ErrorCode::bad_input, StartsWith("not UTF-8: byte 8 of the field"));
  EXPECT_EQ(quoted.error().where, "counts.csv:2:5");
  parse_ok(with_header("caf\xc3\xa9,a,true,,,,10,1,5,\ncaf\xc3\xa9,b,false,,,,10,1,5,\n"));
}

TEST(CountsCsv, RejectsAMalformedDate) {
  expect_error(with_header("e,a,true,,,2026/09/01,10,1,5,\n"), "counts.csv:2:6", "date",
               "got \"2026/09/01\"");
  expect_error(with_header("e,a,true,,,2026-9-1,10,1,5,\n"), "counts.csv:2:6", "date");
  expect_error(with_header("e,a,true,,,2026-09-01T00:00,10,1,5,\n"), "counts.csv:2:6", "date");
}

TEST(CountsCsv, RejectsADateNotOnTheCalendar) {
  expect_error(with_header("e,a,true,,,2025-02-29,10,1,5,\n"), "counts.csv:2:6", "date");
  expect_error(with_header("e,a,true,,,1900-02-29,10,1,5,\n"), "counts.csv:2:6", "date");
  expect_error(with_header("e,a,true,,,2026-04-31,10,1,5,\n"), "counts.csv:2:6", "date");
  expect_error(with_header("e,a,true,,,2026-13-01,10,1,5,\n"), "counts.csv:2:6", "date");
  expect_error(with_header("e,a,true,,,2026-00-10,10,1,5,\n"), "counts.csv:2:6", "date");
}

TEST(CountsCsv, RejectsABadIsControl) {
  expect_error(with_header("e,a,yes,,,,10,1,5,\n"), "counts.csv:2:3", "is_control",
               "must be true, false, 1 or 0, got \"yes\"");
}

TEST(CountsCsv, RejectsASegmentWithoutItsType) {
  expect_error(with_header("e,a,true,,Mobile,,10,1,5,\n"), "counts.csv:2:4", "segment_type",
               "\"Mobile\"");
}

TEST(CountsCsv, RejectsASegmentTypeWithoutItsValue) {
  expect_error(with_header("e,a,true,device_type,,,10,1,5,\n"), "counts.csv:2:5", "segment",
               "\"device_type\"");
}

TEST(CountsCsv, RejectsReservedSegmentTypes) {
  expect_error(with_header("e,a,true,day,2026-01-01,,10,1,5,\n"), "counts.csv:2:4", "segment_type",
               "reserved");
  expect_error(with_header("e,a,true,overall,All,,10,1,5,\n"), "counts.csv:2:4", "segment_type",
               "reserved");
}

TEST(CountsCsv, RejectsEmptyIds) {
  expect_error(with_header(",a,true,,,,10,1,5,\n"), "counts.csv:2:1", "experiment", "empty");
  expect_error(with_header("e,,true,,,,10,1,5,\n"), "counts.csv:2:2", "variation", "empty");
}

TEST(CountsCsv, ReportsTheLeftmostProblemOfARow) {
  expect_error(with_header("e,a,maybe,,,,-1,x,y,z\n"), "counts.csv:2:3", "is_control");
  expect_error("revenue,visitors,experiment,variation,is_control,segment_type,segment,date,"
               "conversions\n-1,x,e,a,true,,,,0\n",
               "counts.csv:2:1", "revenue");
}

TEST(CountsCsv, RejectsAVariationWhoseIsControlChanges) {
  expect_error(with_header(two_arms("e") + "e,a,true,,,2026-01-01,1,0,0,\n" +
                           "e,b,true,,,2026-01-01,1,0,0,\n"),
               "counts.csv:5:3", "is_control", "\"b\" is true here but false on line 3");
}

TEST(CountsCsv, RejectsAVariationTwiceInOneSlice) {
  expect_error(with_header(two_arms("e") + "e,b,false,,,,1,0,0,\n"), "counts.csv:4:2", "variation",
               "\"b\" appears twice in slice overall of experiment \"e\" (first on "
               "line 3)");
  expect_error(with_header("e,a,true,k,v,2026-01-01,1,0,0,\ne,a,true,k,v,2026-01-01,1,0,0,\n"),
               "counts.csv:3:2", "variation", "k=\"v\" on 2026-01-01");
}

TEST(CountsCsv, RejectsTwoControls) {
  expect_error(with_header("e,a,true,,,,1,0,0,\ne,b,false,,,,1,0,0,\ne,c,true,,,,1,0,0,\n"),
               "counts.csv:4:3", "is_control", "already has control \"a\" (line 2)");
}

TEST(CountsCsv, RejectsAnExperimentWithoutControl) {
  expect_error(with_header(two_arms("ok") + "e,a,false,,,,1,0,0,\ne,b,false,,,,1,0,0,\n"),
               "counts.csv:4:3", "is_control", "experiment \"e\" has no control");
}

TEST(CountsCsv, RejectsAnExperimentWithOneVariation) {
  expect_error(with_header("e,a,true,,,,1,0,0,\ne,a,true,,,2026-01-01,1,0,0,\n" + two_arms("ok")),
               "counts.csv:2:2", "variation", "only one variation, \"a\"");
  // A lone variation that is no control breaks both rules; the leftmost column is reported.
  expect_error(with_header("e,a,false,,,,1,0,0,\n"), "counts.csv:2:2", "variation");
  expect_error("is_control,experiment,variation,segment_type,segment,date,visitors,conversions,"
               "revenue\nfalse,e,a,,,,1,0,0\n",
               "counts.csv:2:1", "is_control", "no control");
}

TEST(CountsCsv, RejectsASliceMissingAVariation) {
  expect_error(with_header(two_arms("e") + "e,b,false,,,2026-01-01,1,0,0,\n"), "counts.csv:4:2",
               "variation", "slice day 2026-01-01 of experiment \"e\" lacks variation \"a\"");
}

TEST(CountsCsv, NamesAVariationIntroducedAfterAnEarlierSlice) {
  // Variation c first appears in the day slice, so the overall slice above lacks it.
  expect_error(with_header(two_arms("e") + "e,a,true,,,2026-01-01,1,0,0,\n" +
                           "e,b,false,,,2026-01-01,1,0,0,\ne,c,false,,,2026-01-01,1,0,0,\n"),
               "counts.csv:2:2", "variation", "lacks variation \"c\"");
}

TEST(CountsCsv, ReportsTheEarliestWholeExperimentProblem) {
  const std::string late = "late,a,true,,,,1,0,0,\n";
  const std::string early_missing =
      "early,a,true,,,,1,0,0,\nearly,b,false,,,,1,0,0,\nearly,b,false,,,2026-01-01,1,0,0,\n";
  expect_error(with_header(late + early_missing), "counts.csv:2:2", "variation",
               "only one variation");
  expect_error(with_header(early_missing + late), "counts.csv:4:2", "variation",
               "lacks variation \"a\"");
}

TEST(CountsCsv, QuotesLongOrBinaryValuesShortly) {
  const auto result = parse(with_header("e,a,true,,,," + std::string(5000, '7') + "x\x01,0,0,\n"));
  ASSERT_FALSE(result);
  EXPECT_LT(result.error().message.size(), 120U);
  EXPECT_THAT(result.error().message, HasSubstr("\"..."));
  const auto control = parse(with_header("e,a,t\x01\"\",,,,1,0,0,\n"));
  ASSERT_FALSE(control);
  EXPECT_THAT(control.error().message, HasSubstr("got \"t\\x01\\\"\\\"\""));
  // The C1 control U+009B (a terminal's CSI) is escaped too.
  const auto c1 = parse(with_header("e,a,t\xc2\x9b"
                                    "2J,,,,1,0,0,\n"));
  ASSERT_FALSE(c1);
  EXPECT_THAT(c1.error().message, HasSubstr("got \"t\\xc2\\x9b2J\""));
}

TEST(CountsCsv, RejectsAnUnterminatedQuote) {
  const auto result = parse(with_header("e,a,true,,\"Mobile,,1,0,0,\ne,b,false,,,,1,0,0,\n"));
  ASSERT_FALSE(result);
  EXPECT_ERROR(result, util::ErrorCode::bad_input, HasSubstr("unterminated"));
  EXPECT_EQ(result.error().where, "counts.csv:2:5");
}

TEST(CountsCsv, ReadsManyRows) {
  std::string text(k_header);
  constexpr int k_days = 2000;
  for (int day = 0; day < k_days; ++day) {
    const std::string segment = std::string("s").append(std::to_string(day));
    text += "e,a,true,k," + segment + ",,1000,10,100.5,2000\n";
    text += "e,b,false,k," + segment + ",,1000,11,110.5,2100\n";
  }
  const model::Dataset dataset = parse_ok(text);
  ASSERT_EQ(dataset.experiments.size(), 1U);
  EXPECT_EQ(dataset.experiments[0].cells.size(), static_cast<std::size_t>(k_days));
}

// Mutates a valid file byte by byte: every result must be a value or a bad_input error.
TEST(CountsCsv, NeverCrashesOnMangledInput) {
  const std::string valid =
      "\xEF\xBB\xBF" + with_header(two_arms("e") + "e,a,true,k,\"v,1\",2024-02-29,5,1,2,3\n"
                                                   "e,b,false,k,\"v,1\",2024-02-29,5,1,2,\n");
  const std::string alphabet = ",\"\r\n01-.e9 tx\xEF\xBB";
  std::mt19937 generator(12345);
  std::uniform_int_distribution<std::size_t> pick_byte(0, alphabet.size() - 1);
  for (int round = 0; round < 3000; ++round) {
    std::string text = valid;
    const int edits = 1 + round % 4;
    for (int edit = 0; edit < edits; ++edit) {
      const std::size_t pos =
          std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(generator);
      switch (round % 3) {
      case 0:
        text[pos] = alphabet[pick_byte(generator)];
        break;
      case 1:
        text.erase(pos, 1);
        break;
      default:
        text.insert(pos, 1, alphabet[pick_byte(generator)]);
        break;
      }
    }
    const auto result = parse(text);
    if (!result) {
      EXPECT_ERROR(result, util::ErrorCode::bad_input, ::testing::_);
      EXPECT_THAT(result.error().where, StartsWith("counts.csv"));
    }
  }
}

} // namespace
} // namespace reckon::parse
