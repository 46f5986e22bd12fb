#include "reckon/notify/alert.hpp"

#include "support/sample_alerts.hpp"

#include <gtest/gtest.h>

namespace reckon::notify {
namespace {

std::vector<std::string> ids(const std::vector<Alert>& alerts) {
  std::vector<std::string> out;
  for (const Alert& alert : alerts) {
    out.push_back(alert.test_id);
  }
  return out;
}

TEST(Alerts, OnChangeSendsChangedAndNewUnhealthyTestsOnly) {
  std::vector<Alert> alerts = test::sample_alerts();
  EXPECT_EQ(ids(alerts_to_send(alerts, NotifyOn::change)),
            (std::vector<std::string>{"exp-crash", "exp-young"}));
  alerts[0].previous_status = Status::critical; // critical yesterday too: not sent again
  alerts[2].previous_status = Status::watch;    // recovered: a change worth telling
  EXPECT_EQ(ids(alerts_to_send(alerts, NotifyOn::change)),
            (std::vector<std::string>{"exp-young", "exp-fine"}));
  alerts[2].previous_status.reset(); // a healthy test seen for the first time
  EXPECT_EQ(ids(alerts_to_send(alerts, NotifyOn::change)), (std::vector<std::string>{"exp-young"}));
  EXPECT_EQ(alerts_to_send(alerts, NotifyOn::always).size(), 3U);
}

// Seed 000's automated reports: a test that reached a milestone since the last kept run is
// worth telling even when its status stayed.
TEST(Alerts, OnChangeAlsoSendsATestThatReachedAMilestone) {
  std::vector<Alert> alerts = test::sample_alerts();
  for (Alert& alert : alerts) {
    alert.previous_status = alert.status; // nothing changed
  }
  EXPECT_TRUE(alerts_to_send(alerts, NotifyOn::change).empty());
  alerts[2].milestone = "14_days";
  EXPECT_EQ(ids(alerts_to_send(alerts, NotifyOn::change)), (std::vector<std::string>{"exp-fine"}));
  alerts[2].milestone.clear();
  alerts[2].previous_status.reset(); // a healthy first run without a milestone: nothing to tell
  EXPECT_TRUE(alerts_to_send(alerts, NotifyOn::change).empty());
}

TEST(Alerts, AStatusChangeReadsFromThePreviousStatus) {
  Alert alert = test::sample_alerts()[1];
  alert.status = Status::critical;
  alert.previous_status = Status::watch;
  EXPECT_EQ(status_change(alert), "watch → critical");
  alert.previous_status = Status::critical;
  EXPECT_EQ(status_change(alert), "critical → critical");
  alert.previous_status.reset();
  EXPECT_EQ(status_change(alert), "");
}

TEST(Alerts, OnlyACriticalDropOrSrmWarrantsAPause) {
  Alert alert = test::sample_alerts()[0];
  EXPECT_TRUE(warrants_pause(alert));
  alert.reasons = {{"srm", Status::critical, "p = 1e-9"}};
  EXPECT_TRUE(warrants_pause(alert));
  alert.reasons = {{"conversion_drop", Status::watch, "drop 21 %, P = 60 %"}};
  EXPECT_FALSE(warrants_pause(alert)); // the drop alone is not critical
  alert.reasons = {{"no_data", Status::critical, "no visitors"},
                   {"stalled", Status::critical, "no visitors for 2 days"}};
  EXPECT_FALSE(warrants_pause(alert)); // critical, but not because the variant hurts
  alert.reasons = {{"srm", Status::critical, "p = 1e-9"}};
  alert.status = Status::watch;
  EXPECT_FALSE(warrants_pause(alert));
}

TEST(Alerts, LiftIsRelativeAndAbsentWithoutABase) {
  EXPECT_DOUBLE_EQ(*lift(0.05, 0.035), -0.3);
  EXPECT_DOUBLE_EQ(*lift(49.0, 56.0), 1.0 / 7.0);
  EXPECT_FALSE(lift(0.0, 0.1));
  EXPECT_FALSE(lift(std::nullopt, 0.1));
  EXPECT_FALSE(lift(0.1, std::nullopt));
}

} // namespace
} // namespace reckon::notify
