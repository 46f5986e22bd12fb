#pragma once

#include "settings.hpp"

#include "reckon/util/result.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace reckon::app {

// `reckon analyze`: re-analyse a counts CSV and write the results in the chosen format.
util::Result<void> run_analyze(const AnalysisSettings& settings, const Console& console);

// `reckon demo`: analyse the embedded demo account and write a report folder.
util::Result<void> run_demo(AnalysisSettings settings, const std::string& out_dir,
                            const Console& console);

// Options of `reckon simulate`.
struct SimulateSettings {
  std::string scenario_path;
  std::string out_dir;
  std::optional<std::uint64_t> seed; // the scenario's own seed when absent
  std::size_t threads = 0;           // 0: every core
};

// `reckon simulate`: simulate the scenario's store and write every source's responses, the
// counts CSV and the truth into the output folder.
util::Result<void> run_simulate(const SimulateSettings& settings, const Console& console);

} // namespace reckon::app
