#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/model/sitewide.hpp"
#include "reckon/util/result.hpp"

#include <optional>
#include <span>

namespace reckon::parse {

// The store's daily traffic from the newest stored Intelligems `POST analytics/sitewide/
// timeseries` answer (status 200) with day granularity: per `dt` of segments.All.data (a
// store-local "YYYY-MM-DD HH:MM:SS"), n_visitors, n_orders and net_revenue, a null read as 0.
// Nullopt when no such answer was stored (week or month granularity included: their rows are
// not days). A bad_input error at "<origin>: <JSON path>" when the answer is not of that
// shape: not JSON, no segments.All.data array, a dt that is no date, a count that is negative
// or fractional, days out of order or repeated.
util::Result<std::optional<model::SitewideSeries>>
parse_intelligems_sitewide(std::span<const contract::ApiExchange> exchanges);

} // namespace reckon::parse
