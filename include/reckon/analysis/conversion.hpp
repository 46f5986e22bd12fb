#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/model/experiment.hpp"

namespace reckon::analysis {

// The metric name under which conversion (orders over visitors) is reported.
inline constexpr const char* k_conversion_rate = "conversion_rate";

// Re-analyses conversion for every experiment x slice x variation of a validated dataset:
// a Beta-Binomial posterior per arm, compared by Monte Carlo. Cells run in parallel; each
// cell's random stream is keyed by its experiment, slice and metric, so the results depend
// only on the data and the options, never on the thread count or the order of cells.
Results analyze_conversion(const model::Dataset& dataset, const AnalysisOptions& options);

} // namespace reckon::analysis
