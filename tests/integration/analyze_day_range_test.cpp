// `--from` and `--to` on the analysing commands: days outside the range are dropped and the
// whole-window slices are rebuilt from the kept days.
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

namespace reckon::test {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path k_binary = RECKON_BINARY;

std::string demo_counts() {
  return (data_dir() / "demo" / "counts.csv").string();
}

// The rows of one experiment of the demo's counts CSV (its fields hold no commas).
struct Row {
  std::string variation, segment_type, segment, date;
  std::uint64_t visitors = 0;
};

std::vector<Row> demo_rows(const std::string& experiment) {
  std::istringstream csv(read_text(data_dir() / "demo" / "counts.csv"));
  std::vector<Row> rows;
  std::string line;
  std::getline(csv, line); // experiment,variation,is_control,segment_type,segment,date,visitors
  while (std::getline(csv, line)) {
    std::vector<std::string> fields;
    std::istringstream row(line);
    for (std::string field; std::getline(row, field, ',');) {
      fields.push_back(field);
    }
    if (fields[0] == experiment) {
      rows.push_back({fields[1], fields[3], fields[4], fields[5], std::stoull(fields[6])});
    }
  }
  return rows;
}

// Visitors of the conversion-rate cells of one experiment in an analysis (JSON), by segment
// type, segment, date and variation; and the assumptions of its first overall cell.
using CellKey = std::tuple<std::string, std::string, std::string, std::string>;
struct Analysed {
  std::map<CellKey, std::uint64_t> visitors;
  std::vector<std::string> overall_assumptions;
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
      if (std::string_view(cell["metric"].get_string()) != "conversion_rate") {
        continue;
      }
      std::string_view date;
      if (cell["date"].get_string().get(date) != simdjson::SUCCESS) {
        date = {};
      }
      const std::string type(cell["segment_type"].get_string().value());
      analysed.visitors[{type, std::string(cell["segment"].get_string().value()), std::string(date),
                         std::string(cell["variation_id"].get_string().value())}] =
          cell["n_visitors"].get_uint64();
      if (type == "overall" && analysed.overall_assumptions.empty()) {
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
  const std::string id = "free-shipping-threshold";
  const Analysed analysed = read_experiment(result.out, id);

  // Expected from the rows: the overall from the day rows from the 2nd on, each segment from
  // its rows on those days where its dimension has any; the other dimensions left out.
  std::map<CellKey, std::uint64_t> expected;
  std::set<std::string> dated_types;
  std::vector<std::string> undated_types;
  std::uint64_t first_day_control = 0;
  for (const Row& row : demo_rows(id)) {
    if (!row.date.empty() && !row.segment_type.empty()) {
      dated_types.insert(row.segment_type);
    }
  }
  for (const Row& row : demo_rows(id)) {
    const bool segment = !row.segment_type.empty();
    if (row.date.empty()) {
      if (segment && !dated_types.contains(row.segment_type) &&
          std::find(undated_types.begin(), undated_types.end(), row.segment_type) ==
              undated_types.end()) {
        undated_types.push_back(row.segment_type);
      }
      continue;
    }
    if (row.date < "2026-09-02") {
      first_day_control += row.variation == "control" && !segment ? row.visitors : 0;
      continue;
    }
    expected[{segment ? row.segment_type : "overall", segment ? row.segment : "All", "",
              row.variation}] += row.visitors;
    expected[{segment ? row.segment_type : "day", segment ? row.segment : row.date,
              segment ? row.date : "", row.variation}] = row.visitors;
  }
  ASSERT_GT(first_day_control, 0U); // the first day is really gone
  EXPECT_EQ(analysed.visitors, expected);
  EXPECT_THAT(analysed.overall_assumptions.front(),
              HasSubstr("a sum of the 13 days 2026-09-02 to 2026-09-14 in the day range"));
  EXPECT_THAT(result.out, HasSubstr(R"("days": {
      "from": "2026-09-02",
      "to": null
    })"));
  // The dimensions without day rows are left out, said once for the experiment.
  ASSERT_FALSE(undated_types.empty());
  std::string warning = "reckon: warning: experiment \"" + id + "\": segment" +
                        (undated_types.size() > 1 ? "s " : " ");
  for (std::size_t i = 0; i < undated_types.size(); ++i) {
    warning += (i > 0 ? ", " : "") + undated_types[i];
  }
  warning += (undated_types.size() > 1 ? " have" : " has");
  warning += " no per-day data; left out under --from/--to\n";
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
