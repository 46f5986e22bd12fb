#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/analysis/segments.hpp"
#include "reckon/analysis/temporal.hpp"

#include <functional>
#include <map>
#include <string>

namespace reckon::report {

// Everything a report folder shows, shared by report.md, cells.csv and results.sqlite (and by
// index.html, whose HtmlReportInput names the same fields) so that every file tells the same
// story. The analyses are borrowed: they must outlive the inputs. `segments` and `temporal`
// are null when they were not run (a test without segments or days simply shows none).
struct ReportInputs {
  const analysis::Results& results;
  // Per experiment id, its health status in words where `reckon health` judged it.
  std::map<std::string, std::string, std::less<>> health = {};
  const analysis::SegmentsReport* segments = nullptr;
  const analysis::TemporalResults* temporal = nullptr;
  // Per experiment id, the symbol of the store's currency ("$", "€") where the source said;
  // amounts of other tests are shown without one.
  std::map<std::string, std::string, std::less<>> currency = {};
};

} // namespace reckon::report
