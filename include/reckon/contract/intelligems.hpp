#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

// What Reckon knows of the Intelligems External API, in one place: every layer that speaks it
// (fetch's request plans, parse, the simulator, the test servers) takes its paths and facts
// from here, so a new API version touches this header alone. Source: the seeds and
// ../shared/research/intelligems-api.md (the 2026-08 spec and the deprecated early-2026 forms).
namespace reckon::contract::intelligems {

// The source name in the store, the manifest and the results.
inline constexpr std::string_view k_source = "intelligems";
// Every path starts with the API version.
inline constexpr std::string_view k_prefix = "/v25-10-beta";
// The header that carries the API key.
inline constexpr std::string_view k_key_header = "intelligems-access-token";

// GET, paged by `page` and `limit`, filtered by `status`.
std::string experiences_list_path();
// GET, one experience's details.
std::string experience_path(std::string_view experience_id);
// POST (GET in the deprecated form), the analytics of one experience: overview, audience
// views, and any window given by startTs/endTs.
std::string analytics_resource_path(std::string_view experience_id);
// POST, the experience's daily counts.
std::string timeseries_path(std::string_view experience_id);
// POST, the deprecated flat sitewide analytics of early 2026.
std::string legacy_sitewide_path();
// POST, one of the sitewide endpoints of the 2026-08 spec.
std::string sitewide_path(std::string_view endpoint);
inline constexpr std::array<std::string_view, 4> k_sitewide_endpoints{
    "snapshot", "timeseries", "order-distribution", "conversion-funnel"};

// The audience dimensions of the analytics views, in Reckon's canonical order.
inline constexpr std::array<std::string_view, 6> k_dimensions{
    "device_type", "visitor_type", "source_channel",
    "source_site", "country_code", "landing_page_full_path"};
// The API keeps only the top `k_default_segments` segments by visitors of these two
// dimensions unless the request names a `topN`, at most `k_max_top_n`.
bool is_capped(std::string_view dimension);
inline constexpr int k_default_segments = 10;
inline constexpr int k_max_top_n = 1000;

// Timestamps in responses: ISO 8601 in UTC with milliseconds, 2026-09-01T00:00:00.000Z.
std::string timestamp_text(std::int64_t unix_ms);

} // namespace reckon::contract::intelligems
