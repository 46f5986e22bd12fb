#pragma once

#include "json_reader.hpp"

#include "reckon/contract/api_exchange.hpp"
#include "reckon/model/experiment.hpp"

#include <optional>
#include <string>

namespace reckon::parse::detail {

// What a stored platform request asked for, read from its path and query.
struct PlatformRequest {
  enum class Kind { list, experiment, results, other };
  Kind kind = Kind::other;
  std::string experiment_id; // experiment and results
  std::uint64_t page = 1;    // list
  std::string status;        // list: its status filter, empty for all
};
PlatformRequest classify_platform_request(const contract::ApiRequest& request);

// One experiment object of a list page or of `GET /experiments/{id}`'s `data`.
std::optional<model::Experiment>
read_platform_experiment(JsonReader& r, simdjson::dom::element value, const JsonPath& path);

// The overall cell of a results answer's `data`, for `experiment`, to whose source notes
// it adds how the counts were rebuilt.
std::optional<model::CountsCell> read_platform_results(JsonReader& r, simdjson::dom::element value,
                                                       const JsonPath& path,
                                                       model::Experiment& experiment);

} // namespace reckon::parse::detail
