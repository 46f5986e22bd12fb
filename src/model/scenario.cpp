#include "reckon/model/scenario.hpp"

#include <algorithm>
#include <cassert>

namespace reckon::model {

std::size_t ScenarioExperiment::control_index() const {
  const auto control = std::find_if(variations.begin(), variations.end(),
                                    [](const ScenarioVariation& v) { return v.is_control; });
  assert(control != variations.end());
  return static_cast<std::size_t>(control - variations.begin());
}

bool ScenarioExperiment::skews_allocation() const {
  return std::any_of(variations.begin(), variations.end(),
                     [](const ScenarioVariation& v) { return !v.allocation_multipliers.empty(); });
}

std::string_view to_string(ScenarioSource source) {
  switch (source) {
  case ScenarioSource::intelligems:
    return "intelligems";
  case ScenarioSource::platform:
    return "platform";
  case ScenarioSource::bandit:
    return "bandit";
  }
  return "intelligems";
}

std::string_view to_string(ScenarioStatus status) {
  switch (status) {
  case ScenarioStatus::pending:
    return "pending";
  case ScenarioStatus::started:
    return "started";
  case ScenarioStatus::paused:
    return "paused";
  case ScenarioStatus::ended:
    return "ended";
  }
  return "started";
}

std::string_view to_string(FunnelStage stage) {
  switch (stage) {
  case FunnelStage::add_to_cart:
    return "add_to_cart_rate";
  case FunnelStage::checkout_begin:
    return "checkout_begin_rate";
  case FunnelStage::contact_info:
    return "checkout_enter_contact_info_rate";
  case FunnelStage::address_submitted:
    return "checkout_address_submitted_rate";
  }
  return "add_to_cart_rate";
}

} // namespace reckon::model
