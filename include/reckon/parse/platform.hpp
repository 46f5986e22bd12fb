#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/parse/intelligems.hpp"
#include "reckon/util/result.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace reckon::parse {

struct PlatformParseOptions {
  // When set, a response that cannot be read is told here and left out whole, and the parse
  // goes on with the others; when empty, the first one is the parse's error.
  std::function<void(UnreadableResponse unreadable)> on_unreadable;
};

// Turns stored experimentation platform responses (seed 003, contract/platform.hpp) into the
// plain model. Exchanges from other sources and with a status other than 200 are ignored; of
// several answers to one request the most recently fetched wins, a tie going to the later one.
//
// Experiments come from the `GET /experiments` pages (by page, in list order) and each
// `GET /experiments/{id}` (which replaces the list entry; detail-only experiments follow):
// id, name, status (ACTIVE -> started, PAUSED -> paused, COMPLETED -> ended, DRAFT -> pending,
// ARCHIVED -> archived), start_date, and end_date when COMPLETED, variants with their
// allocation. The control is the variant named "control" (any case), else the first.
//
// `GET /experiments/{id}/results` gives one overall cell: each variant's visitors from
// `sample_size` (keyed by variant name); conversions = round(conversion_rate x visitors / 100)
// from the reported percentage, which a source note states with the uncertainty its rounding
// leaves; revenue is unknown (`revenue_known` false). Every metric is reported on every arm
// (percentage metrics, contract::platform::is_percentage_metric, as shares: 2.8 -> 0.028), and
// in a two-variant test the variant's report carries `improvement` as the uplift and
// `confidence` (as a share) and `is_significant`. An experiment without results (a draft) has
// no cells.
//
// Every violation is a bad_input error whose `where` is "<origin>: <JSON path>": malformed
// JSON, wrong types, a missing id, status or sample size, a rate outside [0, 100], results
// naming no known experiment or variant.
util::Result<model::Dataset> parse_platform(std::span<const contract::ApiExchange> exchanges,
                                            const PlatformParseOptions& options = {});

// A list page's `meta` {total, page, limit, pages}: each member absent when the page does not
// give it; a bad_input error at "<origin>: meta.<member>" when one is not a whole number.
struct PlatformPageMeta {
  std::optional<std::uint64_t> page;
  std::optional<std::uint64_t> limit;
  std::optional<std::uint64_t> pages;
  std::optional<std::uint64_t> total;
};
util::Result<PlatformPageMeta> read_platform_meta(std::string_view body, const std::string& origin);

// Whether a 200 answer from the platform to `request` may be stored, before it is: a list
// page with `data` experiments and `meta`, an experiment, or results of the shapes above.
util::Result<void> check_platform_response(const contract::ApiRequest& request,
                                           std::string_view body, const std::string& origin);

} // namespace reckon::parse
