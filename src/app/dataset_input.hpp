#pragma once

#include "settings.hpp"

#include "reckon/model/experiment.hpp"
#include "reckon/util/result.hpp"

#include <string>

namespace reckon::app {

// The data an analysing command works on, and a name for it in messages.
struct LoadedDataset {
  model::Dataset dataset;
  std::string source_name; // "demo.db", "counts.csv"
};

// Reads the input the settings name: a counts CSV, or a store (every Intelligems response and
// every imported counts CSV in it, newest version of each), keeping only the experiments
// asked for. Naming an absent experiment is a usage error.
util::Result<LoadedDataset> load_dataset(const AnalysisSettings& settings);

// The same for a counts CSV held in memory (the embedded demo account).
util::Result<LoadedDataset> load_counts_text(std::string_view csv, const std::string& name,
                                             const AnalysisSettings& settings);

} // namespace reckon::app
