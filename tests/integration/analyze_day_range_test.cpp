// `--from` and `--to` on the analysing commands: days outside the range are dropped and the
// whole-window slices are rebuilt from the kept days.
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <sstream>

namespace reckon::test {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path k_binary = RECKON_BINARY;

std::string demo_counts() {
  return (data_dir() / "demo" / "counts.csv").string();
}

// Visitors of each variation of `experiment` over its day rows (no segment) from `from` on,
// read from the demo's counts CSV (its fields hold no commas).
std::map<std::string, std::uint64_t> day_row_visitors(const std::string& experiment,
                                                      const std::string& from) {
  std::istringstream csv(read_text(data_dir() / "demo" / "counts.csv"));
  std::map<std::string, std::uint64_t> visitors;
  std::string line;
  std::getline(csv, line); // experiment,variation,is_control,segment_type,segment,date,visitors
  while (std::getline(csv, line)) {
    std::vector<std::string> fields;
    std::istringstream row(line);
    for (std::string field; std::getline(row, field, ',');) {
      fields.push_back(field);
    }
    if (fields[0] == experiment && fields[3].empty() && !fields[5].empty() && fields[5] >= from) {
      visitors[fields[1]] += std::stoull(fields[6]);
    }
  }
  return visitors;
}

struct Analysed {
  std::map<std::string, std::uint64_t> overall_visitors; // conversion_rate cells, by variation
  std::vector<std::string> overall_assumptions;          // of the first overall cell
  std::vector<std::string> day_dates;
};

Analysed read_experiment(const std::string& json, const std::string& id) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  Analysed analysed;
  for (const simdjson::dom::element experiment : root["experiments"].get_array()) {
    if (std::string_view(experiment["id"].get_string()) != id) {
      continue;
    }
    for (const simdjson::dom::element cell : experiment["cells"].get_array()) {
      const std::string_view type = cell["segment_type"].get_string();
      if (type == "day") {
        analysed.day_dates.emplace_back(cell["segment"].get_string().value());
      }
      if (type != "overall" || std::string_view(cell["metric"].get_string()) != "conversion_rate") {
        continue;
      }
      analysed.overall_visitors[std::string(cell["variation_id"].get_string().value())] =
          cell["n_visitors"].get_uint64();
      if (analysed.overall_assumptions.empty()) {
        for (const simdjson::dom::element note : cell["assumptions"].get_array()) {
          analysed.overall_assumptions.emplace_back(note.get_string().value());
        }
      }
    }
  }
  return analysed;
}

TEST(AnalyzeDayRange, FromRebuildsTheOverallAsTheSumOfTheKeptDayRows) {
  const auto dir = fresh_temp_dir("analyze-from");
  const ProcessResult result = run_process(k_binary,
                                           {"analyze", "--counts", demo_counts(), "--from",
                                            "2026-09-02", "--format", "json", "--draws", "20000"},
                                           dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Analysed analysed = read_experiment(result.out, "free-shipping-threshold");
  const auto expected = day_row_visitors("free-shipping-threshold", "2026-09-02");
  ASSERT_EQ(expected.size(), 2U);
  EXPECT_EQ(analysed.overall_visitors, expected);
  // The whole window had more: the first day is really gone.
  EXPECT_LT(expected.at("control"), day_row_visitors("free-shipping-threshold", "").at("control"));
  EXPECT_THAT(analysed.overall_assumptions.front(),
              HasSubstr("a sum of the 13 days 2026-09-02 to 2026-09-14 in the day range"));
  ASSERT_FALSE(analysed.day_dates.empty());
  for (const std::string& date : analysed.day_dates) {
    EXPECT_GE(date, "2026-09-02");
  }
  EXPECT_THAT(result.out, HasSubstr(R"("days": {
      "from": "2026-09-02",
      "to": null
    })"));
  // The demo's segments have no day rows: left out, said once per experiment.
  const std::string warning =
      "reckon: warning: experiment \"free-shipping-threshold\": segments device_type, "
      "visitor_type, source_channel, country_code, source_site, landing_page_full_path have no "
      "per-day data; left out under --from/--to\n";
  EXPECT_THAT(result.err, HasSubstr(warning));
  EXPECT_EQ(result.err.find(warning), result.err.rfind(warning));
}

TEST(AnalyzeDayRange, ARangeHoldingEveryDayChangesNothingButTheRecordedRange) {
  const auto dir = fresh_temp_dir("analyze-all-days");
  const std::vector<std::string> analyze = {"analyze", "--counts", demo_counts(), "--format",
                                            "json",    "--draws",  "20000"};
  std::vector<std::string> ranged = analyze;
  ranged.insert(ranged.end(), {"--from", "2026-01-01", "--to", "2027-12-31"});
  const ProcessResult whole = run_process(k_binary, analyze, dir);
  const ProcessResult all_days = run_process(k_binary, ranged, dir);
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  ASSERT_EQ(all_days.exit_code, 0) << all_days.err;
  EXPECT_EQ(all_days.err, "");
  const std::string range = R"(,
    "days": {
      "from": "2026-01-01",
      "to": "2027-12-31"
    })";
  std::string without_range = all_days.out;
  const std::size_t at = without_range.find(range);
  ASSERT_NE(at, std::string::npos);
  without_range.erase(at, range.size());
  EXPECT_EQ(without_range, whole.out);
}

} // namespace
} // namespace reckon::test
