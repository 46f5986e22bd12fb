#pragma once

#include "redaction.hpp"

#include "reckon/analysis/results.hpp"
#include "reckon/model/day_range.hpp"
#include "reckon/util/text.hpp"

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace reckon::app {

// Where diagnostics go and how many of them. `err` writes through `redaction`, so a secret
// registered with hide() never reaches stderr; messages are printed with their control
// characters escaped, since they quote file names, fields and API bodies from outside.
struct Console {
  std::ostream& out;
  std::ostream& err;
  RedactingBuffer& redaction;
  bool quiet = false;
  bool verbose = false;

  void info(const std::string& message) const {
    if (!quiet) {
      err << "reckon: " << util::printable(message) << '\n';
    }
  }
  // A detail shown with -v only: what was read, the options in effect, time per stage.
  void detail(const std::string& message) const {
    if (verbose) {
      err << "reckon: " << util::printable(message) << '\n';
    }
  }
  // A warning is shown even with -q: it says something is wrong though the command goes on.
  void warn(const std::string& message) const {
    err << "reckon: warning: " << util::printable(message) << '\n';
  }
  void hide(const std::string& secret) const { redaction.add_secret(secret); }
};

enum class OutputFormat { json, csv, table };

// Options shared by every command that analyses data.
struct AnalysisSettings {
  std::string counts_path; // a counts CSV, or else:
  std::string store_path = "reckon.db";
  bool ignored_zone = false; // --tz, which day windows no longer need: accepted for one release
  std::vector<std::string> experiences;
  model::DayRange days; // --from, --to: the days analysed
  analysis::AnalysisOptions options;
  std::size_t threads = 0; // 0: every core
  OutputFormat format = OutputFormat::table;
  bool detail = false;     // tables show every slice, not only the decision summary (--detail)
  std::string output_path; // empty: stdout
};

} // namespace reckon::app
