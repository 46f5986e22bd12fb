#pragma once

#include <array>
#include <string>
#include <string_view>

// What Reckon knows of the experimentation platform API (seed 003, `/api/v1`), in one place:
// the simulator, parse, fetch's plan and the test server take its paths and facts from here.
namespace reckon::contract::platform {

// The source name in the store, the manifest and the results.
inline constexpr std::string_view k_source = "platform";
inline constexpr std::string_view k_prefix = "/api/v1";

// GET, paged by `page` and `limit` (at most k_max_limit), filtered by `status`; the answer's
// `meta` {total, page, limit, pages} says how it was cut.
std::string experiments_list_path();
// GET, one experiment with its variants and metrics.
std::string experiment_path(std::string_view experiment_id);
// GET, the experiment's results: sample_size per variant name and per metric the variants'
// value and confidence_interval, with improvement, confidence and is_significant.
std::string results_path(std::string_view experiment_id);

inline constexpr int k_max_limit = 100;
inline constexpr std::array<std::string_view, 5> k_statuses{"DRAFT", "ACTIVE", "PAUSED",
                                                            "COMPLETED", "ARCHIVED"};

// The platform writes rates ("conversion_rate", any metric named *_rate), their intervals,
// every improvement and every confidence as percentages.
bool is_percentage_metric(std::string_view metric);

} // namespace reckon::contract::platform
