// End to end: the demo account's saved responses, read and parsed, against the files
// themselves and against the counts CSV the simulator wrote beside them.

#include "reckon/parse/counts_csv.hpp"
#include "reckon/parse/intelligems.hpp"
#include "reckon/parse/saved_responses.hpp"

#include "reckon/util/file.hpp"
#include "support/paths.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace reckon::parse {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> k_dimensions = {"device_type",    "visitor_type",
                                               "source_channel", "source_site",
                                               "country_code",   "landing_page_full_path"};

std::filesystem::path demo_dir() {
  return test::data_dir() / "demo";
}

model::Dataset parse_demo(std::vector<std::string>* notes = nullptr) {
  auto exchanges = read_saved_responses(demo_dir());
  EXPECT_TRUE(exchanges) << exchanges.error().describe();
  if (!exchanges) {
    return {};
  }
  IntelligemsParseOptions options;
  options.on_skip = [notes](std::string_view origin, std::string_view reason) {
    if (notes != nullptr) {
      notes->push_back(std::string(origin) + ": " + std::string(reason));
    }
  };
  auto dataset = parse_intelligems(*exchanges, options);
  EXPECT_TRUE(dataset) << dataset.error().describe();
  return dataset ? std::move(dataset).value() : model::Dataset{};
}

simdjson::dom::element load(simdjson::dom::parser& parser, const std::filesystem::path& file) {
  simdjson::dom::element root;
  EXPECT_EQ(parser.load(file.string()).get(root), simdjson::SUCCESS) << file;
  return root;
}

// The distinct segment labels of an audience response, and each variation's overview visitors.
std::size_t label_count(const std::filesystem::path& file) {
  simdjson::dom::parser parser;
  std::set<std::string> labels;
  for (const simdjson::dom::element row : load(parser, file)["metrics"].get_array()) {
    labels.insert(std::string(row["audience"].get_string().value()));
  }
  return labels.size();
}

std::map<std::string, std::uint64_t> overview_visitors(const std::filesystem::path& file) {
  simdjson::dom::parser parser;
  std::map<std::string, std::uint64_t> visitors;
  for (const simdjson::dom::element row : load(parser, file)["metrics"].get_array()) {
    visitors[std::string(row["variation_id"].get_string().value())] =
        row["n_visitors"]["value"].get_uint64().value();
  }
  return visitors;
}

TEST(ParseIntelligemsDemo, GivesEveryExperimentItsOverallSegmentsAndDays) {
  std::vector<std::string> notes;
  const model::Dataset dataset = parse_demo(&notes);
  ASSERT_EQ(dataset.experiments.size(), 9U);
  for (const model::Experiment& experiment : dataset.experiments) {
    SCOPED_TRACE(experiment.id);
    EXPECT_EQ(experiment.source, "intelligems");
    EXPECT_TRUE(experiment.started_at_ms);
    const std::filesystem::path folder = demo_dir() / "intelligems" / "analytics" / experiment.id;
    ASSERT_TRUE(std::filesystem::is_directory(folder));

    std::vector<std::string> days;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("day.", 0) == 0 && name.find(".audience.") == std::string::npos) {
        days.push_back(name.substr(4, 10));
      }
    }
    std::sort(days.begin(), days.end());

    // Overall, then each dimension's segments in canonical order, then the days ascending,
    // then each day's source channels (the demo's day segments) as segments on that day.
    std::vector<std::string> expected_types{"overall"};
    for (const std::string& dimension : k_dimensions) {
      const std::size_t labels = label_count(folder / ("audience." + dimension + ".json"));
      expected_types.insert(expected_types.end(), labels, dimension);
    }
    expected_types.insert(expected_types.end(), days.size(), "day");
    std::vector<std::string> expected_segment_days;
    for (const std::string& day : days) {
      const std::size_t labels =
          label_count(folder / ("day." + day + ".audience.source_channel.json"));
      EXPECT_GE(labels, 1U) << day;
      expected_types.insert(expected_types.end(), labels, "source_channel");
      expected_segment_days.insert(expected_segment_days.end(), labels, day);
    }
    std::vector<std::string> types;
    std::vector<std::string> cell_days;
    std::vector<std::string> segment_days;
    for (const model::CountsCell& cell : experiment.cells) {
      types.push_back(cell.slice.segment_type);
      EXPECT_EQ(cell.arms.size(), experiment.variations.size());
      if (cell.slice.segment_type == "day") {
        cell_days.push_back(cell.slice.segment);
        EXPECT_THAT(cell.origin, HasSubstr("day." + cell.slice.segment + ".json"));
      } else if (!cell.slice.date.empty()) {
        segment_days.push_back(cell.slice.date);
        EXPECT_THAT(cell.origin,
                    HasSubstr("day." + cell.slice.date + ".audience.source_channel.json"));
      }
    }
    EXPECT_EQ(types, expected_types);
    EXPECT_EQ(cell_days, days);
    EXPECT_EQ(segment_days, expected_segment_days);

    const std::map<std::string, std::uint64_t> visitors =
        overview_visitors(folder / "overview.json");
    ASSERT_FALSE(experiment.cells.empty());
    for (const model::ArmCounts& arm : experiment.cells[0].arms) {
      EXPECT_EQ(arm.visitors, visitors.at(arm.variation_id)) << arm.variation_id;
      EXPECT_FALSE(arm.reported.empty());
      EXPECT_FALSE(arm.profit); // the demo store has no costs of goods
    }
  }
  // Only the sitewide responses give no cells; the timeseries days all have windows.
  EXPECT_FALSE(notes.empty());
  for (const std::string& note : notes) {
    EXPECT_THAT(note, HasSubstr("sitewide")) << note;
  }
}

// Maps the counts CSV's slugs to the API's ids through truth.json.
struct IdMap {
  std::map<std::string, std::string> experiment;                       // slug -> source id
  std::map<std::string, std::map<std::string, std::string>> variation; // slug -> slug -> id
  std::map<std::string, std::string> primary_metric;                   // slug -> metric
};

IdMap read_id_map() {
  simdjson::dom::parser parser;
  IdMap ids;
  for (const simdjson::dom::element e :
       load(parser, demo_dir() / "truth.json")["experiments"].get_array()) {
    if (e["source"].get_string().value() != "intelligems") {
      continue;
    }
    const std::string slug(e["id"].get_string().value());
    ids.experiment[slug] = std::string(e["source_id"].get_string().value());
    ids.primary_metric[slug] = std::string(e["primary_metric"].get_string().value());
    for (const simdjson::dom::element v : e["variations"].get_array()) {
      ids.variation[slug][std::string(v["id"].get_string().value())] =
          std::string(v["source_id"].get_string().value());
    }
  }
  return ids;
}

TEST(ParseIntelligemsDemo, AgreesWithTheCountsCsvOnEverySlice) {
  const model::Dataset parsed = parse_demo();
  const auto text = util::read_file(demo_dir() / "counts.csv");
  ASSERT_TRUE(text);
  const auto csv = parse_counts_csv(*text, "counts.csv");
  ASSERT_TRUE(csv) << csv.error().describe();
  const IdMap ids = read_id_map();
  ASSERT_EQ(ids.experiment.size(), 9U);

  for (const model::Experiment& expected : csv->experiments) {
    if (ids.experiment.count(expected.id) == 0) {
      continue; // the platform and bandit experiments
    }
    SCOPED_TRACE(expected.id);
    const auto found = std::find_if(
        parsed.experiments.begin(), parsed.experiments.end(),
        [&](const model::Experiment& e) { return e.id == ids.experiment.at(expected.id); });
    ASSERT_NE(found, parsed.experiments.end());
    EXPECT_EQ(found->primary_metric, ids.primary_metric.at(expected.id));
    ASSERT_EQ(found->cells.size(), expected.cells.size());
    std::map<model::Slice, const model::CountsCell*> by_slice;
    for (const model::CountsCell& cell : found->cells) {
      by_slice[cell.slice] = &cell;
    }
    for (const model::CountsCell& cell : expected.cells) {
      // The CSV writes the overall slice with empty names and a day as a date.
      model::Slice slice = cell.slice;
      if (slice.segment_type.empty()) {
        slice = model::Slice::overall();
      }
      const auto match = by_slice.find(slice);
      ASSERT_NE(match, by_slice.end()) << slice.segment_type << "/" << slice.segment;
      for (const model::ArmCounts& arm : cell.arms) {
        const std::string& id = ids.variation.at(expected.id).at(arm.variation_id);
        const auto twin =
            std::find_if(match->second->arms.begin(), match->second->arms.end(),
                         [&](const model::ArmCounts& a) { return a.variation_id == id; });
        ASSERT_NE(twin, match->second->arms.end());
        EXPECT_EQ(twin->visitors, arm.visitors) << slice.segment;
        EXPECT_EQ(twin->conversions, arm.conversions) << slice.segment;
        EXPECT_NEAR(twin->revenue, arm.revenue, 0.006) << slice.segment;
      }
    }
  }
}

} // namespace
} // namespace reckon::parse
