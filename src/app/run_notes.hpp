#pragma once

#include "dataset_input.hpp"
#include "settings.hpp"

#include <chrono>
#include <string>

namespace reckon::app {

// Time per stage for -v: each lap() is the time since the previous one (or the start), as
// format_duration writes it ("0.4 s").
class Stopwatch {
public:
  std::string lap();

private:
  std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

// -v: what was read ("read counts.csv: 2 experiments, 5 variations, 40 rows (0.1 s)").
void note_input(const LoadedDataset& input, const std::string& took, const Console& console);

// The size of an input as note_input tells it.
struct InputSize {
  std::size_t experiments = 0;
  std::size_t variations = 0;
  std::uint64_t rows = 0; // one per variation of each slice, as a counts CSV has them
  void add(const model::Experiment& experiment);
};
void note_input(const std::string& source_name, const InputSize& size, const std::string& took,
                const Console& console);

// -v: the options in effect (draws, seed, threads, level, prior, metrics, models).
void note_options(const AnalysisSettings& settings, const Console& console);

} // namespace reckon::app
