#pragma once

#include "settings.hpp"

#include "reckon/analysis/results.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/report/results_output.hpp"
#include "reckon/util/result.hpp"

#include <string>

namespace reckon::app {

// Re-analyses the dataset with the settings' options on the settings' threads.
analysis::Results analyze_dataset(const model::Dataset& dataset, const AnalysisSettings& settings);

// The run facts recorded in the output (version, threads actually used).
report::RunInfo run_info(const AnalysisSettings& settings);

// Writes a command's output to the settings' file (atomically) or to stdout.
util::Result<void> write_output(const std::string& text, const AnalysisSettings& settings,
                                const Console& console);

} // namespace reckon::app
