#pragma once

#include "reckon/analysis/segments.hpp"
#include "reckon/analysis/temporal.hpp"
#include "reckon/util/json_writer.hpp"

#include <string>
#include <string_view>
#include <vector>

// The report's charts as Vega-Lite v5 specifications (issue 14): each a self-contained JSON
// document with its data inline, for vega-embed to draw. No chart is drawn by hand, so these
// functions only choose marks, encodings and rows. An experiment with nothing to draw gives an
// empty string, and the page leaves the chart out.
namespace reckon::report::charts {

// Segment uplifts on the primary metric (the first of `metrics`), faceted by variation: per
// `dimension: segment` the raw estimate and the partially pooled one, each with its interval
// (colour and vertical offset tell them apart), the verdict as the point's shape (winners and
// losers stand out), a rule at 0 and a dashed rule at the variation's overall uplift. Two data
// rows per segment and variation.
std::string segment_forest(const analysis::ExperimentSegments& segments);

// The daily uplift of each variation on the timeline's metric with its interval band, the
// weekend days shaded (a rect from each Saturday and Sunday to the next day) and a rule at 0.
std::string daily_uplift(const analysis::ExperimentTimeline& timeline);

// P(beat control) of the days so far, per variation, with the verdict's threshold (and
// 1 - threshold, the loser's) as rules.
std::string cumulative_chance(const analysis::ExperimentTimeline& timeline, double threshold);

namespace detail {

// Wide enough for the day axis of a long test, narrow enough for a laptop's page column.
inline constexpr int k_width = 720;

// Opens a spec: $schema and title (with `subtitle` when not empty); the caller adds the width
// (a faceted spec takes it on its inner spec), data, marks and encodings, then closes it.
void begin_spec(util::JsonWriter& json, std::string_view title, std::string_view subtitle);

// The variation's name, or its id when it has none.
std::string variation_name(const std::vector<model::Variation>& variations, std::string_view id);

// Writes `"title": text, "format": format` for an axis of the encoding being written.
void axis(util::JsonWriter& json, std::string_view title, std::string_view format);

} // namespace detail

} // namespace reckon::report::charts
