// What `reckon health` remembers of its kept runs: the statuses `--notify-on change` compares
// with and the milestones already reported.
#include "health_notify.hpp"
#include "health_runs.hpp"

#include <gtest/gtest.h>

namespace reckon::app {
namespace {

using analysis::HealthStatus;
using analysis::Milestone;

TEST(HealthMemory, ThePreviousStatusIsTheNewestKeptAndMilestonesAccumulate) {
  const std::vector<store::KeptHealthRun> runs{
      {1,
       1'000,
       "2026-09-07",
       {{"a", "A", "healthy", "", 7, {}, "7_days"},
        {"b", "B", "watch", "", 3, {{"min_runtime", "watch"}}, ""}}},
      {2, 2'000, "2026-09-14", {{"a", "A", "critical", "", 14, {}, "14_days"}}},
      {3, 3'000, "2026-09-15", {{"a", "A", "critical", "", 15, {}, ""}}}};
  const HealthMemory memory = remember(runs);
  EXPECT_EQ(memory.previous.at("a"), HealthStatus::critical);
  EXPECT_EQ(memory.previous.at("b"), HealthStatus::watch); // from the only run that holds it
  EXPECT_EQ(memory.reported.at("a"), Milestone::days_14);  // not forgotten by a later run
  EXPECT_EQ(memory.reported.at("b"), Milestone::none);
  EXPECT_EQ(memory.previous.count("c"), 0U);
}

analysis::HealthReport two_tests() {
  analysis::HealthReport report;
  report.as_of = *util::Date::parse("2026-09-14");
  analysis::ExperimentHealth crash;
  crash.id = "crash";
  crash.name = "Crash";
  crash.status = HealthStatus::critical;
  crash.verdict = "LOSER";
  crash.runtime_days = 14;
  crash.reasons = {{"conversion_drop", analysis::ReasonSeverity::critical, "v", "drop", {}},
                   {"srm", analysis::ReasonSeverity::note, "", "adaptive", {}}};
  analysis::ExperimentHealth calm;
  calm.id = "calm";
  calm.name = "Calm";
  report.experiments = {crash, calm};
  analysis::MilestoneSummary milestone;
  milestone.id = "calm";
  milestone.milestone = Milestone::days_14;
  report.milestones = {milestone};
  return report;
}

TEST(HealthMemory, AKeptRunHoldsEveryTestWithItsReasonsAndMilestone) {
  const store::KeptHealthRun run = kept_health_run(two_tests(), 42);
  EXPECT_EQ(run.at_ms, 42);
  EXPECT_EQ(run.as_of, "2026-09-14");
  ASSERT_EQ(run.tests.size(), 2U);
  EXPECT_EQ(run.tests[0],
            (store::KeptHealthStatus{"crash",
                                     "Crash",
                                     "critical",
                                     "LOSER",
                                     14,
                                     {{"conversion_drop", "critical"}, {"srm", "note"}},
                                     ""}));
  EXPECT_EQ(run.tests[1].status, "healthy");
  EXPECT_FALSE(run.tests[1].runtime_days);
  EXPECT_EQ(run.tests[1].milestone, "14_days");
  // Read back, the run is the memory the next one compares with.
  const HealthMemory memory = remember({&run, 1});
  EXPECT_EQ(memory.previous.at("crash"), HealthStatus::critical);
  EXPECT_EQ(memory.reported.at("calm"), Milestone::days_14);
}

TEST(HealthMemory, AlertsCarryThePreviousStatusAndTheMilestone) {
  const auto alerts = alerts_of(two_tests(), {{"crash", HealthStatus::watch}});
  ASSERT_EQ(alerts.size(), 2U);
  EXPECT_EQ(alerts[0].previous_status, notify::Status::watch);
  EXPECT_EQ(notify::status_change(alerts[0]), "watch → critical");
  EXPECT_TRUE(alerts[0].milestone.empty());
  EXPECT_FALSE(alerts[1].previous_status);
  EXPECT_EQ(alerts[1].milestone, "14_days");
  EXPECT_EQ(alerts[1].milestone_summary.size(), 3U);
  // Crash changed; calm is healthy and new but reached a milestone: both are sent.
  EXPECT_EQ(notify::alerts_to_send(alerts, notify::NotifyOn::change).size(), 2U);
}

} // namespace
} // namespace reckon::app
