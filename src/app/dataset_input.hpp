#pragma once

#include "analysis_run.hpp"
#include "settings.hpp"

#include "reckon/model/day_range.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/model/sitewide.hpp"
#include "reckon/util/result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace reckon::app {

// The data an analysing command works on, a name for it in messages, and what of it could
// not be read: one line per stored response of the analysed experiments that was left out
// ("experience \"Name\" (ID): overview of day D (ZONE) not read: <where>: <why>").
struct LoadedDataset {
  model::Dataset dataset;
  std::string source_name; // "demo.db", "counts.csv"
  std::vector<std::string> unreadable;
  // What --from/--to left out, one line per experiment ("experiment \"Name\": segments
  // device_type, visitor_type have no per-day data; left out under --from/--to").
  std::vector<std::string> left_out_by_days;
  // The store's daily traffic (Intelligems sitewide analytics) when the store holds it, for the
  // report's store context; when a stored answer cannot be read, why (the analysis goes on).
  std::optional<model::SitewideSeries> sitewide;
  std::string sitewide_unreadable;
};

// Reads the input the settings name: a counts CSV, or a store (every Intelligems response and
// every imported counts CSV in it, newest version of each), keeping only the experiments
// asked for, cut to the settings' days (model::keep_days). Naming an absent experiment, a
// --from after --to, or a day range that leaves no experiment is a usage error. The store is
// opened read-only.
// A stored response that cannot be read is left out and the rest is read; only those of the
// experiments asked for are kept in `unreadable`, so another test's bad response never stops
// the analysis of this one.
util::Result<LoadedDataset> load_dataset(const AnalysisSettings& settings);

// load_dataset for a command that writes `outputs`: first a usage error when one of them is
// the input (writing it would destroy what the command reads) or another output.
util::Result<LoadedDataset> load_dataset_for(const AnalysisSettings& settings,
                                             const std::vector<NamedFile>& outputs);

// The same, noting on stderr under -v what was read, in how long, and the options in effect.
util::Result<LoadedDataset> load_dataset_for(const AnalysisSettings& settings,
                                             const std::vector<NamedFile>& outputs,
                                             const Console& console);

// A usage error on --from when it is after --to.
util::Result<void> check_day_order(const model::DayRange& days);
// The usage error when --from/--to leave no experiment of `name`.
util::Error no_day_in_range(const std::string& name, const model::DayRange& days);
// The warning for what --from/--to left out of one experiment.
std::string day_cut_line(const model::DayCutNote& note, const model::DayRange& range);

// Says (unless -q) that `source_name` has no revenue column when one of `experiments` lacks it.
void note_revenue(const std::vector<model::Experiment>& experiments, const std::string& source_name,
                  const Console& console);

// Prints what the day range left out (warnings) and the stored responses that could not be
// read, one line each on stderr, and makes the latter the command's outcome: a bad_input error
// (exit 3) after the analysis of the rest was written.
util::Result<void> report_unreadable(const LoadedDataset& input, const Console& console);

// The same for a counts CSV held in memory.
util::Result<LoadedDataset> load_counts_text(std::string_view csv, const std::string& name,
                                             const AnalysisSettings& settings);

} // namespace reckon::app
