// `reckon fetch --tz`: day windows carry their local date and zone through the store, export
// and import, so analysis needs no zone of its own.
#include "fetch_harness.hpp"

namespace reckon::test::fetch_tests {
namespace {

constexpr std::int64_t k_plus_13_seconds = 13 * 3600;

// The demo account as a store at UTC+13 would have recorded it: each day window recorded for a
// UTC day D (startTs and endTs in the request bodies) moved 13 hours earlier, onto D in
// +13:00, and answered by the same file.
std::filesystem::path demo_account_at_plus_13() {
  const std::filesystem::path dir = fresh_temp_dir("account-plus-13");
  std::filesystem::copy(data_dir() / "demo", dir, std::filesystem::copy_options::recursive);
  std::string manifest = read_text(dir / "manifest.json");
  for (const std::string field : {"startTs", "endTs"}) {
    const std::string anchor = field + R"(\":\")"; // inside the escaped body text
    for (std::size_t at = manifest.find(anchor); at != std::string::npos;
         at = manifest.find(anchor, at)) {
      at += anchor.size();
      const std::size_t end = manifest.find_first_not_of("0123456789", at);
      const std::int64_t seconds = std::stoll(manifest.substr(at, end - at));
      manifest.replace(at, end - at, std::to_string(seconds - k_plus_13_seconds));
    }
  }
  std::ofstream(dir / "manifest.json", std::ios::binary | std::ios::trunc) << manifest;
  return dir;
}

// Each started experience's dates of day slices in an analysis (JSON), by experience id.
std::map<std::string, std::set<std::string>> day_slices(const std::string& results) {
  simdjson::dom::parser parser;
  simdjson::dom::array experiments;
  EXPECT_EQ(parser.parse(results)["experiments"].get_array().get(experiments), simdjson::SUCCESS);
  std::map<std::string, std::set<std::string>> days;
  for (const simdjson::dom::element experiment : experiments) {
    for (const simdjson::dom::element cell : experiment["cells"].get_array()) {
      if (text_of(cell, "segment_type") == "day") {
        days[text_of(experiment, "id")].insert(text_of(cell, "segment")); // the date
      }
    }
  }
  return days;
}

TEST(FetchCommand, DayWindowsCarryTheirLocalDateThroughTheStoreExportAndImport) {
  Harness harness("fetch-plus-13", without_rate_limits(), demo_account_at_plus_13());
  const ProcessResult fetched =
      harness.fetch({{"--tz", "+13:00"}, {"--status", "started"}, {"--no-sitewide", ""}});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  EXPECT_EQ(harness.server.log().count_status(404), 0U);

  // Every day window is stored with its local date, the UTC date it was recorded for.
  std::map<std::string, std::set<std::string>> expected;
  const std::set<std::string> started = experiences_with_status("started");
  ASSERT_EQ(started.size(), 7U);
  {
    const auto store = harness.store();
    ASSERT_TRUE(store) << store.error().describe();
    const auto stored = store->latest_all("intelligems");
    ASSERT_TRUE(stored) << stored.error().describe();
    std::size_t windows = 0;
    for (const contract::ApiExchange& exchange : *stored) {
      const std::size_t at = exchange.request.body.find(R"("startTs":")");
      if (at == std::string::npos) {
        EXPECT_FALSE(exchange.request.day) << exchange.request.path;
        continue;
      }
      ++windows;
      const std::int64_t start = std::stoll(exchange.request.body.substr(at + 11, 10));
      const std::string date = util::TimeZone::utc().date_of(start + k_plus_13_seconds).to_string();
      ASSERT_TRUE(exchange.request.day) << exchange.request.body;
      EXPECT_EQ(*exchange.request.day, (contract::DayWindow{date, "+13:00"}));
      expected[experience_of(exchange.request.path)].insert(date);
    }
    EXPECT_GT(windows, 60U);
  }
  ASSERT_EQ(expected.size(), started.size());

  // analyze needs no --tz: every window is dated on its local day (the UTC midpoints would date
  // each one a day early).
  const std::vector<std::string> analyze = {"analyze", "--store", "reckon.db", "--format",
                                            "json",    "--draws", "20000"};
  const ProcessResult analyzed = run_process(k_binary, analyze, harness.dir);
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.err;
  EXPECT_EQ(day_slices(analyzed.out), expected);

  // --tz is accepted for one release, says so, and changes nothing.
  std::vector<std::string> with_zone = analyze;
  with_zone.insert(with_zone.end(), {"--tz", "Europe/Berlin"});
  const ProcessResult zoned = run_process(k_binary, with_zone, harness.dir);
  ASSERT_EQ(zoned.exit_code, 0) << zoned.err;
  EXPECT_EQ(zoned.out, analyzed.out);
  EXPECT_THAT(zoned.err, HasSubstr("reckon: --tz is no longer needed: day windows carry their "
                                   "date and zone since fetch stored them; ignored"));
  EXPECT_THAT(analyzed.err, Not(HasSubstr("--tz")));

  // Exported and imported into a new store, the windows keep their dates.
  const ProcessResult exported =
      run_process(k_binary, {"export", "--store", "reckon.db", "--out", "saved"}, harness.dir);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(read_text(harness.dir / "saved" / "manifest.json"),
              HasSubstr(R"("time_zone": "+13:00")"));
  const ProcessResult imported =
      run_process(k_binary, {"import", "saved", "--store", "imported.db"}, harness.dir);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  std::vector<std::string> reimported = analyze;
  reimported[2] = "imported.db";
  const ProcessResult again = run_process(k_binary, reimported, harness.dir);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, analyzed.out);
}

// Every file in `dir` and everything the server logged, for a secret to be looked for.

} // namespace
} // namespace reckon::test::fetch_tests
