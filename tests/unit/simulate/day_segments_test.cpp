// Audience views per day: the scenario's day segments give every Intelligems day window an
// audience view per dimension, and the counts CSV its segment-on-day rows, without changing
// any other response.
#include "reckon/simulate/simulate.hpp"

#include "reckon/contract/intelligems.hpp"
#include "reckon/parse/counts_csv.hpp"
#include "reckon/util/calendar.hpp"

#include "fixture.hpp"
#include "generated_store.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <string>
#include <vector>

namespace reckon::simulate::test {
namespace {

const std::vector<std::string> k_day_segments = {"device_type", "country_code"};

std::map<std::string, std::string> files_of(const model::Scenario& scenario) {
  std::map<std::string, std::string> files;
  for (GeneratedFile& file : generate(scenario)) {
    files[file.path] = std::move(file.content);
  }
  return files;
}

// The small store generated twice: as it is, and with day segments.
class DaySegments : public ::testing::Test {
public:
  static void SetUpTestSuite() {
    model::Scenario scenario = small_scenario();
    s_plain = files_of(scenario);
    scenario.day_segments = k_day_segments;
    s_files = files_of(scenario);
  }

  static inline std::map<std::string, std::string> s_plain;
  static inline std::map<std::string, std::string> s_files;
};

// An Intelligems experiment with days: its API id and its days.
struct ExperimentDays {
  std::string slug;
  std::string id;
  std::vector<std::string> days;
};

std::vector<ExperimentDays> intelligems_days(const std::string& truth) {
  simdjson::dom::parser parser;
  std::vector<ExperimentDays> result;
  for (const element experiment : parser.parse(truth)["experiments"]) {
    if (text(experiment["source"]) != "intelligems" || text(experiment["status"]) == "pending") {
      continue;
    }
    ExperimentDays entry{text(experiment["id"]), text(experiment["source_id"]), {}};
    const util::Date end = *util::Date::parse(text(experiment["end"]));
    for (util::Date day = *util::Date::parse(text(experiment["start"])); day <= end;
         day = day.plus_days(1)) {
      entry.days.push_back(day.to_string());
    }
    result.push_back(std::move(entry));
  }
  return result;
}

TEST_F(DaySegments, EveryDayWindowHasAnAudienceViewPerDimensionWithItsRequest) {
  simdjson::dom::parser parser;
  std::map<std::string, element> requests;
  const element manifest = parser.parse(s_files.at("manifest.json"));
  for (const element entry : manifest["responses"]) {
    requests[text(entry["file"])] = entry;
  }
  const std::vector<ExperimentDays> experiments = intelligems_days(s_files.at("truth.json"));
  ASSERT_EQ(experiments.size(), 3U); // two-arm, three-arm, tiny
  std::size_t views = 0;
  for (const ExperimentDays& experiment : experiments) {
    for (const std::string& day : experiment.days) {
      const std::int64_t start = util::Date::parse(day)->epoch_seconds();
      for (const std::string& dimension : k_day_segments) {
        const std::string file = "intelligems/analytics/" + experiment.id + "/day." + day +
                                 ".audience." + dimension + ".json";
        SCOPED_TRACE(file);
        ASSERT_EQ(s_files.count(file), 1U);
        ASSERT_EQ(requests.count(file), 1U);
        const element request = requests.at(file);
        EXPECT_EQ(text(request["method"]), "POST");
        EXPECT_EQ(text(request["path"]),
                  contract::intelligems::analytics_resource_path(experiment.id));
        const std::string top_n = dimension == "country_code" ? R"(,"topN":1000)" : "";
        EXPECT_EQ(text(request["body"]), R"({"view":"audience","audience":")" + dimension + '"' +
                                             top_n + R"(,"startTs":")" + std::to_string(start) +
                                             R"(","endTs":")" + std::to_string(start + 86'399) +
                                             R"("})");
        EXPECT_EQ(text(request["local_date"]), day);
        EXPECT_EQ(text(request["time_zone"]), "UTC");
        ++views;
      }
    }
  }
  // (10 + 7 + 3 days) x 2 dimensions, and no other new response.
  EXPECT_EQ(views, 40U);
  EXPECT_EQ(s_files.size(), s_plain.size() + 40U);
}

TEST_F(DaySegments, AudienceViewsOfADayAddUpToItsWindow) {
  for (const ExperimentDays& experiment : intelligems_days(s_files.at("truth.json"))) {
    const std::string dir = "intelligems/analytics/" + experiment.id + "/day.";
    for (const std::string& day : experiment.days) {
      const Analytics window = read_analytics(s_files.at(dir + day + ".json"));
      for (const std::string& dimension : k_day_segments) {
        SCOPED_TRACE(dir + day + ".audience." + dimension);
        const Analytics view =
            read_analytics(s_files.at(dir + day + ".audience." + dimension + ".json"));
        EXPECT_EQ(view.dataset, "variation_audience");
        EXPECT_EQ(view.variations, window.variations);
        std::map<std::string, std::map<std::string, double>> sums; // variation -> count
        std::map<std::string, std::size_t> rows_per_label;
        for (const Row& row : view.rows) {
          ++rows_per_label[row.audience];
          for (const auto& [name, value] : row.counts) {
            sums[row.variation][name] += value;
          }
        }
        // Every label has a row per variation and some visitor; audienceOrder lists them all.
        EXPECT_EQ(view.audience_order, rows_per_label.size());
        for (const auto& [label, rows] : rows_per_label) {
          EXPECT_EQ(rows, view.variations.size()) << label;
          double visitors = 0.0;
          for (const Row& row : view.rows) {
            visitors += row.audience == label ? row.counts.at("n_visitors") : 0.0;
          }
          EXPECT_GT(visitors, 0.0) << label;
        }
        for (const Row& row : window.rows) {
          for (const char* name : {"n_visitors", "n_orders", "n_visitors_added_to_cart"}) {
            EXPECT_EQ(sums[row.variation][name], row.counts.at(name)) << name;
          }
          EXPECT_NEAR(sums[row.variation]["net_revenue"], row.counts.at("net_revenue"), 1e-6);
        }
      }
    }
  }
}

// Day audiences are views of the same simulated visitors: every other response is unchanged,
// and the counts CSV and the manifest only gain entries.
TEST_F(DaySegments, LeaveEveryOtherFileAsItWas) {
  for (const auto& [path, content] : s_plain) {
    if (path != "counts.csv" && path != "manifest.json") {
      EXPECT_TRUE(s_files.at(path) == content) << path;
    }
  }
  const std::string& counts = s_files.at("counts.csv");
  std::string without_day_segments = counts.substr(0, counts.find('\n') + 1); // the header
  std::size_t day_segment_rows = 0;
  for (std::size_t at = without_day_segments.size(); at < counts.size();) {
    const std::size_t end = counts.find('\n', at) + 1;
    const std::string line = counts.substr(at, end - at);
    // experiment,variation,is_control,segment_type,segment,date,...: type and date both set.
    std::vector<std::string> fields;
    for (std::size_t from = 0; fields.size() < 6;) {
      const std::size_t comma = line.find(',', from);
      fields.push_back(line.substr(from, comma - from));
      from = comma + 1;
    }
    if (!fields[3].empty() && !fields[5].empty()) {
      ++day_segment_rows;
    } else {
      without_day_segments += line;
    }
    at = end;
  }
  EXPECT_TRUE(without_day_segments == s_plain.at("counts.csv"));
  EXPECT_GT(day_segment_rows, 500U);

  simdjson::dom::parser plain_parser;
  simdjson::dom::parser parser;
  std::vector<std::string> plain_entries;
  for (const element entry : plain_parser.parse(s_plain.at("manifest.json"))["responses"]) {
    plain_entries.push_back(simdjson::minify(entry));
  }
  std::size_t next = 0;
  for (const element entry : parser.parse(s_files.at("manifest.json"))["responses"]) {
    if (next < plain_entries.size() && simdjson::minify(entry) == plain_entries[next]) {
      ++next;
    }
  }
  EXPECT_EQ(next, plain_entries.size()) << "the manifest lost or reordered an entry";
}

TEST_F(DaySegments, CountsCsvHoldsTheSegmentOnDayCellsOfTheAudienceViews) {
  const auto dataset = parse::parse_counts_csv(s_files.at("counts.csv"), "counts.csv");
  ASSERT_TRUE(dataset) << dataset.error().describe();
  // Every segment of every Intelligems day audience view, which the CSV must have as a cell.
  std::map<std::string, std::string> api_id;
  std::size_t view_segments = 0;
  for (const ExperimentDays& experiment : intelligems_days(s_files.at("truth.json"))) {
    api_id[experiment.slug] = experiment.id;
    for (const std::string& day : experiment.days) {
      for (const std::string& dimension : k_day_segments) {
        view_segments +=
            read_analytics(s_files.at("intelligems/analytics/" + experiment.id + "/day." + day +
                                      ".audience." + dimension + ".json"))
                .audience_order;
      }
    }
  }
  std::size_t compared = 0;
  std::size_t experiments_with_them = 0;
  for (const model::Experiment& experiment : dataset->experiments) {
    bool any = false;
    for (const model::CountsCell& cell : experiment.cells) {
      const model::Slice& slice = cell.slice;
      if (slice.segment_type.empty() || slice.segment_type == "day" || slice.date.empty()) {
        continue;
      }
      any = true;
      ASSERT_TRUE(slice.segment_type == "device_type" || slice.segment_type == "country_code");
      if (api_id.count(experiment.id) == 0) {
        continue; // platform and bandit experiments: no audience views to compare with
      }
      const Analytics view =
          read_analytics(s_files.at("intelligems/analytics/" + api_id.at(experiment.id) + "/day." +
                                    slice.date + ".audience." + slice.segment_type + ".json"));
      std::uint64_t csv_visitors = 0;
      double view_visitors = 0.0;
      for (const model::ArmCounts& arm : cell.arms) {
        csv_visitors += arm.visitors;
      }
      for (const Row& row : view.rows) {
        view_visitors += row.audience == slice.segment ? row.counts.at("n_visitors") : 0.0;
      }
      EXPECT_EQ(static_cast<double>(csv_visitors), view_visitors)
          << experiment.id << " " << slice.segment << " " << slice.date;
      ++compared;
    }
    experiments_with_them += any ? 1 : 0;
  }
  // Every experiment with data has them: three Intelligems, the platform test and the bandit.
  EXPECT_EQ(experiments_with_them, 5U);
  EXPECT_EQ(compared, view_segments);
  EXPECT_GT(compared, 250U);
}

} // namespace
} // namespace reckon::simulate::test
