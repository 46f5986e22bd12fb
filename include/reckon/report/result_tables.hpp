#pragma once

#include "reckon/report/report_inputs.hpp"
#include "reckon/util/table.hpp"

#include <vector>

namespace reckon::report {

// The report folder's results.sqlite as typed tables, for BI tools (store::write_table_database
// writes them):
//   experiments (id)                  name, status, source, runtime, primary metric, SRM, health
//   variations (experiment_id, variation_id)  name, control flag, allocation
//   verdicts (experiment_id, variation_id)    the primary metric, the verdict and why
//   cells (experiment_id, segment_type, segment, date, metric, variation_id)
//                                     every cell's counts and numbers, the vendor's, drift
//   segments (experiment_id, dimension, segment, variation_id, metric)
//                                     raw and pooled segment calls, when segments ran
// Absent numbers are NULL; flags are 0 or 1; dates are text, YYYY-MM-DD ("" when none).
std::vector<util::Table> result_tables(const ReportInputs& inputs);

} // namespace reckon::report
