#pragma once

#include "markdown_text.hpp"

#include "reckon/analysis/segments.hpp"
#include "reckon/analysis/temporal.hpp"

#include <string>

namespace reckon::report::markdown {

// "### Segments": the chance count, the rollout call and the segments worth reading.
std::string segments_section(const analysis::ExperimentSegments& experiment,
                             const analysis::SegmentsReport& report);

// "### Over time": per variation on the primary metric, weekday against weekend and the
// trend of the daily uplift; the leader's last change.
std::string temporal_section(const analysis::ExperimentTimeline& experiment);

// "## Glossary": the terms the tables use.
std::string glossary();

} // namespace reckon::report::markdown
