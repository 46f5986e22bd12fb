#pragma once

#include "reckon/analysis/results.hpp"

#include <string>

namespace reckon::report::detail {

// How a run's numbers were computed, for a report's first lines: exact where the arms allow it
// (unless --monte-carlo), and how many draws answer the rest.
std::string method_summary(const analysis::AnalysisOptions& options);

} // namespace reckon::report::detail
