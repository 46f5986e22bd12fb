#include "reckon/parse/api_error.hpp"

#include "reckon/parse/results_document.hpp"
#include "support/error_matchers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace reckon::parse {
namespace {

using ::testing::HasSubstr;

TEST(DescribeApiError, JoinsTheMessagesOfAValidationBody) {
  EXPECT_EQ(describe_api_error(R"({"errors":["bad request", 5],)"
                               R"("properties":{"startTs":{"errors":["must be a number"]},)"
                               R"("endTs":{"errors":"not a list"},"view":7}})"),
            "bad request; startTs: must be a number");
  EXPECT_EQ(describe_api_error(R"({"error":"Unauthorized"})"), "Unauthorized");
  EXPECT_EQ(describe_api_error(
                R"({"error":{"code":"invalid_request","message":"The email field is required",)"
                R"("field":"email","docs_url":"https://docs.example/errors"}})"),
            "invalid_request: The email field is required (field email)");
  EXPECT_EQ(describe_api_error(R"({"error":{"code":"VALIDATION_ERROR","message":"Request )"
                               R"(validation failed","details":{"field":"limit"}}})"),
            "VALIDATION_ERROR: Request validation failed (field limit)");
  EXPECT_EQ(describe_api_error(R"({"error":{"code":"NOT_FOUND","message":"No such experiment",)"
                               R"("details":{}}})"),
            "NOT_FOUND: No such experiment");
  EXPECT_EQ(describe_api_error(R"({"error":{"code":"rate_limited"}})"), "rate_limited");
  EXPECT_EQ(describe_api_error("<html>502 Bad Gateway</html>"), "");
  EXPECT_EQ(describe_api_error(R"(["Unauthorized"])"), "");
  EXPECT_EQ(describe_api_error(R"({"error":404})"), "");
}

const std::string k_results = R"({"schema":"reckon.results/v1","experiments":[
  {"id":"exp-a","cells":[
    {"segment_type":"overall","segment":"All","metric":"conversion_rate","variation_id":"v",
     "reported":{"value":0.031,"ci_low":null,"ci_high":0.04,"plus_minus":null,"p2bb":0.9,
                 "p2bc":0.91,"uplift":{"value":0.1,"ci_low":-0.02,"ci_high":0.2,"plus_minus":null}}},
    {"segment_type":"day","segment":"2026-09-01","date":"2026-09-01","metric":"aov",
     "variation_id":"c","reported":{"whole_null":true}},
    {"segment_type":"overall","segment":"All","metric":"n_visitors","variation_id":"c",
     "reported":null}]}]})";

TEST(ReadReportedFigures, ReadsBackEveryKeptCell) {
  const auto figures = read_reported_figures(k_results, "store.db run 3");
  ASSERT_TRUE(figures) << figures.error().describe();
  ASSERT_EQ(figures->size(), 2U);
  const model::ReportedFigure& first = (*figures)[0];
  EXPECT_EQ(first.experiment_id, "exp-a");
  EXPECT_EQ(first.slice.segment_type, "overall");
  EXPECT_EQ(first.slice.date, "");
  EXPECT_EQ(first.variation_id, "v");
  EXPECT_EQ(first.reported.name, "conversion_rate");
  EXPECT_EQ(first.reported.value, 0.031);
  EXPECT_FALSE(first.reported.ci_low);
  EXPECT_EQ(first.reported.p2bc, 0.91);
  ASSERT_TRUE(first.reported.uplift);
  EXPECT_EQ(first.reported.uplift->ci_low, -0.02);
  EXPECT_FALSE(first.reported.uplift->plus_minus);
  const model::ReportedFigure& second = (*figures)[1];
  EXPECT_EQ(second.slice.date, "2026-09-01");
  EXPECT_TRUE(second.reported.whole_null);
  EXPECT_FALSE(second.reported.value);
}

TEST(ReadReportedFigures, ErrorsNameTheRunAndTheJsonPath) {
  const auto malformed = read_reported_figures("{\"schema\":", "store.db run 3");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().where, "store.db run 3");
  EXPECT_THAT(malformed.error().message, HasSubstr("not valid JSON"));

  const auto other =
      read_reported_figures(R"({"schema":"reckon.check/v1","experiments":[]})", "store.db run 3");
  ASSERT_FALSE(other);
  EXPECT_ERROR(other, util::ErrorCode::bad_input, HasSubstr("not a reckon.results/v1 document"));
  EXPECT_EQ(other.error().where, "store.db run 3: schema");

  std::string bad_figure = k_results;
  bad_figure.replace(bad_figure.find("\"p2bb\":0.9"), 10, "\"p2bb\":\"0.9\"");
  const auto figure = read_reported_figures(bad_figure, "store.db run 3");
  ASSERT_FALSE(figure);
  EXPECT_EQ(figure.error().where, "store.db run 3: experiments[0].cells[0].reported.p2bb");
  EXPECT_THAT(figure.error().message, HasSubstr("expected a number or null"));
}

} // namespace
} // namespace reckon::parse
