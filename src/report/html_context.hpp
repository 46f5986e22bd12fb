#pragma once

#include "reckon/report/html_report.hpp"

#include <string>
#include <vector>

namespace reckon::report::html {

// What the segment and daily analyses say about one experiment, in words, per variation: the
// rollout call across segments, the weekday/weekend contrast and the trend of the daily
// uplift. Empty when neither analysis covers the experiment.
std::string segments_and_days(const HtmlReportInput& input,
                              const analysis::ExperimentResult& experiment);

// The charts of the segment and daily analyses (chart_specs.hpp): the segment forest, the
// daily uplift and the cumulative chance to beat control, each where there is something to draw.
std::vector<HtmlChart> segment_and_day_charts(const HtmlReportInput& input,
                                              const analysis::ExperimentResult& experiment);

} // namespace reckon::report::html
