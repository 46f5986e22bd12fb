#pragma once

#include "reckon/analysis/segments.hpp"
#include "reckon/report/results_output.hpp"

#include <string>

namespace reckon::report {

// Which segments the table lists: those worth reading (winners and losers, raw or pooled,
// contradictions and segments off their allocation), or every one (-v, --all).
enum class SegmentScope { worth_reading, every_segment };

// For people, 100 columns wide: per experiment a heading with the overall verdict, the
// segments in scope, then the chance count, the Simpson check, SRM, opportunity and the
// rollout call.
std::string render_segments_table(const analysis::SegmentsReport& report, SegmentScope scope);

// The `reckon.segments/v1` document (README, "Segments").
std::string render_segments_json(const analysis::SegmentsReport& report, const RunInfo& run);

// One row per segment x variation x metric, nulls as empty fields, round-trip digits.
std::string render_segments_csv(const analysis::SegmentsReport& report);

} // namespace reckon::report
