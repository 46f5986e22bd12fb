#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/report/results_output.hpp"
#include "reckon/util/json_writer.hpp"

namespace reckon::report::detail {

// Pieces of `reckon.results/v1` that other documents (`reckon.temporal/v1`, `reckon.segments/v1`)
// reuse, so that a cell reads the same wherever it appears.

// The "engine" member: version, draws, seed, threads, level, prior and verdict rule.
void write_engine_json(util::JsonWriter& json, const analysis::AnalysisOptions& options,
                       const RunInfo& run);

// One cell as an object: its slice, counts, statistics, Monte Carlo errors, model,
// assumptions, and what the source reported with its drift.
void write_cell_json(util::JsonWriter& json, const analysis::CellResult& cell);

// The "days" member {from, to} of a run cut with --from/--to; nothing when it was not.
void write_day_range_json(util::JsonWriter& json, const RunInfo& run);

// An array of {variation_id, verdict, reason}.
void write_variation_verdicts_json(util::JsonWriter& json,
                                   const std::vector<analysis::VariationVerdict>& verdicts);

// The "verdict" member: the primary metric, why it, and each variation's verdict and reason
// (null when the test has none).
void write_verdict_json(util::JsonWriter& json,
                        const std::optional<analysis::TestVerdict>& verdict);

} // namespace reckon::report::detail
