#pragma once

#include "reckon/analysis/segments.hpp"

#include <string>

namespace reckon::report::detail {

// The sample-ratio test of a segment; nullptr when the segment has none.
const stats::SampleRatioTest* segment_srm(const analysis::ExperimentSegments& experiment,
                                          const std::string& dimension, const std::string& segment);

// Whether the whole test is off its allocation.
bool whole_test_off(const analysis::ExperimentSegments& experiment);

// A segment off its allocation while the whole test is on it: when the whole test is off,
// every segment inherits that, and listing them says nothing more.
bool segment_srm_flagged(const analysis::ExperimentSegments& experiment,
                         const analysis::SegmentRow& row);

} // namespace reckon::report::detail
