#pragma once

#include "report_folder.hpp"
#include "settings.hpp"

#include "reckon/util/result.hpp"

#include <string>

namespace reckon::app {

// Options of `reckon demo`.
struct DemoSettings {
  AnalysisSettings analysis;
  std::string data_dir = "data/demo"; // the demo account's saved API responses
  std::string out_dir = "reckon-demo";
};

// The demo account's report, as `reckon demo` writes it: the saved responses of
// `settings.data_dir` imported into a store (built in a temporary folder beside the report,
// removed on failure), analysed, checked, cut by segment and by day, judged for health, and
// written as the report folder `settings.out_dir` with the store in it as demo.db. A missing
// data folder is a usage error saying where to run from.
util::Result<WrittenReport> write_demo_report(const DemoSettings& settings, const Console& console);

} // namespace reckon::app
