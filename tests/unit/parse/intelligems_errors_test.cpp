#include "intelligems_fixture.hpp"

#include <gtest/gtest.h>

#include <string>

// What the Intelligems parser rejects, and the JSON path it names.
namespace reckon::parse {
namespace {

using namespace intelligems_fixture;

TEST(ParseIntelligems, NamesTheJsonPathOfEveryViolation) {
  const auto bad_overview = [](const std::string& body) {
    return std::vector<contract::ApiExchange>{list_exchange(),
                                              overview(body, "reckon.db response 42")};
  };
  const std::string at = "reckon.db response 42";
  expect_error(bad_overview("{\"metrics\":["), at, "not valid JSON");
  expect_error(bad_overview("[]"), at, "expected an object, got an array");
  expect_error(bad_overview("{}"), at, "missing \"metrics\"");
  expect_error(bad_overview(metrics({row("C", 1, 0, 0),
                                     R"({"variation_id":"V","n_visitors":{"value":"abc"},)"
                                     R"("n_orders":{"value":0},"net_revenue":{"value":0}})"})),
               at + ": metrics[1].n_visitors.value", "expected a number or null, got \"abc\"");
  expect_error(bad_overview(metrics({row("C", 10, -1, 0), row("V", 1, 0, 0)})),
               at + ": metrics[0].n_orders.value", "expected a whole number >= 0, got -1");
  expect_error(
      bad_overview(metrics(
          {row("C", 10, 0, 0), replaced(row("V", 1, 0, 0), R"("value":1})", R"("value":1.5})")})),
      at + ": metrics[1].n_visitors.value", "got 1.5");
  expect_error(bad_overview(metrics({row("C", 10, 11, 0), row("V", 1, 0, 0)})),
               at + ": metrics[0].n_orders.value", "11 orders exceed the row's 10 visitors");
  expect_error(bad_overview(metrics({row("C", 10, 1, -5), row("V", 1, 0, 0)})),
               at + ": metrics[0].net_revenue.value", "expected a number >= 0, got -5");
  expect_error(bad_overview(metrics({row("C", 1, 0, 0), R"({"n_visitors":{"value":1}})"})),
               at + ": metrics[1]", "missing \"variation_id\"");
  expect_error(bad_overview(metrics(
                   {row("C", 1, 0, 0), row("V", 1, 0, 0), row("X", 1, 0, 0), row("V", 1, 0, 0)})),
               at + ": metrics[2].variation_id", "\"X\" is not a variation of the experience");
  expect_error(bad_overview(metrics({row("V", 1, 0, 0), row("C", 1, 0, 0), row("V", 1, 0, 0)})),
               at + ": metrics[2].variation_id", "a second row for variation \"V\"");
  expect_error(bad_overview(metrics({row("C", 1, 0, 0)})), at + ": metrics",
               "no row for variation \"V\"");
  expect_error(bad_overview(metrics(
                   {row("C", 1, 0, 0, R"(,"conversion_rate":{"ci_low":"x"})"), row("V", 1, 0, 0)})),
               at + ": metrics[0].conversion_rate.ci_low", "expected a number or null");
  expect_error(bad_overview(metrics(
                   {replaced(row("C", 1, 0, 0), R"("n_visitors":{"value":1})", R"("n_visitors":1)"),
                    row("V", 1, 0, 0)})),
               at + ": metrics[0].n_visitors", "expected an object {\"value\": ...}, got 1");
  expect_error(bad_overview(metrics(
                   {row("C", 1, 0, 0, R"(,"conversion_rate":{"uplift":5})"), row("V", 1, 0, 0)})),
               at + ": metrics[0].conversion_rate.uplift", "expected an object, got 5");
  expect_error({list_exchange(),
                exchange("POST", "/analytics/resource/E", R"({"view":"audience"})", "{}", at)},
               at + ": request body", "without an audience dimension");
  expect_error({list_exchange(), exchange("POST", "/analytics/resource/E",
                                          R"({"view":"overview","startTs":"soon",)"
                                          R"("endTs":"1788307199"})",
                                          "{}", at)},
               at + ": request body.startTs", "expected Unix seconds between 2000 and 2100");
  expect_error({list_exchange(), exchange("POST", "/analytics/resource/E", "{view", "{}", at)},
               at + ": request body", "not valid JSON");
  contract::ApiExchange get = exchange("GET", "/analytics/resource/E", "", "{}", at);
  get.request.query = {{"start", "1788220800000"}, {"end", "1788307199"}};
  expect_error({list_exchange(), get}, at + ": request query start",
               "expected Unix seconds between 2000 and 2100");
  expect_error({list_exchange(), exchange("POST", "/analytics/resource/E",
                                          R"({"view":"audience",)"
                                          R"("audience":"device_type"})",
                                          metrics({row("C", 1, 0, 0), row("V", 1, 0, 0)}), at)},
               at + ": metrics[0]", "missing \"audience\"");
}

TEST(ParseIntelligems, RejectsExperiencesThatCannotBeAnalysed) {
  const auto listed = [](const std::string& variations, const std::string& more = "") {
    return std::vector<contract::ApiExchange>{list_exchange(
        R"({"experiencesList":[{"id":"A","variations":)" + variations + more + "}]}")};
  };
  expect_error(listed(R"([{"id":"c","isControl":true},{"id":"v","isControl":true}])"),
               "list.json: experiencesList[0].variations",
               "expected exactly one control (isControl true), got 2");
  expect_error(listed(R"([{"id":"c"},{"id":"v","isControl":false}])"),
               "list.json: experiencesList[0].variations", "got 0");
  expect_error(listed("[]"), "list.json: experiencesList[0].variations", "lists no variations");
  expect_error(listed(R"([{"id":"c","isControl":true},{"id":"c"}])"),
               "list.json: experiencesList[0].variations[1].id", "listed twice");
  expect_error(listed(R"([{"id":"c","isControl":"yes"}])"),
               "list.json: experiencesList[0].variations[0].isControl",
               "expected true or false, got \"yes\"");
  expect_error(listed(R"([{"id":"c","isControl":true,"percentage":-5},{"id":"v"}])"),
               "list.json: experiencesList[0].variations[0].percentage", "got -5");
  expect_error(
      listed(R"([{"id":"c","isControl":true},{"id":"v"}])", R"(,"startedAtTs":1788220800)"),
      "list.json: experiencesList[0].startedAtTs",
      "expected a time between 2000 and 2100 (Unix milliseconds), got 1788220800");
  expect_error(listed(R"([{"id":"c","isControl":true},{"id":"v"}])", R"(,"endedAt":"yesterday")"),
               "list.json: experiencesList[0].endedAt",
               "expected Unix milliseconds or an ISO 8601 time, got \"yesterday\"");
  expect_error(listed(R"([{"id":"c","isControl":true},{"id":"v"}])",
                      R"(,"startedAtTs":"2150-01-01T00:00:00Z")"),
               "list.json: experiencesList[0].startedAtTs", "between 2000 and 2100");
  expect_error({list_exchange(R"({"experiences":[]})")}, "list.json",
               "missing \"experiencesList\"");
  expect_error(
      {exchange("POST", "/analytics/resource/Q", R"({"view":"overview"})", k_two_rows, "q.json")},
      "q.json", "experience \"Q\" is in no experiences list or detail response");
}

TEST(ParseIntelligems, TimeseriesViolationsNameTheirPath) {
  const auto series = [](const std::string& body) {
    return std::vector<contract::ApiExchange>{list_exchange(),
                                              exchange("POST", "/analytics/experience/E/timeseries",
                                                       std::string(k_daily), body, "ts.json")};
  };
  expect_error(series(replaced(k_timeseries, R"("mag":{)", R"("Nope":{)")),
               "ts.json: segments.Nope", "no variation is named \"Nope\"");
  expect_error(series(replaced(k_timeseries, "2026-09-02 00:00:00", "2026-02-30 00:00:00")),
               "ts.json: segments[\"mag alt price\"].data[0].dt", "expected a day");
  expect_error(series(replaced(k_timeseries, R"("n_visitors":100)", R"("n_visitors":"many")")),
               "ts.json: segments[\"mag alt price\"].data[0].n_visitors",
               "expected a number or null, got \"many\"");
  expect_error(series(replaced(k_timeseries, "2026-09-02 00:00:00", "2026-09-01 00:00:00")),
               "ts.json: segments[\"mag alt price\"].data[1].dt", "a second row for 2026-09-01");
  expect_error(series(replaced(k_timeseries, R"({"id":"V")", R"({"id":"W")")),
               "ts.json: variations[1].id", "\"W\" is not a variation");
}

} // namespace
} // namespace reckon::parse
