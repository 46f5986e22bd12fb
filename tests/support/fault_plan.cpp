#include "support/fault_plan.hpp"

#include <utility>

namespace reckon::test {

void FaultPlan::arm(Fault fault) {
  if (fault.count <= 0) {
    return;
  }
  const std::lock_guard lock(m_mutex);
  m_faults.push_back(std::move(fault));
}

void FaultPlan::clear() {
  const std::lock_guard lock(m_mutex);
  m_faults.clear();
}

std::optional<Fault> FaultPlan::take(std::uint64_t number, std::string_view path) {
  const std::lock_guard lock(m_mutex);
  for (auto it = m_faults.begin(); it != m_faults.end(); ++it) {
    if (number < it->at_request || path.find(it->path_contains) == std::string_view::npos) {
      continue;
    }
    Fault taken = *it;
    if (--it->count == 0) {
      m_faults.erase(it);
    }
    return taken;
  }
  return std::nullopt;
}

int FaultPlan::pending() const {
  const std::lock_guard lock(m_mutex);
  int total = 0;
  for (const Fault& fault : m_faults) {
    total += fault.count;
  }
  return total;
}

} // namespace reckon::test
