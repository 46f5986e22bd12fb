#pragma once

#include "settings.hpp"

#include "reckon/util/result.hpp"

#include <string>

namespace reckon::app {

// `reckon analyze`: re-analyse a counts CSV and write the results in the chosen format.
util::Result<void> run_analyze(const AnalysisSettings& settings, const Console& console);

// `reckon demo`: analyse the embedded demo account and write a report folder.
util::Result<void> run_demo(AnalysisSettings settings, const std::string& out_dir,
                            const Console& console);

} // namespace reckon::app
