#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::notify {

// How a running test is doing, from fine to someone-should-look-now.
enum class Status { healthy, watch, critical };

std::string_view status_name(Status status);

// One rule that fired, with its numbers already in the message ("variant converts 30.0 %
// below control; P(drop >= 20 %) = 97 %").
struct Reason {
  std::string rule; // "conversion_drop", "srm", "min_runtime", ...
  Status severity = Status::watch;
  std::string message;
};

// One arm's figures as the alert shows them; a rate or value nobody could compute is absent.
struct ArmFigures {
  std::string name;
  std::uint64_t visitors = 0;
  std::optional<double> conversion_rate;     // a fraction: 0.031 is 3.1 %
  std::optional<double> revenue_per_visitor; // net revenue per visitor
  std::optional<double> average_order_value; // net revenue per order
};

// What one test's health run says, as plain data: everything a message or a receiver needs,
// and nothing that needs the analysis to read. `previous_status` is the status of the last
// kept run (absent on a test's first run).
struct Alert {
  std::string test_id;
  std::string test_name;
  int runtime_days = 0;
  // The verdict so far, as analysis words it ("WINNER", "Bundle: LOSER"); empty when none.
  std::string verdict;
  ArmFigures control;
  ArmFigures variant;
  Status status = Status::healthy;
  std::optional<Status> previous_status;
  std::vector<Reason> reasons;
  // The milestone the test reached since the last kept run ("7_days", "14_days", "ended"; ""
  // for none) and its summary in lines for people: the verdict, the primary metric's uplift,
  // the segment winners, the weekday/weekend finding.
  std::string milestone;
  std::vector<std::string> milestone_summary;
};

// "watch → critical": the previous status and this one; empty on a test's first run.
std::string status_change(const Alert& alert);

// When an alert is worth sending: `change`, when its status differs from the last kept run's
// (a test's first run counts as a change unless the test is healthy: a quiet start has
// nothing to tell) or it reached a milestone; `always`, every test every run.
enum class NotifyOn { change, always };

std::vector<Alert> alerts_to_send(std::span<const Alert> alerts, NotifyOn when);

// The relative lift of the variant over control, (variant - control) / control; absent when
// either side is absent or control is zero.
std::optional<double> lift(std::optional<double> control, std::optional<double> variant);

// Whether the opt-in guardrail may pause this test: critical because of a conversion drop or
// a sample ratio mismatch, which mean the variant hurts or the split is broken. Nothing else
// (too little data, a stalled test) justifies changing the vendor's state.
bool warrants_pause(const Alert& alert);

} // namespace reckon::notify
