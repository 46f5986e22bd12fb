#pragma once

#include "reckon/contract/api_exchange.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

// The layout of a folder of saved responses: what `reckon simulate` and `reckon export` write
// and `reckon import` reads. Each response body is a file of its own; manifest.json names the
// request behind each file:
//   {"schema": k_manifest_schema, "as_of": "2026-09-29T06:00:00Z" | null,
//    "responses": [{"file", "source", "status", "method", "path", "query": {..}, "body",
//                   "fetched_at_ms"?, "local_date"?, "time_zone"?}]}
// A day window's entry carries its request's day (ApiRequest::day) as local_date and time_zone,
// both or neither; folders written before Reckon kept it have neither.
namespace reckon::contract {

inline constexpr std::string_view k_manifest_file = "manifest.json";
inline constexpr std::string_view k_manifest_schema = "reckon.simulated-responses/v1";

struct ManifestEntry {
  std::string file; // relative to the folder, with '/' separators
  const ApiRequest* request = nullptr;
  int status = 200;
  // When the response was fetched; absent for simulated responses, which are all as of `as_of`.
  std::optional<std::int64_t> fetched_at_ms;
};

// The manifest's text. `as_of_ms` is when the folder's responses were taken (null when
// unknown, as for an empty export).
std::string render_manifest(std::optional<std::int64_t> as_of_ms,
                            std::span<const ManifestEntry> entries);

} // namespace reckon::contract
