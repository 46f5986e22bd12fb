#include "reckon/parse/intelligems_sitewide.hpp"

#include "reckon/contract/intelligems.hpp"
#include "reckon/util/calendar.hpp"

#include <simdjson.h>

#include <cmath>

namespace reckon::parse {

namespace {

using simdjson::dom::element;
using util::ErrorCode;

util::Error bad(const std::string& origin, const std::string& path, const std::string& why) {
  return util::make_error(ErrorCode::bad_input, origin + ": " + path, why);
}

// A number or null (0); nullopt for anything else.
std::optional<double> number_or_zero(element value) {
  if (value.is_null()) {
    return 0.0;
  }
  double number = 0.0;
  if (value.get_double().get(number) != simdjson::SUCCESS || !std::isfinite(number)) {
    return std::nullopt;
  }
  return number;
}

util::Result<model::SitewideDay> read_day(element row, const std::string& origin,
                                          const std::string& path) {
  std::string_view dt;
  if (row["dt"].get(dt) != simdjson::SUCCESS || dt.size() < 10 ||
      !util::Date::parse(dt.substr(0, 10))) {
    return bad(origin, path + ".dt", "expected a date \"YYYY-MM-DD HH:MM:SS\"");
  }
  model::SitewideDay day;
  day.date = std::string(dt.substr(0, 10));
  for (const auto& [key, count] :
       {std::pair{"n_visitors", &day.visitors}, std::pair{"n_orders", &day.orders}}) {
    element value;
    const auto number =
        row[key].get(value) == simdjson::SUCCESS ? number_or_zero(value) : std::optional(0.0);
    if (!number || *number < 0.0 || *number != std::floor(*number) || *number > 1e15) {
      return bad(origin, path + "." + key, "expected a whole count of at least 0, or null");
    }
    *count = static_cast<std::uint64_t>(*number);
  }
  element revenue;
  const auto amount = row["net_revenue"].get(revenue) == simdjson::SUCCESS ? number_or_zero(revenue)
                                                                           : std::optional(0.0);
  if (!amount) {
    return bad(origin, path + ".net_revenue", "expected a number or null");
  }
  day.revenue = *amount;
  return day;
}

util::Result<std::optional<model::SitewideSeries>>
read_series(const contract::ApiExchange& exchange) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(exchange.body).get(root) != simdjson::SUCCESS) {
    return bad(exchange.origin, "$", "not JSON");
  }
  std::string_view granularity;
  if (root["granularity"].get(granularity) == simdjson::SUCCESS && granularity != "day") {
    return std::optional<model::SitewideSeries>();
  }
  simdjson::dom::array rows;
  if (root["segments"]["All"]["data"].get(rows) != simdjson::SUCCESS) {
    return bad(exchange.origin, "$.segments.All.data", "expected an array of days");
  }
  model::SitewideSeries series;
  series.origin = exchange.origin;
  std::string_view currency;
  if (root["currency"].get(currency) == simdjson::SUCCESS) {
    series.currency = std::string(currency);
  }
  std::size_t index = 0;
  for (element row : rows) {
    const std::string path = "$.segments.All.data[" + std::to_string(index++) + "]";
    auto day = read_day(row, exchange.origin, path);
    if (!day) {
      return day.error();
    }
    if (!series.days.empty() && series.days.back().date >= day->date) {
      return bad(exchange.origin, path + ".dt",
                 day->date + " repeats or comes before " + series.days.back().date);
    }
    series.days.push_back(std::move(*day));
  }
  return std::optional(std::move(series));
}

} // namespace

util::Result<std::optional<model::SitewideSeries>>
parse_intelligems_sitewide(std::span<const contract::ApiExchange> exchanges) {
  const std::string path = contract::intelligems::sitewide_path("timeseries");
  const contract::ApiExchange* newest = nullptr;
  for (const contract::ApiExchange& exchange : exchanges) {
    if (exchange.status == 200 && exchange.request.path == path &&
        exchange.request.source == contract::intelligems::k_source &&
        (newest == nullptr || exchange.fetched_at_ms >= newest->fetched_at_ms)) {
      newest = &exchange;
    }
  }
  if (newest == nullptr) {
    return std::optional<model::SitewideSeries>();
  }
  return read_series(*newest);
}

} // namespace reckon::parse
