// `reckon fetch --day-segments`: each day window's audience views are fetched, stored with their
// local date, settle like the day windows, and analyse to segment-on-day cells.
#include "fetch_harness.hpp"

#include <tuple>

namespace reckon::test::fetch_tests {
namespace {

// "Checkout reassurance copy": four days, 2026-09-25 to 2026-09-28.
const std::string k_checkout_copy = "1be7bb82-44c8-4612-9395-5eaab2b230aa";

// The demo account with a recorded audience view by source_channel for every day window, so that
// the server can answer the day segments a fetch asks for. Where the demo does not record a
// day's view, it is answered by the experiment's whole-window source_channel view, which has the
// right shape (the counts are not the day's, and the assertions below hold either way).
std::filesystem::path demo_account_with_day_channels() {
  const std::filesystem::path dir = fresh_temp_dir("account-day-channels");
  std::filesystem::copy(data_dir() / "demo", dir, std::filesystem::copy_options::recursive);
  const std::string manifest = read_text(dir / "manifest.json");
  const std::string day_body = R"(\"view\":\"overview\",\"startTs\")";
  const std::string channel_body = R"(\"view\":\"audience\",\"audience\":\"source_channel\",)"
                                   R"(\"startTs\")";
  std::string patched;
  std::size_t copied = 0;
  for (std::size_t open = manifest.find("\n    {\n"); open != std::string::npos;
       open = manifest.find("\n    {\n", open + 1)) {
    const std::size_t close = manifest.find("\n    }", open);
    std::string entry = manifest.substr(open + 1, close + 6 - (open + 1));
    const std::size_t body = entry.find(day_body);
    if (body == std::string::npos) {
      continue;
    }
    entry.replace(body, day_body.size(), channel_body);
    const std::size_t body_end = entry.find('\n', body);
    if (manifest.find(entry.substr(body, body_end - body)) != std::string::npos) {
      continue; // recorded already
    }
    const std::size_t file = entry.find("/day.");
    entry.replace(file, entry.find('"', file) - file, "/audience.source_channel.json");
    patched.append(manifest, copied, open + 1 - copied).append(entry).append(",\n");
    copied = open + 1;
  }
  patched.append(manifest, copied);
  std::ofstream(dir / "manifest.json", std::ios::binary | std::ios::trunc) << patched;
  return dir;
}

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

TEST(FetchCommand, DaySegmentsFetchEachDaysAudienceViewsAndAnalyseToSegmentOnDayCells) {
  Harness harness("fetch-day-segments", without_rate_limits(), demo_account_with_day_channels());
  // --day-segments implies --days.
  const FetchOptions options{{"--days", std::nullopt},
                             {"--experience", k_checkout_copy},
                             {"--no-sitewide", ""},
                             {"--day-segments", "source_channel"}};
  const ProcessResult fetched = harness.fetch(options);
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  EXPECT_EQ(harness.server.log().count_status(404), 0U);
  EXPECT_EQ(day_channel_requests(harness.server.log()), 4U);

  const std::set<std::string> days{"2026-09-25", "2026-09-26", "2026-09-27", "2026-09-28"};
  const ProcessResult analyzed = run_process(
      k_binary, {"analyze", "--store", "reckon.db", "--format", "json", "--draws", "20000"},
      harness.dir);
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.err;
  EXPECT_EQ(dated_cells(analyzed.out, "source_channel"), days);
  EXPECT_TRUE(dated_cells(analyzed.out, "device_type").empty());

  // From the 26th, the overall is the sum of three day windows and each traffic source the sum
  // of its three day views; the other dimensions have no day views and are left out.
  const ProcessResult later = run_process(k_binary,
                                          {"analyze", "--store", "reckon.db", "--format", "json",
                                           "--draws", "20000", "--from", "2026-09-26"},
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
  const ProcessResult again = harness.fetch(options);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(day_channel_requests(harness.server.log()), 4U);
  const auto summary = summary_of(again.err);
  ASSERT_TRUE(summary) << again.err;
  EXPECT_GE(summary->reused, 8U); // four day windows and their four audience views
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
