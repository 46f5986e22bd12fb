#pragma once

#include "settings.hpp"

#include "reckon/analysis/health.hpp"
#include "reckon/analysis/milestones.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/store/store.hpp"
#include "reckon/util/result.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>

namespace CLI {
class App;
}

namespace reckon::app {

struct HealthSettings;

// What the health runs kept in a store say about each test before this run, by test id.
struct HealthMemory {
  // The status of the newest kept run that holds the test.
  std::map<std::string, analysis::HealthStatus, std::less<>> previous;
  // The latest milestone any kept run reported for the test.
  std::map<std::string, analysis::Milestone, std::less<>> reported;
};

// The memory of kept runs, oldest first.
HealthMemory remember(std::span<const store::KeptHealthRun> runs);

// The memory of the store's kept runs; empty for a counts CSV, which keeps none.
util::Result<HealthMemory> recall_health(const AnalysisSettings& settings);

// Fills report.milestones: each test whose latest milestone reached is later than every one
// reported before, summarised from the data (verdict, uplift, segment winners, weekday/weekend).
void add_milestones(analysis::HealthReport& report, const model::Dataset& dataset,
                    const HealthMemory& memory, const AnalysisSettings& settings);

// The run as the store keeps it: every test's status, verdict, runtime, reasons and milestone.
store::KeptHealthRun kept_health_run(const analysis::HealthReport& report, std::int64_t at_ms);

// Keeps the run in the store in one transaction; says so under -v.
util::Result<void> keep_health_run(const analysis::HealthReport& report,
                                   const std::string& store_path, const Console& console);

// `reckon health --history ID`: the kept runs of one test, in the settings' format.
util::Result<void> run_health_history(const HealthSettings& settings, const Console& console);

// Registers --no-save and --history on `command`.
void add_health_run_options(CLI::App& command, HealthSettings& settings);

} // namespace reckon::app
