#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/util/result.hpp"

#include <functional>
#include <span>
#include <string_view>

namespace reckon::parse {

struct IntelligemsParseOptions {
  // Told about every Intelligems response (status 200) that gives no cells, and every slice
  // left out, with the response's origin and the reason: post-test and filtered views,
  // windows that are not one day, cumulative or non-daily timeseries, sitewide analytics,
  // segments or days missing a variation. Diagnostics only; may be empty.
  std::function<void(std::string_view origin, std::string_view reason)> on_skip;
};

// Turns stored Intelligems External API responses (research note §1) into the plain model.
// Exchanges from other sources and with a status other than 200 are ignored. Of several
// exchanges that give the same thing (the same list page, experience, slice group or
// timeseries), the most recently fetched wins, a tie going to the later one in `exchanges`.
//
// Experiments come from the `GET experiences-list` pages (in list order across pages) and
// `GET experiences/{id}` details (a detail replaces the list entry; detail-only experiences
// follow the listed ones): id, name, status, source "intelligems", startedAtTs/endedAtTs (or
// startedAt/endedAt) as Unix ms numbers or ISO 8601 strings, variations ordered by `order`
// with `percentage` as allocation, and the detail's primary key metric under its analytics
// name (netRevenuePerVisitor -> net_revenue_per_visitor, profitPerVisitor ->
// gross_profit_per_visitor). An analytics response for an experience in neither is accepted
// when it carries its own `variations`; that experiment, named by `experienceName`, follows
// the others.
//
// Cells come from `analytics/resource/{id}` (POST body or deprecated GET query):
//   view overview, no window           -> slice overall/All
//   view overview, one-day window      -> slice day/YYYY-MM-DD
//   view audience (dimension D)        -> one slice D/label per segment label
//   view audience, one-day window      -> slices D/label on that date
// and from `analytics/experience/{id}/timeseries` with day granularity, non-cumulative: one
// day slice per `dt`, unless a day window gives that day. A window is one day when
// endTs - startTs (+ 1) is 23, 24 or 25 hours; the day is the local date its request carries
// (`request.day`, which `reckon fetch` stores with the zone it cut the window in), or for
// windows stored without one the UTC date of its midpoint (right for any zone within 11 hours
// of UTC). Post-test views, views with filters, other windows, other timeseries and every
// other endpoint give no cells (`on_skip`).
//
// Each metrics row gives an arm: counts from n_visitors, n_orders (conversions), net_revenue
// (revenue) and gross_profit (profit, when not null); `totals` holds every other metric that
// is a bare {value} number in every row of its response; `reported` every metric of the row,
// counts included, in the row's order (null members absent; a metric null as a whole or
// without any number is `whole_null`). Timeseries rows report `value` only, `aov` renamed
// net_revenue_per_order; a null count there reads as 0. Arms follow the experiment's
// variations; a cell's origin is its response's.
//
// Slices of an experiment: overall, the audience dimensions (device_type, visitor_type,
// source_channel, source_site, country_code, landing_page_full_path, then any other in name
// order; labels in `audienceOrder`, then first appearance), the days ascending, then segments
// on days by date and dimension.
//
// Every violation is a bad_input error whose `where` is "<origin>: <JSON path>" (or the
// origin alone) and whose message says what is wrong: malformed JSON, wrong types, missing
// variation_id or counts, negative or fractional counts, orders above visitors, a
// variation_id not of the experiment, two rows for one variation in a slice, an overview or
// day window without a row for some variation, an experience without exactly one control,
// an unlisted experience whose response names no variations, times outside 2000-2100.
// (An audience segment or timeseries day missing a variation is left out instead: small
// segments can lack an arm's row.) Unknown fields are ignored. Thread-safe: no shared state.
util::Result<model::Dataset> parse_intelligems(std::span<const contract::ApiExchange> exchanges,
                                               const IntelligemsParseOptions& options = {});

} // namespace reckon::parse
