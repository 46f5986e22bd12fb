#pragma once

#include "reckon/report/report_inputs.hpp"

#include <string>

namespace reckon::report {

// The report folder's report.md: the findings of index.html as GitHub-flavoured Markdown for
// a pull request or a wiki. An index table of every test (name, source, runtime, verdict,
// health where known), then per test its verdict on the primary metric and why, a table of
// every metric x variation on the whole population (value, interval, uplift and its interval,
// P(beat control), P(best), expected loss, the vendor's numbers with drift marks, LOW DATA),
// the segments worth reading (winners, losers, contradictions, segments off their
// allocation; raw and pooled), weekday against weekend and the trend of the daily uplift, the
// sample-ratio check, and the assumptions as footnotes beside the numbers they affect; a
// short glossary closes it. Names, not ids; numbers for people.
std::string render_report_markdown(const ReportInputs& inputs);

} // namespace reckon::report
