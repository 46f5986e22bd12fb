#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/util/result.hpp"

#include <filesystem>
#include <vector>

namespace reckon::parse {

// Reads a folder of saved API responses, as `reckon simulate` writes them (data/README.md):
// `dir/manifest.json` (schema "reckon.simulated-responses/v1") lists every response file with
// the request it answers, and each listed file holds the body exactly as the API sent it.
//
// One exchange per listed response, in manifest order: the request is {source, method, path,
// query (an object of strings, kept in its order), body (a string, or null for none)}; status
// and body as given; origin is the file's path; fetched_at_ms is the entry's own
// `fetched_at_ms` (as `reckon export` writes it) or else the manifest's `as_of` (an ISO 8601
// time such as "2026-09-29T06:00:00Z") in Unix milliseconds. A day window's entry may carry
// `local_date` (YYYY-MM-DD) and `time_zone` (the zone's name as `fetch --tz` took it), both or
// neither: they become the request's `day`; without them (older folders) it is unknown.
//
// A malformed manifest is a bad_input error whose `where` is "<dir>/manifest.json:$.json.path".
// A listed file must be a relative path inside `dir` (no "..", nothing absolute): a manifest
// never reaches outside its folder. An unreadable manifest or listed file is an io error
// naming that file.
util::Result<std::vector<contract::ApiExchange>>
read_saved_responses(const std::filesystem::path& dir);

} // namespace reckon::parse
