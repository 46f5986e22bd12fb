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
  const std::string tallied = count_of(tally.winners, "winner") + ", " +
                              count_of(tally.losers, "loser") + " in " +
                              count_of(tally.segments, "segment");
  if (2 * tally.low_data > tally.segments) {
    return {RolloutCall::hold, count_of(tally.low_data, "segment") + " of " +
                                   std::to_string(tally.segments) +
                                   " too small to call: more data first"};
  }
  if (tally.winners > 0 && tally.losers > 0) {
    return {RolloutCall::segment_specific, tallied + ": only where it wins"};
  }
  if (tally.losers > 0) {
    return {RolloutCall::dont, tallied + ": it loses and wins nowhere"};
  }
  if (tally.winners == 0) {
    return {RolloutCall::hold, "no segment won or lost"};
  }
  if (2 * tally.winners >= tally.segments) {
    return {RolloutCall::roll_out, tallied + ": wins in at least half and loses nowhere"};
  }
  if (tally.winners_within_chance) {
    return {RolloutCall::hold, tallied + ": no more winners than chance produces"};
  }
  return {RolloutCall::segment_specific, tallied + ": only where it wins"};
}

} // namespace reckon::analysis
