// `reckon fetch --day-segments`: each day window's audience views are fetched, stored with their
// local date, settle like the day windows, and analyse to segment-on-day cells.
#include "fetch_harness.hpp"

#include <tuple>

namespace reckon::test::fetch_tests {
namespace {

// "Checkout reassurance copy": four days, 2026-09-25 to 2026-09-28.
const std::string k_checkout_copy = "1be7bb82-44c8-4612-9395-5eaab2b230aa";

// The dates of the experiment's cells of a segment type that carry a date, in an analysis
// (JSON).
std::set<std::string> dated_cells(const std::string& results, const std::string& segment_type) {
  simdjson::dom::parser parser;
  simdjson::dom::array experiments;
  EXPECT_EQ(parser.parse(results)["experiments"].get_array().get(experiments), simdjson::SUCCESS);
  std::set<std::string> dates;
  for (const simdjson::dom::element experiment : experiments) {
    for (const simdjson::dom::element cell : experiment["cells"].get_array()) {
      std::string_view date;
      if (text_of(cell, "segment_type") == segment_type &&
          cell["date"].get_string().get(date) == simdjson::SUCCESS && !date.empty()) {
        dates.insert(std::string(date));
      }
    }
  }
  return dates;
}

// Visitors of each conversion-rate cell of an analysis (JSON), by segment type, segment, date
// and variation.
using CellKey = std::tuple<std::string, std::string, std::string, std::string>;
std::map<CellKey, std::uint64_t> visitors_by_cell(const std::string& results) {
  simdjson::dom::parser parser;
  simdjson::dom::array experiments;
  EXPECT_EQ(parser.parse(results)["experiments"].get_array().get(experiments), simdjson::SUCCESS);
  std::map<CellKey, std::uint64_t> visitors;
  for (const simdjson::dom::element experiment : experiments) {
    for (const simdjson::dom::element cell : experiment["cells"].get_array()) {
      if (text_of(cell, "metric") != "conversion_rate") {
        continue;
      }
      std::string_view date;
      if (cell["date"].get_string().get(date) != simdjson::SUCCESS) {
        date = {};
      }
      visitors[{text_of(cell, "segment_type"), text_of(cell, "segment"), std::string(date),
                text_of(cell, "variation_id")}] = cell["n_visitors"].get_uint64();
    }
  }
  return visitors;
}

std::size_t day_channel_requests(const RequestLog& log) {
  std::size_t count = 0;
  for (const LoggedRequest& request : log.entries()) {
    if (request.body.find(R"("audience":"source_channel","startTs":")") != std::string::npos &&
        request.status == 200) {
      ++count;
    }
  }
  return count;
}

// Everything the demo account recorded for the current API, day audience views included.
std::vector<RecordedExchange> current_api_exchanges_with_day_audiences() {
  std::vector<RecordedExchange> chosen;
  for (const RecordedExchange& exchange : demo_account()) {
    if (exchange.request.path != k_legacy_sitewide) {
      chosen.push_back(exchange);
    }
  }
  return chosen;
}

TEST(FetchCommand, DaySegmentsFetchEachDaysAudienceViewsAndAnalyseToSegmentOnDayCells) {
  // The demo records each day window's audience view by source_channel (scenario day_segments):
  // a fetch asking for them stores every recorded response, byte for byte, under the very
  // request the simulator recorded. --day-segments implies --days.
  Harness harness("fetch-day-segments");
  const FetchOptions options{{"--days", std::nullopt}, {"--day-segments", "source_channel"}};
  const ProcessResult fetched = harness.fetch(options);
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  const std::vector<RecordedExchange> recorded = current_api_exchanges_with_day_audiences();
  ASSERT_GT(recorded.size(), full_fetch_requests());
  expect_store_holds_exactly(harness, recorded);
  EXPECT_EQ(harness.server.log().count_status(200), recorded.size());
  EXPECT_EQ(day_channel_requests(harness.server.log()), recorded.size() - full_fetch_requests());

  const std::set<std::string> days{"2026-09-25", "2026-09-26", "2026-09-27", "2026-09-28"};
  const ProcessResult analyzed = run_process(k_binary,
                                             {"analyze", "--store", "reckon.db", "--format", "json",
                                              "--draws", "20000", "--experience", k_checkout_copy},
                                             harness.dir);
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.err;
  EXPECT_EQ(dated_cells(analyzed.out, "source_channel"), days);
  EXPECT_TRUE(dated_cells(analyzed.out, "device_type").empty());

  // From the 26th, the overall is the sum of three day windows and each traffic source the sum
  // of its three day views; the other dimensions have no day views and are left out.
  const ProcessResult later =
      run_process(k_binary,
                  {"analyze", "--store", "reckon.db", "--format", "json", "--draws", "20000",
                   "--from", "2026-09-26", "--experience", k_checkout_copy},
                  harness.dir);
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_THAT(later.err, HasSubstr("reckon: warning: experiment \"Checkout reassurance copy\": "
                                   "segments device_type, visitor_type, source_site, "
                                   "country_code, landing_page_full_path have no per-day data; "
                                   "left out under --from/--to"));
  std::map<CellKey, std::uint64_t> expected;
  std::size_t channel_days = 0;
  for (const auto& [key, visitors] : visitors_by_cell(analyzed.out)) {
    const auto& [type, segment, date, variation] = key;
    if (type == "day" && segment >= "2026-09-26") {
      expected[{"overall", "All", "", variation}] += visitors;
      expected[key] = visitors;
    } else if (type == "source_channel" && date >= "2026-09-26") {
      expected[{type, segment, "", variation}] += visitors;
      expected[key] = visitors;
      ++channel_days;
    }
  }
  EXPECT_GT(channel_days, 0U);
  EXPECT_EQ(visitors_by_cell(later.out), expected);

  // The days are closed and past the processing lag: a second fetch asks none of them again.
  const std::size_t channel_requests = day_channel_requests(harness.server.log());
  const ProcessResult again = harness.fetch(options);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(day_channel_requests(harness.server.log()), channel_requests);
  const auto summary = summary_of(again.err);
  ASSERT_TRUE(summary) << again.err;
  EXPECT_GE(summary->reused, 2 * channel_requests); // the day windows and their audience views
}

TEST(FetchCommand, AnUnknownDaySegmentIsAUsageErrorListingTheDimensions) {
  Harness harness("fetch-day-segments-unknown");
  const ProcessResult fetched = harness.fetch({{"--day-segments", "source_channel,browser"}});
  EXPECT_EQ(fetched.exit_code, 2);
  EXPECT_THAT(fetched.err, HasSubstr("--day-segments: unknown dimension browser (device_type, "
                                     "visitor_type, source_channel, source_site, country_code, "
                                     "landing_page_full_path, all, none)"));
  EXPECT_EQ(harness.server.log().size(), 0U);
}

} // namespace
} // namespace reckon::test::fetch_tests
