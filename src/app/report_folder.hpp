#pragma once

#include "dataset_input.hpp"
#include "report_files.hpp"
#include "settings.hpp"

#include "reckon/analysis/check.hpp"
#include "reckon/analysis/health.hpp"
#include "reckon/util/atomic_folder.hpp"
#include "reckon/util/result.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace reckon::app {

// What a written report folder found, for a command to summarise.
struct WrittenReport {
  ReportAnalyses analyses;
  analysis::CheckReport check; // the vendor's numbers against the recomputed ones
  analysis::HealthReport health;
  std::filesystem::path index; // absolute path of index.html
};

// Analyses `input` (with the check's drift marks where the source reported numbers, the
// segments, the days and each test's health as `reckon health` judges it by default) and
// writes the report folder `out_dir` at once: index.html, results.json, report.md, cells.csv
// and results.sqlite, then `extra` (files a command adds beside them). A folder holding files
// it did not write is refused (a usage error).
util::Result<WrittenReport> write_report_folder(const LoadedDataset& input,
                                                const AnalysisSettings& settings,
                                                const std::string& out_dir,
                                                std::vector<util::FolderFile> extra = {});

} // namespace reckon::app
