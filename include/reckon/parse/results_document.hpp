#pragma once

#include "reckon/model/reported_figure.hpp"
#include "reckon/util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace reckon::parse {

// Reads back every cell's `reported` object from a results document that `reckon check` kept
// in the store. Errors name `origin` and the JSON path.
util::Result<std::vector<model::ReportedFigure>> read_reported_figures(std::string_view document,
                                                                       std::string_view origin);

} // namespace reckon::parse
