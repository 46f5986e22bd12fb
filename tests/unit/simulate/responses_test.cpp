// Internal consistency of every generated response, read back the way an importer would: with
// simdjson, by the file layout and the manifest.
#include "reckon/simulate/simulate.hpp"

#include "reckon/parse/counts_csv.hpp"
#include "reckon/simulate/vendor_stats.hpp"
#include "reckon/stats/parallel.hpp"

#include "fixture.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace reckon::simulate {
namespace {

using simdjson::dom::element;

// --- reading ----------------------------------------------------------------------------------

std::optional<double> number_or_null(element value) {
  if (value.is_null()) {
    return std::nullopt;
  }
  return double(value);
}

std::optional<double> optional_field(element object, const char* key) {
  element value;
  if (object[key].get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return number_or_null(value);
}

std::string text(element value) {
  return std::string(std::string_view(value));
}

bool has_key(element object, const char* key) {
  element value;
  return object[key].get(value) == simdjson::SUCCESS;
}

struct Stat {
  std::optional<double> value, ci_low, ci_high, plus_minus, p2bb, p2bc;
  bool has_p2bc = false;
  bool has_uplift = false;
  std::optional<double> uplift_value, uplift_ci_low, uplift_ci_high, uplift_plus_minus;
};

struct Row {
  std::string variation;
  std::string audience;
  std::map<std::string, double> counts;
  std::map<std::string, Stat> stats;
  std::set<std::string> null_metrics;
};

struct Analytics {
  std::string dataset;
  std::vector<Row> rows;
  std::vector<std::string> variations; // ids in display order
  std::string control;
  std::size_t audience_order = 0;
  bool cogs = true;
  bool test_result = false;
  bool empty_graph_arrays = false;
};

Analytics read_analytics(const std::string& text) {
  simdjson::dom::parser parser;
  const element root = parser.parse(text);
  Analytics result;
  result.dataset = std::string(std::string_view(root["datasetId"]));
  result.cogs = bool(root["cogsConfigured"]);
  result.test_result = has_key(root, "testResult");
  for (const element variation : root["variations"]) {
    result.variations.emplace_back(std::string_view(variation["id"]));
    if (bool(variation["isControl"])) {
      result.control = std::string(std::string_view(variation["id"]));
    }
  }
  result.audience_order = simdjson::dom::array(root["audienceOrder"]).size();
  result.empty_graph_arrays = simdjson::dom::array(root["histogram"]).size() == 0 &&
                              simdjson::dom::array(root["kde"]).size() == 0 &&
                              simdjson::dom::array(root["cdf"]).size() == 0;
  for (const element row_element : root["metrics"]) {
    Row row;
    for (const auto [key, value] : simdjson::dom::object(row_element)) {
      const std::string name(key);
      if (name == "variation_id") {
        row.variation = std::string(std::string_view(value));
      } else if (name == "audience") {
        row.audience = std::string(std::string_view(value));
      } else if (value.is_null()) {
        row.null_metrics.insert(name);
      } else if (has_key(value, "p2bb")) {
        Stat stat;
        stat.value = optional_field(value, "value");
        stat.ci_low = optional_field(value, "ci_low");
        stat.ci_high = optional_field(value, "ci_high");
        stat.plus_minus = optional_field(value, "plus_minus");
        stat.p2bb = optional_field(value, "p2bb");
        stat.has_p2bc = has_key(value, "p2bc");
        stat.p2bc = optional_field(value, "p2bc");
        stat.has_uplift = has_key(value, "uplift");
        if (stat.has_uplift) {
          const element uplift = value["uplift"];
          stat.uplift_value = optional_field(uplift, "value");
          stat.uplift_ci_low = optional_field(uplift, "ci_low");
          stat.uplift_ci_high = optional_field(uplift, "ci_high");
          stat.uplift_plus_minus = optional_field(uplift, "plus_minus");
        }
        row.stats[name] = stat;
      } else {
        row.counts[name] = double(value["value"]);
      }
    }
    result.rows.push_back(std::move(row));
  }
  return result;
}

// --- the generated store ----------------------------------------------------------------------

class GeneratedStore : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    const model::Scenario scenario = test::small_scenario();
    for (GeneratedFile& file : generate(scenario)) {
      s_order.push_back(file.path);
      s_files.emplace(file.path, std::move(file.content));
    }
    simdjson::dom::parser parser;
    const element truth = parser.parse(s_files.at("truth.json"));
    for (const element experiment : truth["experiments"]) {
      for (const element planted : experiment["vendor_errors"]) {
        s_planted.insert(std::string(std::string_view(planted["file"])) + "#" +
                         std::string(std::string_view(planted["json_path"])));
      }
    }
  }

  static bool planted(const std::string& file, std::size_t row, const std::string& metric,
                      const std::string& field) {
    return s_planted.count(file + "#metrics[" + std::to_string(row) + "]." + metric + "." +
                           field) != 0;
  }

  static std::vector<std::string> files_under(const std::string& prefix) {
    std::vector<std::string> found;
    for (const std::string& path : s_order) {
      if (path.rfind(prefix, 0) == 0) {
        found.push_back(path);
      }
    }
    return found;
  }

  static inline std::map<std::string, std::string> s_files;
  static inline std::vector<std::string> s_order;
  static inline std::set<std::string> s_planted;
};

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
      EXPECT_EQ(std::string_view(response["path"]).substr(0, 12), "/v25-10-beta") << file;
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

// Events of a metric: what its rate counts, and what decides its low-data nulls.
std::string events_of(const std::string& metric) {
  static const std::map<std::string, std::string> k_events{
      {"conversion_rate", "n_orders"},
      {"net_revenue_per_visitor", "n_orders"},
      {"net_revenue_per_order", "n_orders"},
      {"add_to_cart_rate", "n_visitors_added_to_cart"},
      {"checkout_begin_rate", "n_visitors_checkout_started"},
      {"checkout_enter_contact_info_rate", "n_visitors_checkout_contact_info_submitted"},
      {"checkout_address_submitted_rate", "n_visitors_checkout_address_info_submitted"},
      {"abandoned_cart_rate", "n_visitors_abandoned_cart"},
      {"abandoned_checkout_rate", "n_visitors_abandoned_checkout"}};
  return k_events.at(metric);
}

TEST_F(GeneratedStore, AnalyticsResponsesAreInternallyConsistent) {
  std::size_t responses = 0;
  std::size_t checked_nulls = 0;
  std::size_t checked_probabilities = 0;
  for (const std::string& path : files_under("intelligems/analytics/")) {
    if (path.find("/timeseries.json") != std::string::npos) {
      continue;
    }
    ++responses;
    SCOPED_TRACE(path);
    const Analytics analytics = read_analytics(s_files.at(path));
    const bool audience = path.find("/audience.") != std::string::npos;
    EXPECT_EQ(analytics.dataset, audience ? "variation_audience" : "variation_overview");
    EXPECT_EQ(analytics.test_result, path.find("/overview.json") != std::string::npos);
    EXPECT_EQ(analytics.audience_order > 0, audience);
    EXPECT_TRUE(analytics.empty_graph_arrays);
    EXPECT_FALSE(analytics.cogs);

    // Rows grouped by segment, each covering every variation exactly once.
    std::map<std::string, std::map<std::string, std::size_t>> groups; // label -> variation -> row
    for (std::size_t i = 0; i < analytics.rows.size(); ++i) {
      const Row& row = analytics.rows[i];
      EXPECT_EQ(row.audience.empty(), !audience);
      EXPECT_TRUE(groups[row.audience].emplace(row.variation, i).second);
      for (const char* profit :
           {"gross_profit", "gross_profit_per_visitor", "gross_profit_per_order"}) {
        EXPECT_TRUE(row.null_metrics.count(profit)) << profit;
      }
    }
    EXPECT_EQ(groups.size(), audience ? analytics.audience_order : 1U);
    for (const auto& [label, rows] : groups) {
      ASSERT_EQ(rows.size(), analytics.variations.size()) << label;
      const Row& control = analytics.rows.at(rows.at(analytics.control));
      for (const auto& [metric, control_stat] : control.stats) {
        const std::string events = events_of(metric);
        bool low = false;
        double p2bb_total = 0.0;
        for (const auto& [variation, index] : rows) {
          const Row& row = analytics.rows[index];
          low = low || row.counts.at("n_visitors") < 100 || row.counts.at(events) < 30;
        }
        for (const auto& [variation, index] : rows) {
          const Row& row = analytics.rows[index];
          const Stat& stat = row.stats.at(metric);
          const bool is_control = variation == analytics.control;
          const double n = row.counts.at("n_visitors");
          if (!low && stat.p2bb) {
            p2bb_total += *stat.p2bb;
          }
          if (n == 0.0) {
            EXPECT_FALSE(stat.value) << metric;
            continue;
          }
          const auto near = [](double a, double b, double tolerance) {
            return std::abs(a - b) <= tolerance;
          };
          // rates = counts / visitors; value metrics from net_revenue.
          if (metric == "net_revenue_per_visitor") {
            EXPECT_TRUE(
                near(*stat.value, row.counts.at("net_revenue") / n, 5e-7 * *stat.value + 1e-7))
                << metric;
          } else if (metric == "net_revenue_per_order") {
            if (row.counts.at("n_orders") > 0) {
              EXPECT_TRUE(near(*stat.value,
                               row.counts.at("net_revenue") / row.counts.at("n_orders"),
                               1e-7 * *stat.value + 1e-6));
            }
          } else {
            EXPECT_EQ(*stat.value, vendor_round(row.counts.at(events) / n)) << metric;
          }
          // Control rows carry neither p2bc nor uplift; the others carry both.
          EXPECT_EQ(stat.has_p2bc, !is_control) << metric;
          EXPECT_EQ(stat.has_uplift, !is_control) << metric;
          if (!is_control && stat.value && control_stat.value && *control_stat.value != 0.0) {
            EXPECT_NEAR(*stat.uplift_value, *stat.value / *control_stat.value - 1.0, 2e-5)
                << metric << " uplift = ratio - 1";
          }
          // Null exactly when data are low.
          const bool nulls_planted = planted(path, index, metric, "p2bb") ||
                                     planted(path, index, metric, "ci_high") ||
                                     planted(path, index, metric, "p2bc");
          if (!nulls_planted) {
            EXPECT_EQ(!stat.p2bb, low) << metric;
            EXPECT_EQ(!stat.ci_low, low) << metric;
            EXPECT_EQ(!stat.ci_high, low) << metric;
            EXPECT_EQ(!is_control && !stat.p2bc, !is_control && low) << metric;
            ++checked_nulls;
          }
          if (!low && !nulls_planted) {
            EXPECT_LE(*stat.ci_low, *stat.ci_high);
            EXPECT_NEAR(*stat.plus_minus, (*stat.ci_high - *stat.ci_low) / 2.0,
                        2e-7 * *stat.ci_high + 1e-7);
            if (!is_control) {
              EXPECT_LE(*stat.uplift_ci_low, *stat.uplift_ci_high);
              EXPECT_EQ(*stat.p2bc, round_to(*stat.p2bc, 4));
            }
          }
        }
        if (low) {
          continue;
        }
        bool any_planted = false;
        for (const auto& [variation, index] : rows) {
          any_planted = any_planted || planted(path, index, metric, "p2bb") ||
                        planted(path, index, metric, "p2bc");
        }
        if (any_planted) {
          continue;
        }
        // p2bb is a probability distribution over the arms.
        EXPECT_NEAR(p2bb_total, 1.0, 1e-6 * static_cast<double>(rows.size())) << metric;
        if (rows.size() == 2) {
          for (const auto& [variation, index] : rows) {
            if (variation != analytics.control) {
              const Stat& stat = analytics.rows[index].stats.at(metric);
              // Two arms: control p2bb = 1 - variant p2bb, and the variant's p2bb is its p2bc.
              EXPECT_NEAR(*control_stat.p2bb, 1.0 - *stat.p2bb, 1e-6) << metric;
              EXPECT_NEAR(*stat.p2bb, *stat.p2bc, 1e-6) << metric;
              ++checked_probabilities;
            }
          }
        }
      }
    }
  }
  // two-arm: 1 + 2 dimensions + 10 days; three-arm: 1 + 2 + 7; tiny: 1 + 2 + 3.
  EXPECT_EQ(responses, 13U + 10U + 6U);
  EXPECT_GT(checked_nulls, 500U);
  EXPECT_GT(checked_probabilities, 100U);
}

TEST_F(GeneratedStore, DaysSegmentsAndTimeseriesAddUpToTheOverview) {
  simdjson::dom::parser parser;
  std::vector<std::string> ids;
  for (const std::string& page : files_under("intelligems/experiences-list.page-")) {
    const element list = parser.parse(s_files.at(page));
    for (const element experience : list["experiencesList"]) {
      if (std::string_view(experience["status"]) != "pending") {
        ids.emplace_back(std::string_view(experience["id"]));
      }
    }
  }
  ASSERT_EQ(ids.size(), 3U);
  for (const std::string& id : ids) {
    SCOPED_TRACE(id);
    const std::string dir = "intelligems/analytics/" + id + "/";
    const Analytics overview = read_analytics(s_files.at(dir + "overview.json"));
    std::map<std::string, std::map<std::string, double>> total; // variation -> count -> value
    for (const Row& row : overview.rows) {
      total[row.variation] = row.counts;
    }
    std::map<std::string, std::map<std::string, double>> days;
    std::size_t day_files = 0;
    for (const std::string& path : files_under(dir + "day.")) {
      ++day_files;
      for (const Row& row : read_analytics(s_files.at(path)).rows) {
        for (const auto& [name, value] : row.counts) {
          days[row.variation][name] += value;
        }
      }
    }
    std::map<std::string, std::map<std::string, double>> devices;
    for (const Row& row : read_analytics(s_files.at(dir + "audience.device_type.json")).rows) {
      for (const auto& [name, value] : row.counts) {
        devices[row.variation][name] += value;
      }
    }
    std::map<std::string, double> countries;
    for (const Row& row : read_analytics(s_files.at(dir + "audience.country_code.json")).rows) {
      countries[row.variation] += row.counts.at("n_visitors");
    }
    for (const auto& [variation, counts] : total) {
      for (const char* name : {"n_visitors", "n_orders", "n_visitors_added_to_cart"}) {
        EXPECT_EQ(days[variation][name], counts.at(name)) << name;
        EXPECT_EQ(devices[variation][name], counts.at(name)) << name;
      }
      EXPECT_NEAR(days[variation]["net_revenue"], counts.at("net_revenue"), 1e-6);
      // Twelve countries, of which the response keeps the top ten by visitors.
      EXPECT_LE(countries[variation], counts.at("n_visitors"));
    }

    const element series = parser.parse(s_files.at(dir + "timeseries.json"));
    std::size_t series_variations = 0;
    for (const auto [name, segment] : simdjson::dom::object(series["segments"])) {
      ++series_variations;
      std::size_t points = 0;
      for (const element point : segment["data"]) {
        ++points;
        EXPECT_EQ(std::string_view(point["dt"]).size(), 19U);
        EXPECT_TRUE(point["gross_profit_per_visitor"].is_null());
      }
      EXPECT_EQ(points, day_files) << std::string(name);
    }
    EXPECT_EQ(series_variations, total.size());
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

TEST_F(GeneratedStore, ThePlantedVendorErrorIsInItsFileAndInTheTruth) {
  ASSERT_EQ(s_planted.size(), 1U);
  simdjson::dom::parser parser;
  const element truth = parser.parse(s_files.at("truth.json"));
  for (const element experiment : truth["experiments"]) {
    for (const element planted : experiment["vendor_errors"]) {
      const std::string file = text(planted["file"]);
      EXPECT_NE(file.find("/day.2026-09-12.json"), std::string::npos);
      EXPECT_EQ(std::string_view(planted["json_path"]).substr(0, 8), "metrics[");
      const double reported = double(planted["reported"]);
      const std::optional<double> true_value = number_or_null(planted["true_value"]);
      EXPECT_NEAR(reported, true_value.value_or(0.0) + 0.5, 1e-6);
      // The body holds the reported number at that place.
      const Analytics body = read_analytics(s_files.at(file));
      const std::string path = text(planted["json_path"]);
      const std::size_t row = std::stoul(path.substr(8));
      EXPECT_EQ(body.rows[row].stats.at("net_revenue_per_visitor").ci_high, reported);
    }
  }
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
    EXPECT_EQ(size < 40, page + 1 == pages.size()) << "only the last page is short";
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
  const element assignment = parser.parse(s_files.at("bandit/assignments/" + id + ".json"));
  const double confidence = double(assignment["data"]["confidence"]);
  EXPECT_GT(confidence, 0.0);
  EXPECT_LE(confidence, 1.0);
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
  model::Scenario scenario = test::small_scenario();
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
  model::Scenario scenario = test::small_scenario();
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
} // namespace reckon::simulate
