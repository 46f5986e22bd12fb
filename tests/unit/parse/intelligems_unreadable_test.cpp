// Issue 12: a response that cannot be read is reported and the rest is read (defect 3); a
// window without rows is a window without data (defect 10); what may be stored is checked at
// the door, with the place where a text stops being JSON.
#include "intelligems_fixture.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reckon::parse {
namespace {

using namespace intelligems_fixture;
using ::testing::HasSubstr;

// Experience F, listed beside E, with its own two variations.
const std::string k_two_listed =
    replaced(k_list, R"(}],
  "page")",
             R"(},{"id":"F","name":"Free shipping","status":"started","startedAtTs":1788220800000,
  "variations":[{"id":"FC","name":"off","percentage":50,"isControl":true,"order":0},
                {"id":"FV","name":"on","percentage":50,"isControl":false,"order":1}]}],
  "page")");

contract::ApiExchange day_window(const std::string& id, const std::string& body,
                                 const std::string& origin) {
  contract::ApiExchange window_exchange = exchange(
      "POST", "/analytics/resource/" + id, window(k_sep_01, k_sep_01 + 86'399), body, origin);
  window_exchange.request.day = contract::DayWindow{"2026-09-01", "UTC"};
  return window_exchange;
}

TEST(ParseIntelligemsUnreadable, ReportsABadResponseAndReadsTheRest) {
  const std::vector<contract::ApiExchange> exchanges = {
      list_exchange(k_two_listed), overview(k_two_rows),
      day_window("E", R"({"metrics":[{"varia)", "reckon.db: E day"),
      exchange("POST", "/analytics/resource/F", R"({"view":"overview"})",
               metrics({row("FC", 100, 3, 150.0), row("FV", 90, 4, 200.0)}), "f.json")};
  // Without a listener the first bad response is the parse's error, as before.
  expect_error(exchanges, "reckon.db: E day", "not valid JSON");

  std::vector<UnreadableResponse> unreadable;
  IntelligemsParseOptions options;
  options.on_unreadable = [&unreadable](UnreadableResponse response) {
    unreadable.push_back(std::move(response));
  };
  const auto dataset = parse_intelligems(exchanges, options);
  ASSERT_TRUE(dataset) << dataset.error().describe();
  ASSERT_EQ(dataset->experiments.size(), 2U);
  EXPECT_EQ(slice_names(dataset->experiments[0]), std::vector<std::string>{"overall/All"});
  EXPECT_EQ(slice_names(dataset->experiments[1]), std::vector<std::string>{"overall/All"});
  ASSERT_EQ(unreadable.size(), 1U);
  EXPECT_EQ(unreadable[0].experience_id, "E");
  EXPECT_EQ(unreadable[0].request, "overview of day 2026-09-01 (UTC)");
  EXPECT_EQ(unreadable[0].error.where, "reckon.db: E day");
  EXPECT_THAT(unreadable[0].error.message, HasSubstr("not valid JSON"));
}

TEST(ParseIntelligemsUnreadable, ABadListPageLeavesOutItsExperiencesOnly) {
  std::vector<UnreadableResponse> unreadable;
  IntelligemsParseOptions options;
  options.on_unreadable = [&unreadable](UnreadableResponse response) {
    unreadable.push_back(std::move(response));
  };
  // A page whose second item is malformed is left out whole; E's analytics name its variations.
  const std::string bad_page = replaced(k_two_listed, R"("id":"F")", R"("id":5)");
  const std::vector<contract::ApiExchange> exchanges = {
      list_exchange(bad_page), exchange("POST", "/analytics/resource/E", R"({"view":"overview"})",
                                        k_capture, "capture.json")};
  const auto dataset = parse_intelligems(exchanges, options);
  ASSERT_TRUE(dataset) << dataset.error().describe();
  ASSERT_EQ(dataset->experiments.size(), 1U);
  EXPECT_EQ(dataset->experiments[0].id, "E");
  EXPECT_EQ(dataset->experiments[0].name, "Mag price"); // from the analytics' experienceName
  ASSERT_EQ(unreadable.size(), 1U);
  EXPECT_EQ(unreadable[0].experience_id, "");
  EXPECT_EQ(unreadable[0].request, "experience list page 1");
  EXPECT_EQ(unreadable[0].error.where, "list.json: experiencesList[1].id");
}

// Before the fix: "metrics: no rows: expected one per variation", and every later analysis of
// the store failed.
TEST(ParseIntelligemsUnreadable, AWindowWithoutRowsIsADayWithoutData) {
  std::vector<std::string> notes;
  const auto dataset = parse_ok(
      {list_exchange(), overview(k_two_rows), day_window("E", R"({"metrics":[]})", "empty.json")},
      &notes);
  ASSERT_EQ(dataset.experiments.size(), 1U);
  EXPECT_EQ(slice_names(dataset.experiments[0]), std::vector<std::string>{"overall/All"});
  EXPECT_EQ(notes, std::vector<std::string>{"empty.json: no rows: a window without data"});
  // An overview without rows (a test before its first visitor) gives no cell either.
  const auto before_traffic = parse_ok({list_exchange(), overview(R"({"metrics":[]})")});
  ASSERT_EQ(before_traffic.experiments.size(), 1U);
  EXPECT_TRUE(before_traffic.experiments[0].cells.empty());
}

TEST(CheckIntelligemsResponse, AcceptsWhatAnalysisReads) {
  EXPECT_TRUE(check_intelligems_response(list_exchange().request, k_list, "list.json"));
  EXPECT_TRUE(check_intelligems_response(overview("").request, k_capture, "o.json"));
  EXPECT_TRUE(check_intelligems_response(overview("").request, R"({"metrics":[]})", "o.json"));
  const auto sitewide =
      exchange("POST", "/analytics/sitewide/snapshot", "{}", "", "s.json").request;
  EXPECT_TRUE(check_intelligems_response(sitewide, R"({"anything":[1,2]})", "s.json"));
}

TEST(CheckIntelligemsResponse, RefusesTextThatIsNotJsonSayingWhere) {
  const auto request = overview("").request;
  EXPECT_ERROR(check_intelligems_response(request, "<html>\n<body>busy</body>", "o.json"),
               util::ErrorCode::bad_input, HasSubstr("(at line 1, column 1 (byte 1))"));
  // Cut short: the text ends where JSON cannot.
  const std::string cut = k_two_rows.substr(0, 40);
  const auto truncated = check_intelligems_response(request, cut, "o.json");
  EXPECT_ERROR(truncated, util::ErrorCode::bad_input, HasSubstr("not valid JSON"));
  EXPECT_EQ(truncated.error().where, "o.json");
  EXPECT_THAT(truncated.error().message, HasSubstr("(at line 1, column 41 (byte 41))"));
  EXPECT_ERROR(check_intelligems_response(request, "{\"metrics\":\n [1,,2]}", "o.json"),
               util::ErrorCode::bad_input, HasSubstr("(at line 2, column 5 (byte 17))"));
}

TEST(CheckIntelligemsResponse, RefusesTheWrongShapeNamingThePath) {
  const auto wrong = check_intelligems_response(overview("").request, R"({"metrics":{}})", "o");
  EXPECT_ERROR(wrong, util::ErrorCode::bad_input, HasSubstr("expected an array"));
  EXPECT_EQ(wrong.error().where, "o: metrics");
  EXPECT_ERROR(check_intelligems_response(overview("").request, "[]", "o"),
               util::ErrorCode::bad_input, HasSubstr("expected an object"));
  const auto page = check_intelligems_response(list_exchange().request, R"({"error":"busy"})", "l");
  EXPECT_ERROR(page, util::ErrorCode::bad_input, HasSubstr("missing \"experiencesList\""));
}

} // namespace
} // namespace reckon::parse
