#include "reckon/analysis/segments.hpp"

#include <cassert>

namespace reckon::analysis {
namespace {

constexpr double k_days_per_year = 365.0;

std::string count_of(std::size_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

} // namespace

Opportunity revenue_opportunity(double segment_visitors, int runtime_days,
                                double control_value_per_visitor, const Evidence& uplift) {
  assert(runtime_days > 0 && uplift.uplift && uplift.uplift_low && uplift.uplift_high);
  const double per_year =
      segment_visitors / runtime_days * control_value_per_visitor * k_days_per_year;
  return {per_year * *uplift.uplift, per_year * *uplift.uplift_low, per_year * *uplift.uplift_high};
}

std::string_view rollout_label(RolloutCall call) {
  switch (call) {
  case RolloutCall::roll_out:
    return "ROLL OUT";
  case RolloutCall::segment_specific:
    return "SEGMENT-SPECIFIC";
  case RolloutCall::dont:
    return "DON'T";
  case RolloutCall::hold:
    return "HOLD";
  }
  return "";
}

RolloutDecision rollout_call(const RolloutTally& tally) {
  if (2 * tally.low_data > tally.segments) {
    return {RolloutCall::hold, count_of(tally.low_data, "segment") + " of " +
                                   std::to_string(tally.segments) +
                                   " too small to call: more data first"};
  }
  const std::size_t winners = tally.winners_within_chance ? 0 : tally.winners;
  const std::size_t losers = tally.losers_within_chance ? 0 : tally.losers;
  std::string tallied = count_of(tally.winners, "winner") + ", " + count_of(tally.losers, "loser") +
                        " in " + count_of(tally.segments, "segment");
  if (tally.winners > 0 && winners == 0) {
    tallied += "; winners no more than chance";
  }
  if (tally.losers > 0 && losers == 0) {
    tallied += "; losers no more than chance";
  }
  if (winners > 0 && losers > 0) {
    return {RolloutCall::segment_specific, tallied + ": only where it wins"};
  }
  if (losers > 0) {
    return {RolloutCall::dont, tallied + ": it loses, and wins nowhere"};
  }
  if (winners == 0) {
    return {RolloutCall::hold, tallied + ": nothing to act on"};
  }
  if (2 * winners >= tally.segments) {
    return {RolloutCall::roll_out, tallied + ": wins in at least half, loses nowhere"};
  }
  return {RolloutCall::segment_specific, tallied + ": only where it wins"};
}

} // namespace reckon::analysis
