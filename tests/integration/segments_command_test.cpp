#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include "reckon/util/text.hpp"

#include <gtest/gtest.h>

#include <simdjson.h>

#include <sstream>

namespace reckon::test {
namespace {

const std::filesystem::path k_binary = RECKON_BINARY;

// The block of one experiment in the table: from its heading (a line "name, metric, N days" or
// "name (id), metric, N days" below the headline) to the blank line after it.
std::string block_of(const std::string& table, const std::string& heading) {
  std::size_t start = table.find("\n" + heading + ", ");
  if (start == std::string::npos) {
    start = table.find("\n" + heading + " ("); // a store's heading: "name (id), metric"
  }
  if (start == std::string::npos) {
    return {};
  }
  ++start;
  return table.substr(start, table.find("\n\n", start) - start);
}

// The cells of a table row: runs of text separated by two spaces or more.
std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::size_t spaces = 0;
  for (const char c : line) {
    if (c == ' ') {
      ++spaces;
      continue;
    }
    if (spaces >= 2 && !cell.empty()) {
      cells.push_back(cell);
      cell.clear();
    } else if (spaces == 1 && !cell.empty()) {
      cell += ' ';
    }
    spaces = 0;
    cell += c;
  }
  if (!cell.empty()) {
    cells.push_back(cell);
  }
  return cells;
}

// The raw verdict of a segment's row ("device: Mobile"): the fifth cell.
std::string raw_verdict(const std::string& block, const std::string& segment) {
  std::istringstream lines(block);
  for (std::string line; std::getline(lines, line);) {
    const std::vector<std::string> cells = cells_of(line);
    if (cells.size() >= 6 && cells[0] == segment) {
      return cells[4];
    }
  }
  return "(no row)";
}

void expect_demo_story(const std::string& table) {
  const std::string sticky = block_of(table, "mobile-sticky-cart");
  ASSERT_FALSE(sticky.empty()) << table;
  EXPECT_EQ(raw_verdict(sticky, "device: Mobile"), "WINNER") << sticky;
  EXPECT_NE(raw_verdict(sticky, "device: Desktop"), "WINNER") << sticky;
  EXPECT_NE(raw_verdict(sticky, "device: Tablet"), "WINNER") << sticky;
  EXPECT_NE(sticky.find("segments differ in device"), std::string::npos) << sticky;
  const std::string null_test = block_of(table, "pdp-trust-badges");
  ASSERT_FALSE(null_test.empty()) << table;
  EXPECT_NE(null_test.find("no more winners than chance"), std::string::npos) << null_test;
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) {
    // Columns count code points ("I²" is two columns in three bytes).
    EXPECT_LE(util::display_width(line), 100U) << line;
  }
}

TEST(SegmentsCommand, TheDemoCountsNameTheMobileWinAndTheNullTest) {
  const auto dir = fresh_temp_dir("segments-demo");
  const ProcessResult result = run_process(
      k_binary,
      {"segments", "--counts", (data_dir() / "demo" / "counts.csv").string(), "--experience",
       "mobile-sticky-cart", "--experience", "pdp-trust-badges", "--draws", "20000"},
      dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_demo_story(result.out);
  // The first screen answers: the headline names where each test wins.
  const std::string first_screen = result.out.substr(0, result.out.find("\n\n"));
  EXPECT_NE(first_screen.find("  mobile-sticky-cart: sticky-cart WINNER overall (+"),
            std::string::npos)
      << first_screen;
  EXPECT_NE(first_screen.find("    most different by device: wins on Mobile (+"), std::string::npos)
      << first_screen;
  EXPECT_NE(first_screen.find("expected by chance: no more than chance"), std::string::npos)
      << first_screen;
}

TEST(SegmentsCommand, AStoreImportedFromTheDemoTellsTheSameStory) {
  const auto dir = fresh_temp_dir("segments-store");
  const ProcessResult imported =
      run_process(k_binary, {"import", (data_dir() / "demo").string(), "--store", "demo.db"}, dir);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const ProcessResult result =
      run_process(k_binary, {"segments", "--store", "demo.db", "--draws", "20000"}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // The store names experiments by the vendor's ids; the table heads each with its name too.
  std::string table = result.out;
  for (const auto& [name, id] :
       {std::pair<std::string, std::string>{"Sticky add-to-cart bar", "mobile-sticky-cart"},
        {"Trust badges on product pages", "pdp-trust-badges"}}) {
    const std::size_t at = table.find(name + " (");
    ASSERT_NE(at, std::string::npos) << table;
    table.replace(at, name.size(), id);
  }
  expect_demo_story(table);
}

TEST(SegmentsCommand, JsonAndCsvCarryEverySegmentAndTheSameNumbers) {
  const auto dir = fresh_temp_dir("segments-formats");
  const std::string counts = (data_dir() / "demo" / "counts.csv").string();
  const std::vector<std::string> common{"segments",           "--counts", counts, "--experience",
                                        "mobile-sticky-cart", "--draws",  "20000"};
  std::vector<std::string> json_args = common;
  json_args.insert(json_args.end(), {"--format", "json"});
  std::vector<std::string> csv_args = common;
  csv_args.insert(csv_args.end(), {"--format", "csv", "-o", "segments.csv"});
  const ProcessResult json = run_process(k_binary, json_args, dir);
  const ProcessResult csv = run_process(k_binary, csv_args, dir);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  ASSERT_EQ(csv.exit_code, 0) << csv.err;

  simdjson::dom::parser parser;
  const simdjson::dom::element document = parser.parse(json.out);
  EXPECT_EQ(std::string_view(document["schema"]), "reckon.segments/v1");
  const simdjson::dom::element experiment = document["experiments"].at(0);
  const simdjson::dom::array segments = experiment["segments"];
  const std::string csv_text = read_text(dir / "segments.csv");
  const auto csv_rows =
      static_cast<std::size_t>(std::count(csv_text.begin(), csv_text.end(), '\n'));
  EXPECT_EQ(csv_rows, segments.size() + 1); // the header, then one row per segment
  EXPECT_EQ(segments.size(), 46U);          // 46 segments x 1 variation x 1 metric
  bool mobile_found = false;
  for (const simdjson::dom::element segment : segments) {
    if (std::string_view(segment["segment"]) != "Mobile") {
      continue;
    }
    mobile_found = true;
    EXPECT_EQ(std::string_view(segment["raw"]["verdict"]), "WINNER");
    const double uplift = segment["raw"]["uplift"];
    EXPECT_NE(csv_text.find("device_type,Mobile,sticky-cart,net_revenue_per_visitor"),
              std::string::npos);
    EXPECT_GT(uplift, 0.1);
    EXPECT_TRUE(segment["pooled"]["mc_se"].is_null());
    EXPECT_FALSE(std::string_view(segment["pooled"]["mc_se_reason"]).empty());
  }
  EXPECT_TRUE(mobile_found);
  const simdjson::dom::element chance = experiment["chance"].at(0);
  EXPECT_GT(double(chance["expected"]), 0.0);
  EXPECT_EQ(json.out.find("NaN"), std::string::npos);
}

TEST(SegmentsCommand, SameSeedSameOutputOnOneAndTwoThreads) {
  const auto dir = fresh_temp_dir("segments-threads");
  const std::string counts = (data_dir() / "demo" / "counts.csv").string();
  std::vector<std::string> args{"segments",     "--counts",         counts,
                                "--experience", "pdp-trust-badges", "--draws",
                                "20000",        "--format",         "csv"};
  std::vector<std::string> one = args;
  one.insert(one.end(), {"--threads", "1"});
  std::vector<std::string> two = args;
  two.insert(two.end(), {"--threads", "2"});
  const ProcessResult first = run_process(k_binary, one, dir);
  const ProcessResult second = run_process(k_binary, two, dir);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, second.out);
}

} // namespace
} // namespace reckon::test

namespace reckon::test {
namespace {

// A day range rebuilds the segments from their days and is recorded in the document.
TEST(SegmentsCommand, RecordsTheDayRangeItWasCutTo) {
  const auto dir = fresh_temp_dir("segments-days");
  const ProcessResult result = run_process(
      k_binary,
      {"segments", "--counts", (data_dir() / "demo" / "counts.csv").string(), "--experience",
       "mobile-sticky-cart", "--draws", "20000", "--from", "2026-09-11", "--format", "json"},
      dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("\"days\": {\n      \"from\": \"2026-09-11\",\n      \"to\": null\n"),
            std::string::npos)
      << result.out.substr(0, 800);
}

} // namespace
} // namespace reckon::test
