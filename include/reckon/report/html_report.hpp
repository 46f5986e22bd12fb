#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/analysis/segments.hpp"
#include "reckon/analysis/temporal.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/model/sitewide.hpp"
#include "reckon/report/results_output.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace reckon::report {

// A Vega-Lite chart placed in a test's section of the page.
struct HtmlChart {
  std::string title;
  std::string spec_json; // a complete Vega-Lite specification, data inline
  std::string caption;   // what the chart shows and how it was computed, in words
};

// Everything `index.html` shows. The analyses are borrowed: they must outlive the call.
struct HtmlReportInput {
  const analysis::Results& results;
  RunInfo run;
  std::string source_name; // the input's name ("demo.db", "counts.csv")
  // A status per experiment id (the `health` feature's, where it ran): shown in the index's
  // health column; an experiment without one shows an empty cell.
  std::map<std::string, std::string, std::less<>> health;
  // Optional: the segment and daily analyses of the same results, for the charts built on them.
  const analysis::SegmentsReport* segments = nullptr;
  const analysis::TemporalResults* temporal = nullptr;
  // More charts per experiment id, placed after the uplift posterior (segments, days, store).
  std::map<std::string, std::vector<HtmlChart>, std::less<>> extra_charts;
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
