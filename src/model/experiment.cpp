#include "reckon/model/experiment.hpp"

#include <algorithm>
#include <cassert>
#include <set>

namespace reckon::model {

std::size_t Experiment::control_index() const {
  const auto control = std::find_if(variations.begin(), variations.end(),
                                    [](const Variation& v) { return v.is_control; });
  assert(control != variations.end());
  return static_cast<std::size_t>(control - variations.begin());
}

std::optional<int> Experiment::runtime_days() const {
  std::set<std::string> days;
  for (const CountsCell& cell : cells) {
    if (cell.slice.segment_type == "day") {
      days.insert(cell.slice.segment);
    } else if (!cell.slice.date.empty()) {
      days.insert(cell.slice.date);
    }
  }
  if (!days.empty()) {
    return static_cast<int>(days.size());
  }
  if (started_at_ms && ended_at_ms && *ended_at_ms > *started_at_ms) {
    constexpr std::int64_t k_ms_per_day = 86'400'000;
    return static_cast<int>((*ended_at_ms - *started_at_ms + k_ms_per_day - 1) / k_ms_per_day);
  }
  return std::nullopt;
}

} // namespace reckon::model
