#pragma once

#include "reckon/report/html_report.hpp"

#include <string>

namespace reckon::report::html {

// What the segment and daily analyses say about one experiment, in words, per variation: the
// rollout call across segments, the weekday/weekend contrast and the trend of the daily
// uplift. Empty when neither analysis covers the experiment.
std::string segments_and_days(const HtmlReportInput& input,
                              const analysis::ExperimentResult& experiment);

} // namespace reckon::report::html
