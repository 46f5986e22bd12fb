#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/contract/intelligems.hpp"
#include "reckon/util/calendar.hpp"
#include "reckon/util/time_zone.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::fetch {

// The Intelligems External API's two generations (research note §1): `current` posts analytics
// requests and reads the four sitewide endpoints of the 2026-08 spec; `legacy` uses the
// deprecated GET analytics form and the single flat sitewide endpoint of early 2026.
enum class ApiGeneration { current, legacy };

// A request to make, and when its answer stops changing: a stored answer fetched at or after
// `settled_at_ms` is final and is never fetched again. Lists, details and whatever describes a
// running test never settle.
struct PlannedRequest {
  contract::ApiRequest request;
  std::string label; // for progress and messages: "overview", "audience device_type", ...
  std::optional<std::int64_t> settled_at_ms;
};

// What the plan needs to know of one experience (from its list entry or details).
struct ExperienceTimes {
  std::string id;
  std::optional<std::int64_t> started_at_ms;
  std::optional<std::int64_t> ended_at_ms;
};

struct PlanSettings {
  ApiGeneration generation = ApiGeneration::current;
  std::vector<std::string> dimensions{contract::intelligems::k_dimensions.begin(),
                                      contract::intelligems::k_dimensions.end()};
  bool days = false; // one analytics window per day of the test
  // With `days`, also the audience view of each day window by these dimensions: one request
  // per day and dimension, so none unless asked.
  std::vector<std::string> day_dimensions;
  std::optional<util::Date> from; // bounds of the day windows, inclusive
  std::optional<util::Date> to;
  int sitewide_days = 14; // the sitewide window: this many days up to `to` (or yesterday)
  util::TimeZone zone = util::TimeZone::utc();
  std::int64_t now_ms = 0;
  // How long the vendor takes to finish processing a day (research note: about two hours).
  std::int64_t processing_lag_ms = 2 * 3'600'000;
};

contract::ApiRequest experiences_list_request(int page, int limit, const std::string& status);
contract::ApiRequest experience_request(const std::string& id);

// The analytics of one experience: overview, one audience view per dimension, the daily
// timeseries, and with `days` one overview window per local day from its start to its end (or
// today), cut in the settings' time zone and annotated with its local date and the zone's name,
// each followed by that day's audience views by the `day_dimensions`.
std::vector<PlannedRequest> plan_experience(const ExperienceTimes& experience,
                                            const PlanSettings& settings);

// The store-wide analytics over the sitewide window.
std::vector<PlannedRequest> plan_sitewide(const PlanSettings& settings);

} // namespace reckon::fetch
