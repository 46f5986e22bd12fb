#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// What Reckon knows of the bandit experimentation API (seed 004), in one place: fetch's plan,
// parse, the simulator and the test server take its paths and facts from here. Every response
// is the envelope {"success", "data", "error", "timestamp"}; paths have no version prefix.
namespace reckon::contract::bandit {

// The source name in the store, the manifest and the results.
inline constexpr std::string_view k_source = "bandit";
// The key goes in `Authorization: Bearer <key>`, or in this header when asked.
inline constexpr std::string_view k_api_key_header = "x-api-key";

// GET, every experiment of the account with its treatments.
std::string experiments_path();
// GET, one experiment with its treatments.
std::string experiment_path(std::string_view experiment_id);
// GET, an experiment's raw events, paged by `limit` and `offset`.
std::string events_path(std::string_view experiment_id);
// GET, the account's funnels.
std::string funnels_path();

// The page size Reckon asks for. The seed documents 1,000 as the batch maximum for writes and
// no maximum for reads, so a server may return fewer: a reader advances `offset` by what came
// back and stops at the first empty page.
inline constexpr std::uint64_t k_events_limit = 1000;

// True for every request that changes what Reckon analyses: creating assignments (POST
// /assignments and GET /assignments/...), writing events, refreshing the algorithm, generating
// variants, and any method but GET. A re-analysis must never send one.
bool has_side_effects(std::string_view method, std::string_view path);

// The analysis statuses of the API's experiment statuses (any case): ACTIVE "started",
// COMPLETED and ARCHIVED "ended", PAUSED "paused", DRAFT "pending"; empty for any other.
std::string_view analysis_status(std::string_view api_status);

} // namespace reckon::contract::bandit
