#pragma once

#include "intelligems_request.hpp"
#include "json_reader.hpp"

#include "reckon/contract/api_exchange.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/util/result.hpp"

#include <functional>
#include <string_view>
#include <vector>

namespace reckon::parse::detail {

// Told about a response, or a slice of one, that gives no cell, and why.
using SkipNote = std::function<void(std::string_view origin, std::string_view reason)>;

// The experiment an analytics response describes when no list or detail did: its own
// `variations` (an error when it has none) and `experienceName`.
util::Result<model::Experiment> experiment_from_analytics(const contract::ApiExchange& exchange,
                                                          simdjson::dom::element root,
                                                          const std::string& experience_id);

// The cells of an analytics resource response (`root`, parsed from `exchange.body`) that
// describes `group` of an experiment with these variations: one for an overview or a day
// window, one per segment label for an audience view (labels in `audienceOrder`, then first
// appearance; a label missing some variation's row is left out with a note).
util::Result<std::vector<model::CountsCell>>
read_resource_cells(const contract::ApiExchange& exchange, simdjson::dom::element root,
                    const SliceGroup& group, const std::vector<model::Variation>& variations,
                    const SkipNote& note);

// The day cells of a daily, non-cumulative timeseries response, dates ascending; none (with a
// note) when the response says it is another kind or its rows lack the counts.
util::Result<std::vector<model::CountsCell>>
read_timeseries_cells(const contract::ApiExchange& exchange, simdjson::dom::element root,
                      const std::vector<model::Variation>& variations, const SkipNote& note);

} // namespace reckon::parse::detail
