#pragma once

#include "settings.hpp"

#include "reckon/analysis/results.hpp"
#include "reckon/analysis/segments.hpp"
#include "reckon/analysis/temporal.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/report/report_inputs.hpp"
#include "reckon/util/atomic_folder.hpp"

#include <vector>

namespace reckon::app {

// The segment settings that follow from the analysis settings (`reckon segments` and the
// report read segments alike).
analysis::SegmentOptions segment_options(const AnalysisSettings& settings);

// Every analysis a report folder shows, on the settings' threads.
struct ReportAnalyses {
  analysis::Results results;
  analysis::SegmentsReport segments;
  analysis::TemporalResults temporal;
};
ReportAnalyses analyse_for_report(const model::Dataset& dataset, const AnalysisSettings& settings);

// The inputs of the report's files, borrowing `analyses` (which must outlive them).
report::ReportInputs report_inputs(const ReportAnalyses& analyses);

// report.md, cells.csv and results.sqlite of `inputs`, as files of a report folder (borrowing
// `inputs`, which must outlive them).
std::vector<util::FolderFile> report_files(const report::ReportInputs& inputs);

} // namespace reckon::app
