// The generated responses as a whole: every file parses and is in the manifest; the experiences
// list, the counts CSV, the platform, bandit and sitewide responses; profit with costs; purity.
#include "reckon/simulate/simulate.hpp"

#include "reckon/contract/intelligems.hpp"

#include "reckon/parse/counts_csv.hpp"
#include "reckon/stats/parallel.hpp"

#include "fixture.hpp"
#include "generated_store.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace reckon::simulate::test {
namespace {

TEST_F(GeneratedStore, EveryJsonFileParsesAndTheManifestListsEveryResponse) {
  simdjson::dom::parser parser;
  std::set<std::string> responses;
  for (const auto& [path, content] : s_files) {
    if (path.size() > 5 && path.substr(path.size() - 5) == ".json") {
      element root;
      EXPECT_EQ(parser.parse(content).get(root), simdjson::SUCCESS) << path;
    }
    if (path != "counts.csv" && path != "truth.json" && path != "manifest.json") {
      responses.insert(path);
      // Response bodies are compact, as an API sends them.
      EXPECT_EQ(content.find('\n'), std::string::npos) << path;
    }
  }
  const element manifest = parser.parse(s_files.at("manifest.json"));
  std::set<std::string> listed;
  for (const element response : manifest["responses"]) {
    const std::string file = text(response["file"]);
    listed.insert(file);
    const std::string method = text(response["method"]);
    EXPECT_TRUE(method == "GET" || method == "POST") << file;
    if (file.rfind("intelligems/", 0) == 0) {
      EXPECT_EQ(std::string_view(response["path"]).substr(0, 12),
                (std::string(contract::intelligems::k_prefix) + ""))
          << file;
    }
  }
  EXPECT_EQ(listed, responses);
}

TEST_F(GeneratedStore, ExperiencesListIsPaginatedAndDetailsAreWrapped) {
  simdjson::dom::parser parser;
  std::set<std::string> listed;
  const std::vector<std::string> pages = files_under("intelligems/experiences-list.page-");
  ASSERT_EQ(pages.size(), 2U); // four Intelligems experiences, two a page
  for (std::size_t page = 0; page < pages.size(); ++page) {
    const element root = parser.parse(s_files.at(pages[page]));
    EXPECT_EQ(std::uint64_t(root["page"]), page + 1);
    EXPECT_EQ(std::uint64_t(root["limit"]), 2U);
    EXPECT_EQ(std::uint64_t(root["total"]), 4U);
    EXPECT_EQ(std::uint64_t(root["totalPages"]), 2U);
    for (const element experience : root["experiencesList"]) {
      listed.insert(std::string(std::string_view(experience["id"])));
      EXPECT_TRUE(has_key(experience, "testTypes"));
      EXPECT_TRUE(has_key(experience, "history"));
      double percentages = 0.0;
      int controls = 0;
      for (const element variation : experience["variations"]) {
        percentages += double(variation["percentage"]);
        controls += bool(variation["isControl"]) ? 1 : 0;
      }
      EXPECT_NEAR(percentages, 100.0, 1e-9);
      EXPECT_EQ(controls, 1);
      const std::string status = text(experience["status"]);
      EXPECT_EQ(experience["startedAtTs"].is_null(), status == "pending");
      EXPECT_EQ(experience["endedAtTs"].is_null(), status != "ended");
      EXPECT_EQ(experience["pausedAtTs"].is_null(), status != "paused");
    }
  }
  EXPECT_EQ(listed.size(), 4U);
  for (const std::string& id : listed) {
    const std::string path = "intelligems/experiences/" + id + ".json";
    ASSERT_TRUE(s_files.count(path)) << path;
    const element root = parser.parse(s_files.at(path));
    EXPECT_EQ(std::string_view(root["experience"]["id"]), id);
    EXPECT_FALSE(has_key(root["experience"], "history"));
    EXPECT_TRUE(has_key(root["experience"], "experienceKeyMetrics"));
  }
}

TEST_F(GeneratedStore, CountsCsvAgreesWithTheApiResponsesAndTheTruth) {
  const auto dataset = parse::parse_counts_csv(s_files.at("counts.csv"), "counts.csv");
  ASSERT_TRUE(dataset) << dataset.error().describe();
  // Every experiment with data: four with days of Intelligems, platform and bandit (not pending).
  EXPECT_EQ(dataset->experiments.size(), 5U);

  simdjson::dom::parser parser;
  const element truth = parser.parse(s_files.at("truth.json"));
  std::size_t compared = 0;
  for (const element experiment : truth["experiments"]) {
    if (std::string_view(experiment["source"]) != "intelligems" ||
        std::string_view(experiment["status"]) == "pending") {
      continue;
    }
    const std::string id = text(experiment["id"]);
    const std::string api_id = text(experiment["source_id"]);
    const auto found = std::find_if(dataset->experiments.begin(), dataset->experiments.end(),
                                    [&](const model::Experiment& e) { return e.id == id; });
    ASSERT_NE(found, dataset->experiments.end()) << id;
    const model::CountsCell& overall = found->cells.front();
    ASSERT_TRUE(overall.slice.is_overall());
    const Analytics overview =
        read_analytics(s_files.at("intelligems/analytics/" + api_id + "/overview.json"));
    std::size_t arm = 0;
    for (const element variation : experiment["variations"]) {
      const std::string api_variation = text(variation["source_id"]);
      const auto row = std::find_if(overview.rows.begin(), overview.rows.end(),
                                    [&](const Row& r) { return r.variation == api_variation; });
      ASSERT_NE(row, overview.rows.end());
      EXPECT_EQ(overall.arms[arm].variation_id, std::string_view(variation["id"]));
      EXPECT_EQ(static_cast<double>(overall.arms[arm].visitors), row->counts.at("n_visitors"));
      EXPECT_EQ(static_cast<double>(overall.arms[arm].conversions), row->counts.at("n_orders"));
      EXPECT_NEAR(overall.arms[arm].revenue, row->counts.at("net_revenue"), 1e-6);
      EXPECT_TRUE(overall.arms[arm].revenue_sq.has_value());
      ++arm;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 7U);
}

TEST_F(GeneratedStore, PlatformResultsFollowTheSeedShapes) {
  simdjson::dom::parser parser;
  const std::vector<std::string> pages = files_under("platform/experiments.page-");
  ASSERT_EQ(pages.size(), 1U);
  const element list = parser.parse(s_files.at(pages[0]));
  EXPECT_EQ(std::uint64_t(list["meta"]["total"]), 1U);
  const std::string id = text(list["data"].at(0)["id"]);
  EXPECT_EQ(id.substr(0, 4), "exp_");
  const element results = parser.parse(s_files.at("platform/experiments/" + id + "/results.json"));
  const element data = results["data"];
  EXPECT_EQ(std::string_view(data["status"]), "COMPLETED");
  const double n_control = double(data["sample_size"]["control"]);
  const double n_treatment = double(data["sample_size"]["treatment"]);
  EXPECT_NEAR(n_control + n_treatment, 7400.0, 400.0); // 5 weekdays + 2 weekend days x 1.2
  for (const element metric : data["metrics"]) {
    const element r = metric["results"];
    const double c = double(r["control"]["value"]);
    const double t = double(r["treatment"]["value"]);
    EXPECT_LE(double(r["control"]["confidence_interval"].at(0)), c);
    EXPECT_GE(double(r["control"]["confidence_interval"].at(1)), c);
    EXPECT_NEAR(double(r["improvement"]), 100.0 * (t / c - 1.0), 3.0);
    EXPECT_EQ(bool(r["is_significant"]), double(r["confidence"]) >= 95.0);
  }
}

TEST_F(GeneratedStore, BanditEventsRebuildTheCountsPageByPage) {
  simdjson::dom::parser parser;
  const element experiments = parser.parse(s_files.at("bandit/experiments.json"));
  EXPECT_TRUE(bool(experiments["success"]));
  const std::string id = text(experiments["data"].at(0)["id"]);
  std::map<std::string, std::string> treatment_of; // treatment id -> scenario variation id
  const std::vector<std::string> scenario_ids{"control", "b", "c"};
  std::size_t index = 0;
  for (const element treatment : experiments["data"].at(0)["treatments"]) {
    treatment_of[std::string(std::string_view(treatment["id"]))] = scenario_ids[index++];
  }

  std::map<std::string, double> users;
  std::map<std::string, double> conversions;
  std::map<std::string, double> revenue;
  std::string last_time;
  const std::vector<std::string> pages = files_under("bandit/events/" + id + ".offset-");
  ASSERT_GE(pages.size(), 2U);
  std::size_t seen = 0;
  for (std::size_t page = 0; page < pages.size(); ++page) {
    const std::string path = "bandit/events/" + id + ".offset-" + std::to_string(seen) + ".json";
    ASSERT_TRUE(s_files.count(path)) << path;
    const element body = parser.parse(s_files.at(path));
    const std::size_t size = simdjson::dom::array(body["data"]).size();
    // Pages are full until the events run out; the last page is the empty one that ends them.
    EXPECT_EQ(size == 0, page + 1 == pages.size()) << "only the last page is empty";
    EXPECT_TRUE(size == 40 || page + 2 >= pages.size()) << "only the last two are not full";
    for (const element event : body["data"]) {
      const std::string arm = treatment_of.at(std::string(std::string_view(event["treatmentId"])));
      const std::string type = text(event["eventType"]);
      const std::string time = text(event["timestamp"]);
      EXPECT_LE(last_time, time);
      last_time = time;
      if (type == "ASSIGNMENT") {
        users[arm] += 1.0;
        EXPECT_TRUE(event["value"].is_null());
      } else {
        EXPECT_EQ(type, "CONVERSION");
        conversions[arm] += 1.0;
        revenue[arm] += double(event["value"]);
      }
    }
    seen += size;
  }
  const auto dataset = parse::parse_counts_csv(s_files.at("counts.csv"), "counts.csv");
  ASSERT_TRUE(dataset);
  const auto bandit =
      std::find_if(dataset->experiments.begin(), dataset->experiments.end(),
                   [](const model::Experiment& e) { return e.id == "bandit-test"; });
  ASSERT_NE(bandit, dataset->experiments.end());
  for (const model::ArmCounts& arm : bandit->cells.front().arms) {
    EXPECT_EQ(users[arm.variation_id], static_cast<double>(arm.visitors)) << arm.variation_id;
    EXPECT_EQ(conversions[arm.variation_id], static_cast<double>(arm.conversions));
    EXPECT_NEAR(revenue[arm.variation_id], arm.revenue, 1e-6);
  }
  // Asking for an assignment creates one: the account records none.
  EXPECT_TRUE(files_under("bandit/assignments/").empty());
}

TEST_F(GeneratedStore, SitewideGenerationsAgree) {
  // One parser per document: a parse invalidates the previous document of its parser.
  simdjson::dom::parser parser;
  simdjson::dom::parser legacy_parser;
  simdjson::dom::parser snapshot_parser;
  simdjson::dom::parser devices_parser;
  double series_visitors = 0.0;
  std::size_t days = 0;
  const element series = parser.parse(s_files.at("intelligems/sitewide/timeseries.json"));
  for (const element point : series["segments"]["All"]["data"]) {
    series_visitors += double(point["n_visitors"]);
    EXPECT_TRUE(point["gross_profit"].is_null());
    ++days;
  }
  EXPECT_EQ(days, 7U);
  const element legacy = legacy_parser.parse(s_files.at("intelligems/sitewide/legacy.json"));
  EXPECT_EQ(double(legacy["visitors"]), series_visitors);
  const element snapshot = snapshot_parser.parse(s_files.at("intelligems/sitewide/snapshot.json"));
  EXPECT_EQ(double(snapshot["All"]["n_visitors"]["value"]), series_visitors);
  EXPECT_TRUE(snapshot["All"]["gross_profit"].is_null());
  EXPECT_EQ(double(snapshot["All"]["net_revenue"]["value"]), double(legacy["netRevenue"]));

  const element devices =
      devices_parser.parse(s_files.at("intelligems/sitewide/snapshot.audience.device_type.json"));
  double device_visitors = 0.0;
  double impact = 0.0;
  for (const auto [label, segment] : simdjson::dom::object(devices)) {
    if (std::string_view(label) == "__total") {
      EXPECT_EQ(double(segment["n_visitors"]["value"]), series_visitors);
      EXPECT_TRUE(has_key(segment["conversion_rate"], "impact_from_visitor_mix_shift"));
      continue;
    }
    device_visitors += double(segment["n_visitors"]["value"]);
    impact += double(segment["n_visitors"]["pct_impact_to_total_change"]);
  }
  EXPECT_EQ(device_visitors, series_visitors);
  // Additive metrics: the segments' impacts add up to the total's change.
  EXPECT_NEAR(impact, double(devices["__total"]["n_visitors"]["pct_change"]), 1e-6);
}

TEST(Generate, ComputesProfitMetricsWhenTheStoreHasCosts) {
  model::Scenario scenario = small_scenario();
  scenario.store.cost_of_goods_share = 0.4;
  std::map<std::string, std::string> files;
  for (GeneratedFile& file : generate(scenario)) {
    files.emplace(file.path, std::move(file.content));
  }
  simdjson::dom::parser parser;
  const element truth = parser.parse(files.at("truth.json"));
  const std::string id = text(truth["experiments"].at(0)["source_id"]);
  const Analytics overview =
      read_analytics(files.at("intelligems/analytics/" + id + "/overview.json"));
  EXPECT_TRUE(overview.cogs);
  for (const Row& row : overview.rows) {
    EXPECT_TRUE(row.null_metrics.empty());
    EXPECT_NEAR(row.counts.at("gross_profit"), 0.6 * row.counts.at("net_revenue"), 0.006);
    EXPECT_EQ(row.counts.at("pct_revenue_with_cogs"), 1.0);
    const Stat& profit = row.stats.at("gross_profit_per_visitor");
    const Stat& revenue = row.stats.at("net_revenue_per_visitor");
    EXPECT_NEAR(*profit.value, 0.6 * *revenue.value, 1e-6);
    ASSERT_TRUE(profit.p2bb && revenue.p2bb);
    // Profit is a constant share of revenue here, so it ranks the arms the same way.
    EXPECT_NEAR(*profit.p2bb, *revenue.p2bb, 0.05);
    EXPECT_TRUE(row.stats.at("gross_profit_per_order").ci_low);
  }
  const element series = parser.parse(files.at("intelligems/analytics/" + id + "/timeseries.json"));
  for (const auto [name, segment] : simdjson::dom::object(series["segments"])) {
    EXPECT_FALSE(segment["data"].at(0)["gross_profit_per_visitor"].is_null()) << name;
  }
  const element snapshot = parser.parse(files.at("intelligems/sitewide/snapshot.json"));
  EXPECT_TRUE(bool(snapshot["All"]["cogs_configured"]));
  EXPECT_NEAR(double(snapshot["All"]["gross_profit"]["value"]),
              0.6 * double(snapshot["All"]["net_revenue"]["value"]), 0.006);
}

TEST(Generate, IsAPureFunctionOfScenarioAndSeed) {
  model::Scenario scenario = small_scenario();
  std::vector<GeneratedFile> one;
  {
    const stats::ThreadLimit limit(1);
    one = generate(scenario);
  }
  std::vector<GeneratedFile> two;
  {
    const stats::ThreadLimit limit(2);
    two = generate(scenario);
  }
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].path, two[i].path);
    EXPECT_TRUE(one[i].content == two[i].content) << one[i].path;
  }
  scenario.seed += 1;
  const std::vector<GeneratedFile> reseeded = generate(scenario);
  const auto counts = [](const std::vector<GeneratedFile>& files) {
    return std::find_if(files.begin(), files.end(),
                        [](const GeneratedFile& f) { return f.path == "counts.csv"; })
        ->content;
  };
  EXPECT_NE(counts(one), counts(reseeded));
  // Ids belong to the store and its experiments, not to the seed.
  EXPECT_EQ(one.front().path, reseeded.front().path);
}

} // namespace
} // namespace reckon::simulate::test
