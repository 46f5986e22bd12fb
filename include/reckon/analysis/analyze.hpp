#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/model/experiment.hpp"

namespace reckon::analysis {

// Re-analyses every experiment x slice x metric x variation of a validated dataset. Cells run
// in parallel; each cell's random stream is keyed by its experiment, slice and metric, so the
// results depend only on the data and the options, never on the thread count or on what else
// is analysed. Metrics the data cannot support (no revenue_sq for order values, say) are
// still reported, with null statistics and the reason in `assumptions`.
Results analyze_counts(const model::Dataset& dataset, const AnalysisOptions& options);

// The `metrics` analyze_counts gives `experiment`: which it re-analyses, and why not the
// others; known before any cell is computed.
std::vector<MetricCoverage> metric_coverage(const model::Experiment& experiment,
                                            const AnalysisOptions& options);

} // namespace reckon::analysis
