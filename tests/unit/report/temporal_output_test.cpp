#include "reckon/analysis/temporal.hpp"
#include "reckon/parse/counts_csv.hpp"
#include "reckon/report/temporal_output.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>
#include <string>

namespace reckon::report {
namespace {

// A two-arm test over `days` days from Monday 2026-09-07: the variant doubles conversions at
// weekends and loses a third of them on the first Tuesday.
analysis::TemporalResults temporal_of(int days) {
  std::string csv = "experiment,variation,is_control,segment_type,segment,date,visitors,"
                    "conversions,revenue,revenue_sq\n";
  for (int day = 0; day < days; ++day) {
    const std::string date =
        "2026-09-" + std::string(7 + day < 10 ? "0" : "") + std::to_string(7 + day);
    const int variant = day % 7 >= 5 ? 80 : (day == 1 ? 25 : 40);
    csv += "Long test name,control,true,,," + date + ",2000,40,2000,104000\n";
    csv += "Long test name,variant,false,,," + date + ",2000," + std::to_string(variant) + "," +
           std::to_string(50 * variant) + "," + std::to_string(2600 * variant) + "\n";
  }
  auto dataset = parse::parse_counts_csv(csv, "t.csv");
  EXPECT_TRUE(dataset);
  analysis::AnalysisOptions options;
  options.sampling.draws = 10'000;
  options.metrics = {"conversion_rate"};
  return analysis::analyze_temporal(*dataset, options);
}

TEST(TemporalTable, FitsOneHundredColumnsAndLeadsWithTheHeadline) {
  const std::string table = render_temporal_table(temporal_of(14), TemporalDetail::everything);
  std::istringstream lines(table);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line.rfind("variation", 0), 0U);
  std::getline(lines, line);
  EXPECT_EQ(line, "Long test name: conversion rate, 14 days; leader variant since 2026-09-12");
  std::getline(lines, line);
  EXPECT_NE(line.find("weekend only"), std::string::npos) << line;
  EXPECT_NE(line.find("1 of 14"), std::string::npos) << line;
  for (std::istringstream all(table); std::getline(all, line);) {
    EXPECT_LE(line.size(), 100U) << line;
  }
  EXPECT_NE(table.find("2026-09-08    Tuesday     2,000   -37.5 %          0.03"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("by day of the week"), std::string::npos);
  EXPECT_NE(table.find("Cochran's Q"), std::string::npos);
}

TEST(TemporalJson, AMissingWeekendIsNullWithTheReason) {
  const std::string text = render_temporal_json(temporal_of(5), RunInfo{"test", 1});
  simdjson::dom::parser parser;
  const simdjson::dom::element document = parser.parse(text);
  EXPECT_EQ(std::string_view(document["schema"]), "reckon.temporal/v1");
  EXPECT_DOUBLE_EQ(double(document["underperforming_p2bc_at_most"]), 0.2);
  const simdjson::dom::element day_type =
      document["experiments"].at(0)["timelines"].at(0)["day_type"];
  EXPECT_TRUE(day_type["difference"].is_null());
  EXPECT_EQ(std::string_view(day_type["reason"]), "no weekend days among the days");
  EXPECT_TRUE(day_type["call"].is_null());
  EXPECT_EQ(std::string_view(day_type["weekday"]["segment"]), "weekday");
}

TEST(TemporalCsv, HasOneRowPerSliceAndTheDifference) {
  const std::string csv = render_temporal_csv(temporal_of(14));
  std::size_t rows = 0;
  for (const char c : csv) {
    rows += c == '\n' ? 1U : 0U;
  }
  // Header, 14 days, 14 cumulative days, 7 weekdays, weekday and weekend, the difference.
  EXPECT_EQ(rows, 1U + 14 + 14 + 7 + 2 + 1);
  EXPECT_NE(csv.find("Long test name,variant,conversion_rate,weekend_minus_weekday,weekend only,"),
            std::string::npos);
}

} // namespace
} // namespace reckon::report
