#pragma once

#include "json_reader.hpp"

#include "reckon/contract/api_exchange.hpp"
#include "reckon/util/result.hpp"

#include <cstdint>
#include <string>

namespace reckon::parse::detail {

// Which slices an analytics resource response describes.
struct SliceGroup {
  enum class Kind { overall, audience, day, audience_day };
  Kind kind = Kind::overall;
  std::string dimension; // the audience kinds
  std::string date;      // the day kinds, YYYY-MM-DD
};

// What one Intelligems request asked for, read from its method, path, query and body alone,
// so that the newest exchange of each thing can be chosen before any response is parsed.
struct IntelligemsRequest {
  enum class Kind { experiences_list, experience, resource, timeseries, skipped };
  Kind kind = Kind::skipped;
  std::string experience_id; // experience, resource, timeseries
  SliceGroup group;          // resource
  std::int64_t page = 1;     // experiences_list, as asked; the response may say otherwise
  std::int64_t limit = 20;
  std::string reason; // skipped: why no cells come from it
  // Two exchanges with the same key give the same thing; the newer one wins.
  std::string key;
};

// Classifies an Intelligems request. A one-day window is dated by the local date its request
// carries (ApiRequest::day), or, for windows stored without one, by its midpoint in UTC. A
// request whose parameters are malformed (a body that is not JSON, a window bound that is not
// Unix seconds, a carried date that is not YYYY-MM-DD) is a bad_input error naming the origin.
util::Result<IntelligemsRequest> classify_intelligems_request(const contract::ApiExchange& exchange,
                                                              JsonDocuments& documents);

// What a classified request asked for, in words, for messages: "experience list page 2",
// "details", "overview", "audience view by device_type", "overview of day 2026-09-25 (UTC)",
// "daily timeseries".
std::string describe_intelligems_request(const IntelligemsRequest& request,
                                         const contract::ApiRequest& asked);

} // namespace reckon::parse::detail
