// Issue 12: what a store holds after `fetch --days` and `import`, and how analysis treats it.
// A window without rows is a day without data (defect 10); a stored response that cannot be
// read is reported by what it asked and does not stop the rest (defect 3); import refuses a
// folder holding one (defect 3).
#include "fetch_harness.hpp"

namespace reckon::test::fetch_tests {
namespace {

const std::string k_checkout =
    "1be7bb82-44c8-4612-9395-5eaab2b230aa"; // "Checkout reassurance copy"
const std::string k_paused = "8d909cc2-49e0-4b68-96de-67822d75bc19";

// A copy of the demo account in `dir`, where `rewrite` may change each response file
// (given its manifest entry) before the copy is served or imported.
std::filesystem::path
copy_demo(const std::filesystem::path& dir,
          const std::function<std::optional<std::string>(simdjson::dom::element entry)>& rewrite) {
  const std::filesystem::path copy = dir / "account";
  std::filesystem::copy(data_dir() / "demo", copy, std::filesystem::copy_options::recursive);
  simdjson::dom::parser parser;
  const std::string manifest = read_text(copy / "manifest.json");
  for (const simdjson::dom::element entry : parser.parse(manifest)["responses"].get_array()) {
    if (const auto text = rewrite(entry)) {
      std::ofstream(copy / text_of(entry, "file"), std::ios::binary | std::ios::trunc) << *text;
    }
  }
  return copy;
}

std::string local_date_of(simdjson::dom::element entry) {
  std::string_view date;
  return entry["local_date"].get_string().get(date) == simdjson::SUCCESS ? std::string(date) : "";
}

ProcessResult reckon(const std::filesystem::path& dir, const std::vector<std::string>& args) {
  return run_process(k_binary, args, dir);
}

// Before the fix: "response 39: metrics: no rows: expected one per variation", exit 3, for
// every analysis of the store.
TEST(FetchStoredResponses, DaysWithoutRowsAreDaysWithoutData) {
  const std::filesystem::path dir = fresh_temp_dir("fetch-empty-days");
  // The test paused before its last three days: the vendor answers them with no rows.
  const auto account = copy_demo(dir, [](simdjson::dom::element entry) {
    const std::string date = local_date_of(entry);
    return text_of(entry, "path").ends_with(k_paused) && date >= "2026-09-26"
               ? std::optional<std::string>(
                     R"({"datasetId":"variation_overview","experienceId":")" + k_paused +
                     R"(","metrics":[]})")
               : std::nullopt;
  });
  Harness harness("fetch-empty-days", without_rate_limits(), account);
  const ProcessResult fetched = harness.fetch();
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  const ProcessResult analysed =
      reckon(harness.dir, {"analyze", "--draws", "1000", "--format", "csv"});
  EXPECT_EQ(analysed.exit_code, 0) << analysed.err;
  EXPECT_THAT(analysed.out, HasSubstr(k_paused));
  EXPECT_THAT(analysed.err, Not(HasSubstr("not read")));
  const ProcessResult checked = reckon(harness.dir, {"check", "--draws", "1000", "--no-save"});
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
}

// The Checkout test's 2026-09-25 window as the demo account recorded it.
const RecordedExchange& checkout_window() {
  for (const RecordedExchange& recorded : demo_account()) {
    if (recorded.request.path.ends_with(k_checkout) &&
        recorded.request.body.find("\"1790294400\"") != std::string::npos &&
        recorded.request.body.find("overview") != std::string::npos) {
      return recorded;
    }
  }
  ADD_FAILURE() << "no 2026-09-25 window of " << k_checkout << " in the demo account";
  return demo_account().front();
}

// A version of that window fetched now whose body was cut short, as an older Reckon
// (or a disk fault) would have left it: newer than any fetch or import before.
void plant_cut_window(const std::filesystem::path& store_path) {
  auto store = store::Store::open_existing(store_path);
  ASSERT_TRUE(store) << store.error().describe();
  const RecordedExchange& recorded = checkout_window();
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  const contract::ApiExchange cut{recorded.request, 200, now_ms, recorded.bytes.substr(0, 300), ""};
  ASSERT_TRUE(store->save({&cut, 1}));
}

TEST(FetchStoredResponses, ABadStoredResponseIsNamedAndTheRestAnalysed) {
  const std::filesystem::path dir = fresh_temp_dir("stored-bad-response");
  ASSERT_EQ(reckon(dir, {"import", (data_dir() / "demo").string()}).exit_code, 0);
  plant_cut_window(dir / "reckon.db");

  // Before the fix: exit 3, no output, "reckon.db response 107: not valid JSON".
  const ProcessResult analysed = reckon(dir, {"analyze", "--draws", "1000", "--format", "csv"});
  EXPECT_EQ(analysed.exit_code, 3);
  EXPECT_THAT(analysed.out, HasSubstr(k_checkout)); // its other days and views
  EXPECT_THAT(analysed.out, HasSubstr(k_paused));
  EXPECT_THAT(analysed.err,
              HasSubstr("reckon: experience \"Checkout reassurance copy\" (" + k_checkout +
                        "): overview of day 2026-09-25 (UTC) not read: reckon.db: POST " +
                        k_prefix + "/analytics/resource/" + k_checkout +
                        " (day 2026-09-25, UTC): not valid JSON"));
  EXPECT_THAT(analysed.err, HasSubstr("reckon: reckon.db: 1 stored response could not be read "
                                      "(above); the output covers the rest"));
  EXPECT_THAT(analysed.err, Not(HasSubstr(" response 1")));

  // Another experience's analysis never fails because of it.
  const ProcessResult other = reckon(dir, {"analyze", "--draws", "1000", "--experience", k_paused});
  EXPECT_EQ(other.exit_code, 0) << other.err;
  EXPECT_THAT(other.err, Not(HasSubstr("not read")));
  const ProcessResult same =
      reckon(dir, {"analyze", "--draws", "1000", "--experience", k_checkout});
  EXPECT_EQ(same.exit_code, 3);
  const ProcessResult checked = reckon(dir, {"check", "--draws", "1000", "--no-save"});
  EXPECT_EQ(checked.exit_code, 3);
  EXPECT_THAT(checked.err, HasSubstr("overview of day 2026-09-25 (UTC) not read"));
}

// The settled window would be reused for ever; it is asked again, and the store is whole.
TEST(FetchStoredResponses, AFetchAsksAgainForASettledAnswerThatCannotBeRead) {
  Harness harness("fetch-settled-unreadable");
  ASSERT_EQ(harness.fetch().exit_code, 0);
  plant_cut_window(harness.store_path());
  ASSERT_EQ(reckon(harness.dir, {"analyze", "--draws", "1000"}).exit_code, 3);
  const std::size_t before = harness.server.log().size();
  const ProcessResult refetched = harness.fetch();
  ASSERT_EQ(refetched.exit_code, 0) << refetched.err;
  const std::vector<LoggedRequest> entries = harness.server.log().entries();
  const RecordedExchange& window = checkout_window();
  EXPECT_EQ(std::count_if(entries.begin() + static_cast<std::ptrdiff_t>(before), entries.end(),
                          [&window](const LoggedRequest& entry) {
                            return entry.path == window.request.path &&
                                   entry.body == window.request.body;
                          }),
            1);
  expect_store_holds_exactly(harness, current_api_exchanges());
  const ProcessResult analysed = reckon(harness.dir, {"analyze", "--draws", "1000"});
  EXPECT_EQ(analysed.exit_code, 0) << analysed.err;
}

TEST(FetchStoredResponses, ImportRefusesAFolderWithUnreadableResponsesWhole) {
  const std::filesystem::path dir = fresh_temp_dir("import-bad-files");
  std::string cut_file;
  std::string page_file;
  const auto account = copy_demo(dir, [&](simdjson::dom::element entry) {
    const std::string file = text_of(entry, "file");
    const std::string body = read_text(data_dir() / "demo" / file);
    if (text_of(entry, "path").ends_with(k_checkout) && local_date_of(entry) == "2026-09-25" &&
        file.find(".audience.") == std::string::npos) {
      cut_file = file;
      return std::optional<std::string>(body.substr(0, 300));
    }
    if (page_file.empty() && text_of(entry, "path").ends_with("experiences-list")) {
      page_file = file;
      return std::optional<std::string>(R"({"error":"try again"})");
    }
    return std::optional<std::string>();
  });
  ASSERT_FALSE(cut_file.empty());
  ASSERT_FALSE(page_file.empty());
  const ProcessResult refused = reckon(dir, {"import", account.string()});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_THAT(refused.err,
              HasSubstr("reckon: " + (account / cut_file).string() + ": not valid JSON: "));
  EXPECT_THAT(refused.err, HasSubstr("(at line 1, column 301 (byte 301))"));
  EXPECT_THAT(refused.err, HasSubstr("reckon: " + (account / page_file).string() +
                                     ": missing \"experiencesList\""));
  EXPECT_THAT(refused.err, HasSubstr("2 responses cannot be read (above): nothing was imported"));
  EXPECT_FALSE(std::filesystem::exists(dir / "reckon.db"));

  // Over a store that holds data, a refused import changes nothing.
  ASSERT_EQ(reckon(dir, {"import", (data_dir() / "demo").string()}).exit_code, 0);
  const ProcessResult again = reckon(dir, {"import", account.string()});
  EXPECT_EQ(again.exit_code, 3);
  const ProcessResult analysed = reckon(dir, {"analyze", "--draws", "1000"});
  EXPECT_EQ(analysed.exit_code, 0) << analysed.err;
}

} // namespace
} // namespace reckon::test::fetch_tests
