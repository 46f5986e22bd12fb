// The sitewide order distribution and conversion funnel, read back against the snapshot of the
// same window.
#include "reckon/parse/scenario.hpp"
#include "reckon/simulate/simulate.hpp"

#include "fixture.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace reckon::simulate {
namespace {

using simdjson::dom::element;

std::map<std::string, std::string> files_of(const model::Scenario& scenario) {
  std::map<std::string, std::string> files;
  for (GeneratedFile& file : generate(scenario)) {
    files.emplace(file.path, std::move(file.content));
  }
  return files;
}

const std::string k_distribution = "intelligems/sitewide/order-distribution.json";
const std::string k_funnel = "intelligems/sitewide/conversion-funnel.json";
const std::string k_snapshot = "intelligems/sitewide/snapshot.json";

class Sitewide : public ::testing::Test {
protected:
  static void SetUpTestSuite() { s_files = files_of(test::small_scenario()); }
  static std::map<std::string, std::string> s_files;
};
std::map<std::string, std::string> Sitewide::s_files;

TEST_F(Sitewide, OrderValueDistributionIsADensityAndADistributionFunction) {
  simdjson::dom::parser parser;
  const element root = parser.parse(s_files.at(k_distribution));
  const element distribution = root["orderValueDistribution"];
  for (const char* period : {"current_period", "previous_period"}) {
    double integral = 0.0;
    double last_x = -1.0;
    double last_density = 0.0;
    std::size_t points = 0;
    for (const element point : distribution["kernel_density_estimate"]) {
      const double x = double(point["x"]);
      const double value = double(point[period]);
      EXPECT_GE(value, 0.0);
      if (points > 0) {
        EXPECT_GT(x, last_x);
        integral += (x - last_x) * (value + last_density) / 2.0;
      } else {
        EXPECT_EQ(x, 0.0);
      }
      last_x = x;
      last_density = value;
      ++points;
    }
    EXPECT_EQ(points, 100U);
    EXPECT_NEAR(integral, 1.0, 0.03) << period;

    double previous = 0.0;
    std::vector<double> cdf;
    for (const element point : distribution["cumulative_distribution_function"]) {
      const double value = double(point[period]);
      EXPECT_GE(value, previous);
      previous = value;
      cdf.push_back(value);
    }
    ASSERT_EQ(cdf.size(), 100U);
    EXPECT_LT(cdf.front(), 0.01);
    EXPECT_GT(cdf.back(), 0.98);
    EXPECT_LE(cdf.back(), 1.0);
  }
}

TEST_F(Sitewide, OrderBreakdownAddsUpToTheSnapshot) {
  simdjson::dom::parser parser;
  simdjson::dom::parser snapshot_parser;
  const element root = parser.parse(s_files.at(k_distribution));
  const element snapshot = snapshot_parser.parse(s_files.at(k_snapshot))["All"];
  double orders = 0.0;
  double revenue = 0.0;
  double units = 0.0;
  double order_share = 0.0;
  double revenue_share = 0.0;
  std::size_t rows = 0;
  std::uint64_t last_quantity = 0;
  for (const element row : root["orderBreakdown"]) {
    const std::uint64_t quantity = std::uint64_t(row["unit_quantity"]);
    EXPECT_GT(quantity, last_quantity);
    last_quantity = quantity;
    const double n = double(row["n_orders"]["value"]);
    orders += n;
    units += n * static_cast<double>(quantity);
    revenue += double(row["net_revenue"]["value"]);
    order_share += double(row["pct_orders_by_unit_quantity"]["value"]);
    revenue_share += double(row["pct_net_revenue_by_unit_quantity"]["value"]);
    EXPECT_TRUE(row["gross_profit"].is_null());
    EXPECT_TRUE(row["pct_gross_profit_by_unit_quantity"].is_null());
    ++rows;
  }
  ASSERT_GT(rows, 1U);
  EXPECT_EQ(orders, double(snapshot["n_orders"]["value"]));
  EXPECT_NEAR(revenue, double(snapshot["net_revenue"]["value"]),
              0.005 * static_cast<double>(rows) + 1e-6);
  EXPECT_NEAR(order_share, 1.0, 1e-6);
  EXPECT_NEAR(revenue_share, 1.0, 1e-6);
  // 1 + Poisson(0.4) units by default.
  EXPECT_NEAR(units / orders, 1.4, 0.15);
}

TEST_F(Sitewide, ConversionFunnelConservesFlowAndNarrows) {
  simdjson::dom::parser parser;
  simdjson::dom::parser snapshot_parser;
  const element data = parser.parse(s_files.at(k_funnel))["data"];
  const element snapshot = snapshot_parser.parse(s_files.at(k_snapshot))["All"];
  struct Node {
    std::string name;
    std::uint64_t step, value;
  };
  std::vector<Node> nodes;
  for (const element node : data["nodes"]) {
    nodes.push_back(Node{std::string(std::string_view(node["name"])), std::uint64_t(node["step"]),
                         std::uint64_t(node["value"])});
    EXPECT_GE(double(node["pct"]), 0.0);
    EXPECT_LE(double(node["pct"]), 1.0);
  }
  std::vector<std::uint64_t> in(nodes.size()), out(nodes.size());
  for (const element link : data["links"]) {
    const auto source = std::size_t(std::uint64_t(link["source"]));
    const auto target = std::size_t(std::uint64_t(link["target"]));
    ASSERT_LT(source, nodes.size());
    ASSERT_LT(target, nodes.size());
    EXPECT_EQ(std::uint64_t(link["step"]), nodes[source].step);
    EXPECT_EQ(nodes[target].step, nodes[source].step + 1);
    EXPECT_NE(nodes[source].name, "Bounced");
    in[target] += std::uint64_t(link["value"]);
    out[source] += std::uint64_t(link["value"]);
  }
  std::map<std::uint64_t, std::uint64_t> onward; // step -> visitors still in the funnel
  std::uint64_t last_step = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    last_step = std::max(last_step, nodes[i].step);
    if (nodes[i].step > 0) {
      EXPECT_EQ(in[i], nodes[i].value) << nodes[i].name;
    }
    if (nodes[i].name != "Bounced") {
      onward[nodes[i].step] += nodes[i].value;
      if (nodes[i].name != "Order") {
        EXPECT_EQ(out[i], nodes[i].value) << nodes[i].name;
      }
    }
  }
  ASSERT_EQ(last_step, 3U);
  EXPECT_EQ(double(onward[0]), double(snapshot["n_visitors"]["value"]));
  EXPECT_EQ(double(onward[3]), double(snapshot["n_orders"]["value"]));
  EXPECT_EQ(nodes.back().name, "Bounced");
  for (std::uint64_t step = 1; step <= 3; ++step) {
    EXPECT_LE(onward[step], onward[step - 1]);
  }
}

TEST(SitewideFunnel, NamesTheTopFiveLandingPagesAndGroupsTheRest) {
  std::string text = test::small_scenario_json();
  const std::string anchor = R"("segments": {)";
  text.replace(text.find(anchor), anchor.size(),
               R"("segments": {"landing_page_full_path": {"/": 0.3, "/products/a": 0.2,
                  "/products/b": 0.15, "/collections/all": 0.1, "/products/c": 0.1,
                  "/blogs/news": 0.08, "/pages/about": 0.07},)");
  const auto scenario = parse::parse_scenario(text, "scenario.json");
  ASSERT_TRUE(scenario) << scenario.error().describe();
  const std::map<std::string, std::string> files = files_of(*scenario);
  simdjson::dom::parser parser;
  const element data = parser.parse(files.at(k_funnel))["data"];
  std::vector<std::string> landing;
  std::uint64_t last = UINT64_MAX;
  std::uint64_t visitors = 0;
  for (const element node : data["nodes"]) {
    if (std::uint64_t(node["step"]) == 0) {
      landing.emplace_back(std::string_view(node["name"]));
      visitors += std::uint64_t(node["value"]);
      if (landing.back() != "Other") {
        EXPECT_LE(std::uint64_t(node["value"]), last);
        last = std::uint64_t(node["value"]);
      }
    }
  }
  ASSERT_EQ(landing.size(), 6U);
  EXPECT_EQ(landing.front(), "/");
  EXPECT_EQ(landing.back(), "Other");
  simdjson::dom::parser snapshot_parser;
  EXPECT_EQ(double(visitors),
            double(snapshot_parser.parse(files.at(k_snapshot))["All"]["n_visitors"]["value"]));
}

TEST(SitewideOrders, ComputeProfitWithCostsAndFollowTheUnitsModel) {
  model::Scenario scenario = test::small_scenario();
  scenario.store.cost_of_goods_share = 0.4;
  scenario.store.units_per_order = 1.0;
  const std::map<std::string, std::string> files = files_of(scenario);
  simdjson::dom::parser parser;
  const element breakdown = parser.parse(files.at(k_distribution))["orderBreakdown"];
  ASSERT_EQ(simdjson::dom::array(breakdown).size(), 1U);
  const element row = breakdown.at(0);
  EXPECT_EQ(std::uint64_t(row["unit_quantity"]), 1U);
  EXPECT_NEAR(double(row["gross_profit"]["value"]), 0.6 * double(row["net_revenue"]["value"]),
              0.006);
  EXPECT_EQ(double(row["pct_gross_profit_by_unit_quantity"]["value"]), 1.0);
}

TEST(SitewideOrders, AreAPureFunctionOfScenarioAndSeed) {
  model::Scenario scenario = test::small_scenario();
  const std::map<std::string, std::string> one = files_of(scenario);
  const std::map<std::string, std::string> two = files_of(scenario);
  EXPECT_TRUE(one.at(k_distribution) == two.at(k_distribution));
  EXPECT_TRUE(one.at(k_funnel) == two.at(k_funnel));
  scenario.seed += 1;
  const std::map<std::string, std::string> reseeded = files_of(scenario);
  EXPECT_NE(one.at(k_distribution), reseeded.at(k_distribution));
  EXPECT_NE(one.at(k_funnel), reseeded.at(k_funnel));
}

} // namespace
} // namespace reckon::simulate
