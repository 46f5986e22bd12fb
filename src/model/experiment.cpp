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
  if (days.empty()) {
    return std::nullopt;
  }
  return static_cast<int>(days.size());
}

} // namespace reckon::model
