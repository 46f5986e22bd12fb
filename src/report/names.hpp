#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/model/experiment.hpp"

#include <span>
#include <string>
#include <string_view>

namespace reckon::report::detail {

// The name of a variation by id; the id when it has no name.
std::string variation_name(std::span<const model::Variation> variations, std::string_view id);

// "overall", "segment", "day" or "segment_day": which kind of slice a cell describes.
std::string_view slice_kind(const model::Slice& slice);

// The verdict of a variation in its test (on the primary metric, overall); nullptr for the
// control or a test without a verdict.
const analysis::VariationVerdict* verdict_of(const analysis::ExperimentResult& experiment,
                                             std::string_view variation_id);

} // namespace reckon::report::detail
