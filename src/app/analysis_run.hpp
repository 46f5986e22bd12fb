#pragma once

#include "settings.hpp"

#include "reckon/analysis/results.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/report/results_output.hpp"
#include "reckon/util/file.hpp"
#include "reckon/util/result.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::app {

// Re-analyses the dataset with the settings' options on the settings' threads.
analysis::Results analyze_dataset(const model::Dataset& dataset, const AnalysisSettings& settings);

// A usage error on --metric when no experiment of `source_name` could answer a metric it names,
// with the reason the analysis gave ("the data have no revenue column").
util::Result<void> refuse_unanswered_metrics(const analysis::Results& results,
                                             const AnalysisSettings& settings,
                                             const std::string& source_name);
// The same from every experiment's metric coverage, all experiments in a row.
util::Result<void> refuse_unanswered_metrics(const std::vector<analysis::MetricCoverage>& coverage,
                                             const AnalysisSettings& settings,
                                             const std::string& source_name);

// The run facts recorded in the output (version, threads actually used).
report::RunInfo run_info(const AnalysisSettings& settings);

// Writes a command's output to the settings' file (util::write_file_atomically) or to stdout.
util::Result<void> write_output(const std::string& text, const AnalysisSettings& settings,
                                const Console& console);
// The same for output made piece by piece (util::ContentProducer), never whole in memory.
util::Result<void> write_output(const util::ContentProducer& produce,
                                const AnalysisSettings& settings, const Console& console);

// Writes `text` to stdout and flushes it; an io error naming stdout when any of it failed (a
// full disk, /dev/full, a closed descriptor), so that lost output never exits 0.
util::Result<void> write_stdout(const Console& console, std::string_view text);

// Flushes stdout; an io error naming it when this or an earlier write failed, with the reason
// errno gives (the caller clears errno before writing).
util::Result<void> flush_stdout(std::ostream& out);

// A file a command reads or writes, with the option that names it.
struct NamedFile {
  std::string option;
  std::filesystem::path path;
};

// The file an analysing command reads: its counts CSV, else its store.
NamedFile analysis_input(const AnalysisSettings& settings);

// A usage error naming both when an output is the same file (through links) as an input or
// as an earlier output: writing it would destroy what the command reads or lose one output.
util::Result<void> refuse_outputs_over_inputs(const std::vector<NamedFile>& outputs,
                                              std::vector<NamedFile> inputs);

} // namespace reckon::app
