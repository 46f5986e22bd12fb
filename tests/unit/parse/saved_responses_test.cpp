#include "reckon/parse/saved_responses.hpp"

#include "support/error_matchers.hpp"

#include "reckon/contract/intelligems.hpp"

#include "iso_time.hpp"

#include "reckon/util/file.hpp"
#include "support/paths.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace reckon::parse {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// 2026-09-29T06:00:00Z in Unix milliseconds.
constexpr std::int64_t k_demo_as_of_ms = 1'790'661'600'000;

// A folder holding `manifest` and a response file "a.json".
std::filesystem::path folder_with(const std::string& manifest) {
  const std::filesystem::path dir = test::fresh_temp_dir("saved-responses");
  EXPECT_TRUE(util::write_file_atomically(dir / "manifest.json", manifest));
  EXPECT_TRUE(util::write_file_atomically(dir / "a.json", R"({"ok":true})"));
  return dir;
}

std::string manifest_with(const std::string& entry) {
  return R"({"schema":"reckon.simulated-responses/v1","as_of":"2026-09-29T06:00:00Z",)"
         R"("responses":[)" +
         entry + "]}";
}

const std::string k_entry = R"({"file":"a.json","source":"intelligems","status":200,)"
                            R"("method":"POST","path":")" +
                            contract::intelligems::analytics_resource_path("E") +
                            R"(",)"
                            R"("query":{"b":"2","a":"1"},"body":"{\"view\":\"overview\"}"})";

void expect_error(const std::string& manifest, const std::string& path_in_manifest,
                  const std::string& says) {
  const std::filesystem::path dir = folder_with(manifest);
  const auto result = read_saved_responses(dir);
  ASSERT_FALSE(result) << "accepted " << manifest;
  EXPECT_ERROR(result, util::ErrorCode::bad_input, HasSubstr(says));
  EXPECT_EQ(result.error().where, (dir / "manifest.json").string() + ":" + path_in_manifest);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

TEST(SavedResponses, ReadsEveryEntryWithItsRequestAndBody) {
  const std::filesystem::path dir = folder_with(manifest_with(k_entry));
  const auto result = read_saved_responses(dir);
  ASSERT_TRUE(result) << result.error().describe();
  ASSERT_EQ(result->size(), 1U);
  const contract::ApiExchange& exchange = result->front();
  EXPECT_EQ(exchange.request.source, "intelligems");
  EXPECT_EQ(exchange.request.method, "POST");
  EXPECT_EQ(exchange.request.path, contract::intelligems::analytics_resource_path("E"));
  EXPECT_THAT(exchange.request.query, ElementsAre(std::pair<std::string, std::string>{"b", "2"},
                                                  std::pair<std::string, std::string>{"a", "1"}));
  EXPECT_EQ(exchange.request.body, R"({"view":"overview"})");
  EXPECT_EQ(exchange.status, 200);
  EXPECT_EQ(exchange.body, R"({"ok":true})");
  EXPECT_EQ(exchange.origin, (dir / "a.json").string());
  EXPECT_EQ(exchange.fetched_at_ms, k_demo_as_of_ms);
}

TEST(SavedResponses, ANullBodyAndAnAbsentQueryAreEmpty) {
  const auto result = read_saved_responses(folder_with(manifest_with(
      R"({"file":"a.json","source":"bandit","status":404,"method":"GET","path":"/x","body":null})")));
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_TRUE(result->front().request.body.empty());
  EXPECT_TRUE(result->front().request.query.empty());
  EXPECT_EQ(result->front().status, 404);
}

TEST(SavedResponses, ADayWindowCarriesItsLocalDateAndZoneWhenTheManifestSays) {
  const std::string dated = replaced(k_entry, R"("query")",
                                     R"("local_date":"2026-09-15","time_zone":"Europe/Berlin",)"
                                     R"("query")");
  const auto result = read_saved_responses(folder_with(manifest_with(dated + "," + k_entry)));
  ASSERT_TRUE(result) << result.error().describe();
  ASSERT_EQ(result->size(), 2U);
  ASSERT_TRUE((*result)[0].request.day);
  EXPECT_EQ(*(*result)[0].request.day, (contract::DayWindow{"2026-09-15", "Europe/Berlin"}));
  EXPECT_FALSE((*result)[1].request.day); // a folder written before days travelled: unknown

  expect_error(manifest_with(replaced(dated, R"("time_zone":"Europe/Berlin",)", "")),
               "$.responses[0].time_zone", "expected local_date and time_zone together");
  expect_error(manifest_with(replaced(dated, "2026-09-15", "15.09.2026")),
               "$.responses[0].local_date", "expected a date YYYY-MM-DD, got \"15.09.2026\"");
  expect_error(manifest_with(replaced(dated, R"("Europe/Berlin")", "2")),
               "$.responses[0].time_zone", "expected a string, got 2");
}

TEST(SavedResponses, ReadsTheDemoAccount) {
  const auto result = read_saved_responses(test::data_dir() / "demo");
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_GT(result->size(), 200U);
  std::size_t intelligems = 0;
  for (const contract::ApiExchange& exchange : *result) {
    EXPECT_EQ(exchange.fetched_at_ms, k_demo_as_of_ms);
    EXPECT_FALSE(exchange.body.empty()) << exchange.origin;
    intelligems += exchange.request.source == "intelligems" ? 1 : 0;
  }
  EXPECT_GT(intelligems, 190U);
}

TEST(SavedResponses, NamesTheManifestPathOfEveryViolation) {
  expect_error("[]", "$", "expected an object, got an array");
  expect_error(replaced(manifest_with(k_entry), "v1", "v2"), "$.schema",
               "expected \"reckon.simulated-responses/v1\"");
  expect_error(replaced(manifest_with(k_entry), "06:00:00Z", "06:00:00"), "$.as_of",
               "expected an ISO 8601 time");
  expect_error(R"({"schema":"reckon.simulated-responses/v1","as_of":"2026-09-29T06:00:00Z",)"
               R"("responses":{}})",
               "$.responses", "expected an array, got an object");
  expect_error(manifest_with(replaced(k_entry, R"("status":200)", R"("status":"200")")),
               "$.responses[0].status", "expected a whole number >= 0, got \"200\"");
  expect_error(manifest_with(replaced(k_entry, R"("status":200)", R"("status":99)")),
               "$.responses[0].status", "expected an HTTP status");
  expect_error(manifest_with(replaced(k_entry, R"("a":"1")", R"("a":1)")), "$.responses[0].query.a",
               "expected a string, got 1");
  expect_error(manifest_with(replaced(k_entry, R"("method":"POST",)", "")), "$.responses[0]",
               "missing \"method\"");
  expect_error(manifest_with(replaced(k_entry, R"("a.json")", R"("../a.json")")),
               "$.responses[0].file", "expected a relative path inside the folder");
  expect_error(manifest_with(replaced(k_entry, R"("a.json")", R"("/etc/passwd")")),
               "$.responses[0].file", "expected a relative path inside the folder");
}

TEST(SavedResponses, AMissingFileIsAnIoErrorNamingIt) {
  const std::filesystem::path dir =
      folder_with(manifest_with(replaced(k_entry, R"("a.json")", R"("gone.json")")));
  const auto result = read_saved_responses(dir);
  ASSERT_FALSE(result);
  EXPECT_ERROR(result, util::ErrorCode::io, ::testing::_);
  EXPECT_EQ(result.error().where, (dir / "gone.json").string());
  const auto no_manifest = read_saved_responses(dir / "nowhere");
  ASSERT_FALSE(no_manifest);
  EXPECT_ERROR(no_manifest, util::ErrorCode::io, ::testing::_);
}

TEST(IsoTime, ReadsTheFormsTheApiAndOurManifestsWrite) {
  using detail::parse_iso8601_ms;
  EXPECT_EQ(parse_iso8601_ms("2026-09-29T06:00:00Z"), k_demo_as_of_ms);
  EXPECT_EQ(parse_iso8601_ms("2026-07-31T16:00:43.427+00:00"), 1'785'513'643'427);
  EXPECT_EQ(parse_iso8601_ms("2026-07-31 16:00:43.4279+00"), 1'785'513'643'427);
  EXPECT_EQ(parse_iso8601_ms("2026-09-29T08:00:00+02:00"), k_demo_as_of_ms);
  EXPECT_EQ(parse_iso8601_ms("2026-09-29T01:30-0430"), k_demo_as_of_ms);
  EXPECT_EQ(parse_iso8601_ms("2026-09-29T06:00:00.5Z"), k_demo_as_of_ms + 500);
  EXPECT_FALSE(parse_iso8601_ms("2026-09-29T06:00:00"));  // no zone
  EXPECT_FALSE(parse_iso8601_ms("2026-02-30T06:00:00Z")); // no such day
  EXPECT_FALSE(parse_iso8601_ms("2026-09-29T24:00:00Z"));
  EXPECT_FALSE(parse_iso8601_ms("2026-09-29T06:00:00.Z"));
  EXPECT_FALSE(parse_iso8601_ms("2026-09-29T06:00:00+2"));
  EXPECT_FALSE(parse_iso8601_ms("1790661600000"));
  EXPECT_TRUE(detail::is_plausible_time_ms(k_demo_as_of_ms));
  EXPECT_FALSE(detail::is_plausible_time_ms(1'790'661'600)); // seconds read as milliseconds
}

} // namespace
} // namespace reckon::parse
