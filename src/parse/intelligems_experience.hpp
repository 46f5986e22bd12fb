#pragma once

#include "json_reader.hpp"

#include "reckon/model/experiment.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::parse::detail {

// Reads one experience (an experiencesList item, or a detail's `experience`) into an
// experiment without cells: id, name, status, start and end, variations, primary metric.
std::optional<model::Experiment> read_experience(JsonReader& r, simdjson::dom::element value,
                                                 const JsonPath& path);

// Reads a `variations` array, of an experience or of an analytics response, ordered by each
// one's `order` (list position when absent): ids distinct, exactly one control, allocation
// from `percentage` when given.
std::vector<model::Variation> read_variations(JsonReader& r, simdjson::dom::element value,
                                              const JsonPath& path);

// The analytics name of a key metric's camelCase standardEventId: netRevenuePerVisitor ->
// net_revenue_per_visitor; the analytics spell profit "gross_profit" (profitPerVisitor ->
// gross_profit_per_visitor).
std::string analytics_metric_name(std::string_view standard_event_id);

} // namespace reckon::parse::detail
