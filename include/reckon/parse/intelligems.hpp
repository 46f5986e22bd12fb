#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/util/result.hpp"

#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace reckon::parse {

// A stored response that could not be read: the experience it concerns (empty for a list
// page, or when its request could not be read either), what it asked for in words
// ("overview of day 2026-09-25 (UTC)"), and why it could not be read.
struct UnreadableResponse {
  std::string experience_id;
  std::string request;
  util::Error error;
};

struct IntelligemsParseOptions {
  // Told about every Intelligems response (status 200) that gives no cells, and every slice
  // left out, with the response's origin and the reason: post-test and filtered views,
  // windows that are not one day or without rows, cumulative or non-daily timeseries,
  // sitewide analytics, segments or days missing a variation. Diagnostics only; may be empty.
  std::function<void(std::string_view origin, std::string_view reason)> on_skip;
  // When set, a response that cannot be read is told here and left out whole, and the parse
  // goes on with the others; when empty, the first one is the parse's error.
  std::function<void(UnreadableResponse unreadable)> on_unreadable;
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
// day window with rows but none for some variation, an experience without exactly one control,
// an unlisted experience whose response names no variations, times outside 2000-2100.
// (An audience segment or timeseries day missing a variation is left out instead: small
// segments can lack an arm's row; and a window with no rows at all, `"metrics": []`, is a
// window without data, which gives no cell.) Unknown fields are ignored. Thread-safe: no
// shared state.
util::Result<model::Dataset> parse_intelligems(std::span<const contract::ApiExchange> exchanges,
                                               const IntelligemsParseOptions& options = {});

// Whether a 200 answer from Intelligems to `request` may be stored, before it is: its body is
// JSON of the shape the request asks for (a list page whose experiencesList items are
// experiences, an experience's details, an analytics view with a `metrics` array, a
// timeseries object; any JSON for the endpoints analysis skips). Whether an analytics view's
// rows fit the experiment's variations is seen when the store is analysed. A bad_input error
// at "<origin>: <JSON path>" otherwise; text that is not JSON is located by line, column and
// byte.
util::Result<void> check_intelligems_response(const contract::ApiRequest& request,
                                              std::string_view body, const std::string& origin);

} // namespace reckon::parse
