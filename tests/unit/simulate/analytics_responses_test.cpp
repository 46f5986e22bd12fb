// Internal consistency of the generated Intelligems analytics responses: each body on its own,
// and days, segments and timeseries against the overview.
#include "reckon/simulate/vendor_stats.hpp"

#include "generated_store.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace reckon::simulate::test {
namespace {

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

// The checks made so far, so that the test can tell it checked enough.
struct Checked {
  std::size_t nulls = 0;
  std::size_t probabilities = 0;
};

// One segment's rows of a response, by variation id.
using RowGroup = std::map<std::string, std::size_t>;

void check_response_shape(const Analytics& analytics, const std::string& path, bool audience) {
  EXPECT_EQ(analytics.dataset, audience ? "variation_audience" : "variation_overview");
  EXPECT_EQ(analytics.test_result, path.find("/overview.json") != std::string::npos);
  EXPECT_EQ(analytics.audience_order > 0, audience);
  EXPECT_TRUE(analytics.empty_graph_arrays);
  EXPECT_FALSE(analytics.cogs);
}

// Rows grouped by segment, each covering every variation exactly once.
std::map<std::string, RowGroup> group_rows(const Analytics& analytics, bool audience) {
  std::map<std::string, RowGroup> groups; // label -> variation -> row
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
  return groups;
}

bool near(double a, double b, double tolerance) {
  return std::abs(a - b) <= tolerance;
}

// Rates are counts / visitors; value metrics come from net_revenue.
void check_value(const Row& row, const std::string& metric, const Stat& stat, double n) {
  if (metric == "net_revenue_per_visitor") {
    EXPECT_TRUE(near(*stat.value, row.counts.at("net_revenue") / n, 5e-7 * *stat.value + 1e-7))
        << metric;
  } else if (metric == "net_revenue_per_order") {
    if (row.counts.at("n_orders") > 0) {
      EXPECT_TRUE(near(*stat.value, row.counts.at("net_revenue") / row.counts.at("n_orders"),
                       1e-7 * *stat.value + 1e-6));
    }
  } else {
    EXPECT_EQ(*stat.value, vendor_round(row.counts.at(events_of(metric)) / n)) << metric;
  }
}

// One row's statistic of `metric`: its value, uplift, and nulls exactly when data are low.
void check_stat(const std::string& path, const Analytics& analytics, std::size_t index,
                const std::string& metric, const Stat& control_stat, bool low, Checked& checked) {
  const Row& row = analytics.rows[index];
  const Stat& stat = row.stats.at(metric);
  const bool is_control = row.variation == analytics.control;
  const double n = row.counts.at("n_visitors");
  if (n == 0.0) {
    EXPECT_FALSE(stat.value) << metric;
    return;
  }
  check_value(row, metric, stat, n);
  // Control rows carry neither p2bc nor uplift; the others carry both.
  EXPECT_EQ(stat.has_p2bc, !is_control) << metric;
  EXPECT_EQ(stat.has_uplift, !is_control) << metric;
  if (!is_control && stat.value && control_stat.value && *control_stat.value != 0.0) {
    EXPECT_NEAR(*stat.uplift_value, *stat.value / *control_stat.value - 1.0, 2e-5)
        << metric << " uplift = ratio - 1";
  }
  const bool nulls_planted = GeneratedStore::planted(path, index, metric, "p2bb") ||
                             GeneratedStore::planted(path, index, metric, "ci_high") ||
                             GeneratedStore::planted(path, index, metric, "p2bc");
  if (nulls_planted) {
    return;
  }
  EXPECT_EQ(!stat.p2bb, low) << metric;
  EXPECT_EQ(!stat.ci_low, low) << metric;
  EXPECT_EQ(!stat.ci_high, low) << metric;
  EXPECT_EQ(!is_control && !stat.p2bc, !is_control && low) << metric;
  ++checked.nulls;
  if (!low) {
    EXPECT_LE(*stat.ci_low, *stat.ci_high);
    EXPECT_NEAR(*stat.plus_minus, (*stat.ci_high - *stat.ci_low) / 2.0,
                2e-7 * *stat.ci_high + 1e-7);
    if (!is_control) {
      EXPECT_LE(*stat.uplift_ci_low, *stat.uplift_ci_high);
      EXPECT_EQ(*stat.p2bc, round_to(*stat.p2bc, 4));
    }
  }
}

// A segment's p2bb over its arms, unless a vendor error was planted in them.
void check_probabilities(const std::string& path, const Analytics& analytics, const RowGroup& rows,
                         const std::string& metric, const Stat& control_stat, Checked& checked) {
  double p2bb_total = 0.0;
  for (const auto& [variation, index] : rows) {
    if (GeneratedStore::planted(path, index, metric, "p2bb") ||
        GeneratedStore::planted(path, index, metric, "p2bc")) {
      return;
    }
    p2bb_total += analytics.rows[index].stats.at(metric).p2bb.value_or(0.0);
  }
  // p2bb is a probability distribution over the arms.
  EXPECT_NEAR(p2bb_total, 1.0, 1e-6 * static_cast<double>(rows.size())) << metric;
  if (rows.size() != 2) {
    return;
  }
  for (const auto& [variation, index] : rows) {
    if (variation != analytics.control) {
      const Stat& stat = analytics.rows[index].stats.at(metric);
      // Two arms: control p2bb = 1 - variant p2bb, and the variant's p2bb is its p2bc.
      EXPECT_NEAR(*control_stat.p2bb, 1.0 - *stat.p2bb, 1e-6) << metric;
      EXPECT_NEAR(*stat.p2bb, *stat.p2bc, 1e-6) << metric;
      ++checked.probabilities;
    }
  }
}

void check_metric(const std::string& path, const Analytics& analytics, const RowGroup& rows,
                  const std::string& metric, const Stat& control_stat, Checked& checked) {
  const std::string events = events_of(metric);
  bool low = false;
  for (const auto& [variation, index] : rows) {
    const Row& row = analytics.rows[index];
    low = low || row.counts.at("n_visitors") < 100 || row.counts.at(events) < 30;
  }
  for (const auto& [variation, index] : rows) {
    check_stat(path, analytics, index, metric, control_stat, low, checked);
  }
  if (!low) {
    check_probabilities(path, analytics, rows, metric, control_stat, checked);
  }
}

TEST_F(GeneratedStore, AnalyticsResponsesAreInternallyConsistent) {
  std::size_t responses = 0;
  Checked checked;
  for (const std::string& path : files_under("intelligems/analytics/")) {
    if (path.find("/timeseries.json") != std::string::npos) {
      continue;
    }
    ++responses;
    SCOPED_TRACE(path);
    const Analytics analytics = read_analytics(s_files.at(path));
    const bool audience = path.find("/audience.") != std::string::npos;
    check_response_shape(analytics, path, audience);
    for (const auto& [label, rows] : group_rows(analytics, audience)) {
      ASSERT_EQ(rows.size(), analytics.variations.size()) << label;
      const Row& control = analytics.rows.at(rows.at(analytics.control));
      for (const auto& [metric, control_stat] : control.stats) {
        check_metric(path, analytics, rows, metric, control_stat, checked);
      }
    }
  }
  // two-arm: 1 + 2 dimensions + 10 days; three-arm: 1 + 2 + 7; tiny: 1 + 2 + 3.
  EXPECT_EQ(responses, 13U + 10U + 6U);
  EXPECT_GT(checked.nulls, 500U);
  EXPECT_GT(checked.probabilities, 100U);
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

} // namespace
} // namespace reckon::simulate::test
