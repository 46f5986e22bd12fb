// The experimentation platform's responses (seed 003) into the model: the seed's own examples.
#include "reckon/parse/platform.hpp"

#include "reckon/contract/platform.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reckon::parse {
namespace {

using ::testing::HasSubstr;

const std::string k_variants = R"("variants":[
  {"id":"var_a123","name":"control","description":"Current homepage","allocation":50},
  {"id":"var_b456","name":"treatment","description":"New homepage design","allocation":50}])";

std::string experiment_json(const std::string& id, const std::string& status) {
  return R"({"id":")" + id + R"(","name":"Homepage Redesign Test","status":")" + status +
         R"(","created_at":"2023-10-15T10:30:00Z","start_date":"2023-10-16T00:00:00Z",
           "end_date":"2023-11-16T00:00:00Z",)" +
         k_variants + "}";
}

const std::string k_results = R"({"data":{"experiment_id":"exp_12345","status":"ACTIVE",
  "sample_size":{"control":5420,"treatment":5380},
  "metrics":[{"name":"conversion_rate","results":{
    "control":{"value":3.2,"confidence_interval":[2.8,3.6]},
    "treatment":{"value":4.1,"confidence_interval":[3.7,4.5]},
    "improvement":28.1,"confidence":98.5,"is_significant":true}}]}})";

// The seed's results without the treatment's sample size.
std::string replaced_sample_size() {
  std::string body = k_results;
  const std::string::size_type at = body.find(",\"treatment\":5380");
  return body.erase(at, 17);
}

contract::ApiExchange exchange(std::string path, std::string body, std::string origin,
                               std::vector<std::pair<std::string, std::string>> query = {}) {
  return {{"platform", "GET", std::move(path), std::move(query), {}},
          200,
          1000,
          std::move(body),
          std::move(origin)};
}

std::vector<contract::ApiExchange> account() {
  namespace platform = contract::platform;
  return {exchange(platform::experiments_list_path(),
                   R"({"data":[)" + experiment_json("exp_12345", "ACTIVE") + "," +
                       experiment_json("exp_draft", "DRAFT") +
                       R"(],"meta":{"total":2,"page":1,"limit":20,"pages":1}})",
                   "list.json", {{"page", "1"}, {"limit", "20"}}),
          exchange(platform::results_path("exp_12345"), k_results, "results.json")};
}

TEST(ParsePlatform, TheSeedExampleBecomesAnOverallCellWithItsReportedFigures) {
  const auto dataset = parse_platform(account());
  ASSERT_TRUE(dataset) << dataset.error().describe();
  ASSERT_EQ(dataset->experiments.size(), 2U);
  const model::Experiment& experiment = dataset->experiments[0];
  EXPECT_EQ(experiment.id, "exp_12345");
  EXPECT_EQ(experiment.source, "platform");
  EXPECT_EQ(experiment.status, "started");
  EXPECT_EQ(experiment.started_at_ms, 1697414400000);
  EXPECT_FALSE(experiment.ended_at_ms.has_value()); // a planned end is not an end
  EXPECT_FALSE(experiment.revenue_known);
  ASSERT_EQ(experiment.variations.size(), 2U);
  EXPECT_TRUE(experiment.variations[0].is_control);
  EXPECT_EQ(experiment.variations[1].id, "var_b456");
  EXPECT_EQ(experiment.variations[1].allocation, 50.0);
  ASSERT_EQ(experiment.cells.size(), 1U);
  const model::CountsCell& cell = experiment.cells[0];
  EXPECT_TRUE(cell.slice.is_overall());
  EXPECT_EQ(cell.origin, "results.json");
  // round(3.2 % x 5,420) = round(173.44) and round(4.1 % x 5,380) = round(220.58).
  EXPECT_EQ(cell.arms[0].visitors, 5420U);
  EXPECT_EQ(cell.arms[0].conversions, 173U);
  EXPECT_EQ(cell.arms[1].visitors, 5380U);
  EXPECT_EQ(cell.arms[1].conversions, 221U);
  ASSERT_EQ(experiment.source_notes.size(), 1U);
  EXPECT_EQ(experiment.source_notes.front(),
            "conversions: round(conversion_rate % x sample_size / 100); the platform writes the "
            "rate to 1 decimal, so each count is known to within +/-2.7");
  const model::ReportedMetric& control = cell.arms[0].reported.at(0);
  EXPECT_EQ(control.name, "conversion_rate");
  EXPECT_DOUBLE_EQ(*control.value, 0.032);
  EXPECT_DOUBLE_EQ(*control.ci_low, 0.028);
  EXPECT_DOUBLE_EQ(*control.ci_high, 0.036);
  EXPECT_FALSE(control.uplift || control.confidence || control.significant);
  const model::ReportedMetric& variant = cell.arms[1].reported.at(0);
  EXPECT_DOUBLE_EQ(*variant.uplift->value, 0.281);
  EXPECT_DOUBLE_EQ(*variant.confidence, 0.985);
  EXPECT_EQ(variant.significant, true);
  // The draft has no results: listed, without cells.
  EXPECT_EQ(dataset->experiments[1].status, "pending");
  EXPECT_TRUE(dataset->experiments[1].cells.empty());
}

TEST(ParsePlatform, ADetailReplacesTheListEntryAndTheNewestAnswerWins) {
  std::vector<contract::ApiExchange> exchanges = account();
  exchanges.push_back(exchange(contract::platform::experiment_path("exp_12345"),
                               R"({"data":)" + experiment_json("exp_12345", "COMPLETED") + "}",
                               "detail.json"));
  contract::ApiExchange older = exchanges[1];
  older.fetched_at_ms = 10; // an older copy of the results, stored later
  older.body = "not JSON";
  exchanges.push_back(older);
  const auto dataset = parse_platform(exchanges);
  ASSERT_TRUE(dataset) << dataset.error().describe();
  EXPECT_EQ(dataset->experiments[0].status, "ended");
  EXPECT_EQ(dataset->experiments[0].ended_at_ms, 1700092800000);
  EXPECT_EQ(dataset->experiments[0].cells.at(0).arms[0].conversions, 173U);
}

TEST(ParsePlatform, ABadResponseIsNamedAndTheRestRead) {
  std::vector<contract::ApiExchange> exchanges = account();
  exchanges[1].body = replaced_sample_size();
  const auto failed = parse_platform(exchanges);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().where, "results.json: data.sample_size");
  EXPECT_THAT(failed.error().message, HasSubstr("treatment"));

  std::vector<UnreadableResponse> unreadable;
  PlatformParseOptions options;
  options.on_unreadable = [&](UnreadableResponse response) {
    unreadable.push_back(std::move(response));
  };
  const auto dataset = parse_platform(exchanges, options);
  ASSERT_TRUE(dataset);
  EXPECT_EQ(dataset->experiments.size(), 2U);
  EXPECT_TRUE(dataset->experiments[0].cells.empty());
  ASSERT_EQ(unreadable.size(), 1U);
  EXPECT_EQ(unreadable[0].experience_id, "exp_12345");
  EXPECT_EQ(unreadable[0].request, "results");
}

TEST(ParsePlatform, ResultsOfAnUnknownExperimentAreAnError) {
  const std::vector<contract::ApiExchange> exchanges = {
      exchange(contract::platform::results_path("exp_12345"), k_results, "results.json")};
  const auto failed = parse_platform(exchanges);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().where, "results.json");
  EXPECT_THAT(failed.error().message, HasSubstr("which no stored list page or experiment"));
}

TEST(ParsePlatform, ARateOutsideAHundredPercentIsRejected) {
  std::vector<contract::ApiExchange> exchanges = account();
  const std::string::size_type at = exchanges[1].body.find("\"value\":4.1");
  exchanges[1].body.replace(at, 11, "\"value\":140");
  const auto failed = parse_platform(exchanges);
  ASSERT_FALSE(failed);
  EXPECT_THAT(failed.error().message, HasSubstr("outside 0 to 100 %"));
}

TEST(CheckPlatformResponse, ResultsAreCheckedAloneAgainstTheirOwnVariants) {
  const contract::ApiRequest results{
      "platform", "GET", contract::platform::results_path("exp_12345"), {}, {}};
  EXPECT_TRUE(check_platform_response(results, k_results, "r.json"));
  const auto bad = check_platform_response(
      results, R"({"data":{"sample_size":{"a":1.5},"metrics":[]}})", "r.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where, "r.json: data.sample_size.a");
  const contract::ApiRequest list{
      "platform", "GET", contract::platform::experiments_list_path(), {{"page", "1"}}, {}};
  const auto no_data = check_platform_response(list, R"({"meta":{}})", "l.json");
  ASSERT_FALSE(no_data);
  EXPECT_THAT(no_data.error().message, HasSubstr("data"));
}

} // namespace
} // namespace reckon::parse
