#pragma once

// Exchanges and response bodies shared by the Intelligems parser tests: experience E with
// control C ("mag") and variant V ("mag alt price").

#include "reckon/contract/intelligems.hpp"

#include "reckon/parse/intelligems.hpp"
#include "support/error_matchers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reckon::parse::intelligems_fixture {

inline constexpr std::string_view k_prefix = contract::intelligems::k_prefix;

// `text` with the first `from` replaced by `to`.
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

inline contract::ApiExchange exchange(std::string method, std::string path,
                                      std::string request_body, std::string body,
                                      std::string origin, std::int64_t fetched_at_ms = 0) {
  contract::ApiExchange result;
  result.request.source = "intelligems";
  result.request.method = std::move(method);
  result.request.path = std::string(k_prefix) + path;
  result.request.body = std::move(request_body);
  result.body = std::move(body);
  result.origin = std::move(origin);
  result.fetched_at_ms = fetched_at_ms;
  return result;
}

// Experience E: control C ("mag") and variant V ("mag alt price"), listed out of display order.
inline const std::string k_list =
    R"({"experiencesList":[{"id":"E","name":"Mag price","status":"started",
  "startedAtTs":1788220800000,"endedAtTs":null,"pausedAtTs":null,
  "variations":[{"id":"V","name":"mag alt price","percentage":50,"isControl":false,"order":1},
                {"id":"C","name":"mag","percentage":50,"isControl":true,"order":0}]}],
  "page":1,"limit":20,"total":1,"totalPages":1})";

inline contract::ApiExchange list_exchange(const std::string& body = k_list) {
  return exchange("GET", "/experiences-list", "", body, "list.json");
}

inline contract::ApiExchange overview(const std::string& body,
                                      const std::string& origin = "overview.json",
                                      std::int64_t fetched_at_ms = 0) {
  return exchange("POST", "/analytics/resource/E", R"({"view":"overview","testResult":true})", body,
                  origin, fetched_at_ms);
}

// The observed two-arm capture of the research note (§1.4.5), ids shortened.
inline const std::string k_capture = R"({"datasetId":"variation_overview","cogsConfigured":false,
 "cogsCoveragePct":0,"experienceId":"E","experienceName":"Mag price",
 "impact":{"est_monthly_revenue_increase":3157},
 "testResult":{"verdict":"not_ready","runtime_days":42,"orders_per_variant":{"V":254,"C":238}},
 "metrics":[
  {"variation_id":"V",
   "n_visitors":{"value":6425},"n_orders":{"value":254},"net_revenue":{"value":15997.83},
   "conversion_rate":{"value":0.0395331,"ci_low":0.0349501,"ci_high":0.0446006,
      "plus_minus":0.0048252,"p2bb":0.7119,"p2bc":0.7119,
      "uplift":{"value":0.0487892,"ci_low":-0.1184434,"ci_high":0.2443571,"plus_minus":0.1814}},
   "net_revenue_per_visitor":{"value":2.4899346,"ci_low":2.0909356,"ci_high":2.9494626,
      "p2bb":0.8783,"p2bc":0.8783,
      "uplift":{"value":0.1588630,"ci_low":-0.0948304,"ci_high":0.4821223,"plus_minus":0.2884}},
   "net_revenue_per_order":{"value":62.983583,"ci_low":55.770418,"ci_high":71.089852,
      "p2bb":0.8618,"p2bc":0.8618,
      "uplift":{"value":0.1049532,"ci_low":-0.0761763,"ci_high":0.3147096}},
   "gross_profit_per_visitor":null,
   "view_collection_page_rate":{"value":0.0029572,"ci_low":null,"ci_high":null,"p2bb":null,
      "p2bc":null,"uplift":{"value":0.0373195,"ci_low":null,"ci_high":null,"plus_minus":null}},
   "pct_subscription_orders":{"value":0.6023622,"uplift":{"value":-0.0926443}}},
  {"variation_id":"C",
   "n_visitors":{"value":6314},"n_orders":{"value":238},"net_revenue":{"value":13566.27},
   "conversion_rate":{"value":0.0376940,"ci_low":0.0333178,"ci_high":0.0425925,"p2bb":0.2881},
   "net_revenue_per_visitor":{"value":2.1486014,"ci_low":1.8048891,"ci_high":2.5686480,"p2bb":0.1217},
   "net_revenue_per_order":{"value":57.001132,"ci_low":50.268118,"ci_high":64.968433,"p2bb":0.1382},
   "gross_profit_per_visitor":null, "pct_subscription_orders":{"value":0.6638655}}],
 "variations":[{"id":"C","name":"mag","percentage":50,"isControl":true,"order":0},
               {"id":"V","name":"mag alt price","percentage":50,"isControl":false,"order":1}],
 "audienceOrder":[],"histogram":[],"kde":[],"cdf":[]})";

// A metrics row with the three counts, `extra` members appended.
inline std::string row(const std::string& id, int visitors, int orders, double revenue,
                       const std::string& extra = "") {
  return R"({"variation_id":")" + id + R"(","n_visitors":{"value":)" + std::to_string(visitors) +
         R"(},"n_orders":{"value":)" + std::to_string(orders) + R"(},"net_revenue":{"value":)" +
         std::to_string(revenue) + "}" + extra + "}";
}

inline std::string audience_row(const std::string& id, const std::string& label, int visitors,
                                int orders) {
  return row(id, visitors, orders, orders * 50.0, R"(,"audience":")" + label + "\"");
}

inline std::string metrics(const std::vector<std::string>& rows, const std::string& extra = "") {
  std::string body = R"({"metrics":[)";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    body += (i > 0 ? "," : "") + rows[i];
  }
  return body + "]" + extra + "}";
}

inline const std::string k_two_rows =
    metrics({row("C", 1000, 30, 1500.5), row("V", 1010, 36, 1700.25)});

// A window's request body, bounds as 10-digit second strings.
inline std::string window(std::int64_t start, std::int64_t end, const std::string& extra = "") {
  return R"({"view":"overview","startTs":")" + std::to_string(start) + R"(","endTs":")" +
         std::to_string(end) + "\"" + extra + "}";
}

inline constexpr std::int64_t k_sep_01 = 1'788'220'800; // 2026-09-01T00:00:00Z

inline model::Dataset parse_ok(const std::vector<contract::ApiExchange>& exchanges,
                               std::vector<std::string>* notes = nullptr) {
  IntelligemsParseOptions options;
  options.on_skip = [notes](std::string_view origin, std::string_view reason) {
    if (notes != nullptr) {
      notes->push_back(std::string(origin) + ": " + std::string(reason));
    }
  };
  auto result = parse_intelligems(exchanges, options);
  EXPECT_TRUE(result) << result.error().describe();
  return result ? std::move(result).value() : model::Dataset{};
}

inline void expect_error(const std::vector<contract::ApiExchange>& exchanges,
                         const std::string& where, const std::string& says) {
  const auto result = parse_intelligems(exchanges);
  ASSERT_FALSE(result) << "accepted; expected an error at " << where;
  EXPECT_ERROR(result, util::ErrorCode::bad_input, ::testing::HasSubstr(says));
  EXPECT_EQ(result.error().where, where) << result.error().describe();
}

inline std::vector<std::string> slice_names(const model::Experiment& experiment) {
  std::vector<std::string> names;
  for (const model::CountsCell& cell : experiment.cells) {
    names.push_back(cell.slice.segment_type + "/" + cell.slice.segment +
                    (cell.slice.date.empty() ? "" : "@" + cell.slice.date));
  }
  return names;
}

inline const model::ReportedMetric& metric(const model::ArmCounts& arm, const std::string& name) {
  for (const model::ReportedMetric& m : arm.reported) {
    if (m.name == name) {
      return m;
    }
  }
  ADD_FAILURE() << "no reported metric " << name;
  static const model::ReportedMetric k_none;
  return k_none;
}

inline const std::string k_timeseries =
    R"({"currency":"USD","granularity":"day","mode":"noncumulative",
  "experienceId":"E","experienceName":"Mag price",
  "variations":[{"id":"C","name":"mag","isControl":true},{"id":"V","name":"mag alt price","isControl":false}],
  "cogsConfigured":false,"cogsCoveragePct":0,
  "segments":{
   "mag alt price":{"data":[
     {"dt":"2026-09-02 00:00:00","conversion_rate":0.05,"net_revenue_per_visitor":2.5,
      "gross_profit_per_visitor":null,"aov":50,"n_visitors":100,"n_orders":5,"net_revenue":250},
     {"dt":"2026-09-01 00:00:00","conversion_rate":0.04,"net_revenue_per_visitor":2,
      "gross_profit_per_visitor":null,"aov":50,"n_visitors":100,"n_orders":4,"net_revenue":200}]},
   "mag":{"data":[
     {"dt":"2026-09-01 00:00:00","conversion_rate":0.03,"net_revenue_per_visitor":1.5,
      "gross_profit_per_visitor":null,"aov":50,"n_visitors":100,"n_orders":3,"net_revenue":150},
     {"dt":"2026-09-02 00:00:00","conversion_rate":null,"net_revenue_per_visitor":null,
      "gross_profit_per_visitor":null,"aov":null,"n_visitors":null,"n_orders":null,"net_revenue":null}]}}})";

inline constexpr std::string_view k_daily = R"({"granularity":"day","mode":"noncumulative",)"
                                            R"("metrics":["conversion_rate","aov","n_visitors",)"
                                            R"("n_orders","net_revenue"]})";

} // namespace reckon::parse::intelligems_fixture
