#pragma once

#include "reckon/analysis/results.hpp"

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace reckon::app {

// Where diagnostics go and how many of them.
struct Console {
  std::ostream& out;
  std::ostream& err;
  bool quiet = false;
  bool verbose = false;

  void info(const std::string& message) const {
    if (!quiet) {
      err << "reckon: " << message << '\n';
    }
  }
};

enum class OutputFormat { json, csv, table };

// Options shared by every command that analyses data.
struct AnalysisSettings {
  std::string counts_path; // a counts CSV, or else:
  std::string store_path = "reckon.db";
  bool ignored_zone = false; // --tz, which day windows no longer need: accepted for one release
  std::vector<std::string> experiences;
  analysis::AnalysisOptions options;
  std::size_t threads = 0; // 0: every core
  OutputFormat format = OutputFormat::table;
  std::string output_path; // empty: stdout
};

} // namespace reckon::app
