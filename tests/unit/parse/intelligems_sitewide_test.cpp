#include "reckon/parse/intelligems_sitewide.hpp"

#include "reckon/contract/intelligems.hpp"
#include "reckon/util/file.hpp"

#include "support/paths.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reckon::parse {
namespace {

contract::ApiExchange timeseries(std::string body, std::int64_t fetched_at_ms = 1) {
  contract::ApiExchange exchange;
  exchange.request.source = std::string(contract::intelligems::k_source);
  exchange.request.method = "POST";
  exchange.request.path = contract::intelligems::sitewide_path("timeseries");
  exchange.fetched_at_ms = fetched_at_ms;
  exchange.body = std::move(body);
  exchange.origin = "sitewide/timeseries.json";
  return exchange;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

TEST(IntelligemsSitewide, ReadsTheDemoStoresDailyTraffic) {
  const auto body = util::read_file(test::data_dir() / "demo/intelligems/sitewide/timeseries.json");
  ASSERT_TRUE(body) << body.error().describe();
  const std::vector<contract::ApiExchange> exchanges{timeseries(*body)};
  const auto series = parse_intelligems_sitewide(exchanges);
  ASSERT_TRUE(series) << series.error().describe();
  ASSERT_TRUE(series->has_value());
  const model::SitewideSeries& store = **series;
  EXPECT_EQ(store.currency, "USD");
  ASSERT_EQ(store.days.size(), count_of(*body, "\"dt\""));
  EXPECT_EQ(store.days.front().date, "2026-09-15");
  EXPECT_EQ(store.days.front().visitors, 11832U);
  EXPECT_EQ(store.days.front().orders, 342U);
  EXPECT_DOUBLE_EQ(store.days.front().revenue, 26414.21);
  EXPECT_EQ(store.days[1].date, "2026-09-16");
  EXPECT_EQ(store.days[1].visitors, 11980U);
}

TEST(IntelligemsSitewide, TakesTheNewestDailyAnswerAndNothingElse) {
  const std::string older =
      R"({"granularity":"day","segments":{"All":{"data":[{"dt":"2026-09-01 00:00:00","n_visitors":5,"n_orders":1,"net_revenue":10.5}]}}})";
  const std::string newer =
      R"({"currency":"EUR","granularity":"day","segments":{"All":{"data":[{"dt":"2026-09-02 00:00:00","n_visitors":7,"n_orders":null,"net_revenue":null}]}}})";
  const std::vector<contract::ApiExchange> both{timeseries(newer, 20), timeseries(older, 10)};
  const auto series = parse_intelligems_sitewide(both);
  ASSERT_TRUE(series && series->has_value());
  ASSERT_EQ((*series)->days.size(), 1U);
  EXPECT_EQ((*series)->days[0].date, "2026-09-02");
  EXPECT_EQ((*series)->days[0].visitors, 7U);
  EXPECT_EQ((*series)->days[0].orders, 0U);
  EXPECT_EQ((*series)->currency, "EUR");

  const std::vector<contract::ApiExchange> weekly{
      timeseries(R"({"granularity":"week","segments":{"All":{"data":[]}}})")};
  const auto none = parse_intelligems_sitewide(weekly);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  EXPECT_FALSE(parse_intelligems_sitewide({})->has_value());
}

TEST(IntelligemsSitewide, NamesTheFieldOfABadAnswer) {
  const std::vector<contract::ApiExchange> bad_date{timeseries(
      R"({"granularity":"day","segments":{"All":{"data":[{"dt":"yesterday","n_visitors":5}]}}})")};
  const auto dated = parse_intelligems_sitewide(bad_date);
  ASSERT_FALSE(dated);
  EXPECT_EQ(dated.error().code, util::ErrorCode::bad_input);
  EXPECT_EQ(dated.error().where, "sitewide/timeseries.json: $.segments.All.data[0].dt");

  const std::vector<contract::ApiExchange> fractional{timeseries(
      R"({"segments":{"All":{"data":[{"dt":"2026-09-01 00:00:00","n_visitors":5.5}]}}})")};
  const auto counted = parse_intelligems_sitewide(fractional);
  ASSERT_FALSE(counted);
  EXPECT_EQ(counted.error().where, "sitewide/timeseries.json: $.segments.All.data[0].n_visitors");

  const std::vector<contract::ApiExchange> shapeless{timeseries(R"({"segments":{}})")};
  ASSERT_FALSE(parse_intelligems_sitewide(shapeless));
}

} // namespace
} // namespace reckon::parse
