#pragma once

#include "reckon/model/experiment.hpp"
#include "reckon/model/sitewide.hpp"
#include "reckon/report/report_inputs.hpp"
#include "reckon/report/results_output.hpp"

#include <string>

namespace reckon::report {

// A Vega-Lite chart placed in a test's section of the page.
struct HtmlChart {
  std::string title;
  std::string spec_json; // a complete Vega-Lite specification, data inline
  std::string caption;   // what the chart shows and how it was computed, in words
};

// Everything `index.html` shows: what every file of the report folder shows (the results, the
// health column, the segment and daily analyses for their charts), and what only the page
// does. The analyses are borrowed: they must outlive the call.
struct HtmlReportInput {
  const ReportInputs& report;
  RunInfo run;
  std::string source_name; // the input's name ("demo.db", "counts.csv")
  // Optional: the store's daily traffic (sitewide analytics, where fetched) and the dataset the
  // results come from, for each test's store-wide context (its window, the store's visitors
  // and revenue per visitor, the test's share of the traffic).
  const model::SitewideSeries* sitewide = nullptr;
  const model::Dataset* dataset = nullptr;
};

// One self-contained HTML page: the index of tests, then per test its verdict, the metric
// table, the posterior of each variation's uplift, SRM and assumptions, then a glossary. The
// chart libraries (vega, vega-lite, vega-embed) are inlined, and a Content-Security-Policy
// forbids every network load, so the page opens offline and requests nothing.
std::string render_html_report(const HtmlReportInput& input);

} // namespace reckon::report
