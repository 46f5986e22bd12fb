#include "support/request_log.hpp"

#include <algorithm>
#include <utility>

namespace reckon::test {

RequestKey key_of(const LoggedRequest& request) {
  return {request.method, request.query.empty() ? request.path : request.path + "?" + request.query,
          request.body};
}

void RequestLog::record(LoggedRequest request) {
  {
    const std::lock_guard lock(m_mutex);
    m_entries.push_back(std::move(request));
  }
  m_grown.notify_all();
}

std::size_t RequestLog::size() const {
  const std::lock_guard lock(m_mutex);
  return m_entries.size();
}

std::size_t RequestLog::count_status(int status) const {
  const std::lock_guard lock(m_mutex);
  return static_cast<std::size_t>(
      std::count_if(m_entries.begin(), m_entries.end(),
                    [status](const LoggedRequest& entry) { return entry.status == status; }));
}

std::vector<LoggedRequest> RequestLog::entries() const {
  const std::lock_guard lock(m_mutex);
  return m_entries;
}

std::map<RequestKey, std::size_t> RequestLog::counts_per_key(int status) const {
  const std::lock_guard lock(m_mutex);
  std::map<RequestKey, std::size_t> counts;
  for (const LoggedRequest& entry : m_entries) {
    if (status == 0 || entry.status == status) {
      ++counts[key_of(entry)];
    }
  }
  return counts;
}

std::vector<RequestKey> RequestLog::repeated(int status) const {
  std::vector<RequestKey> keys;
  for (auto& [key, count] : counts_per_key(status)) {
    if (count > 1) {
      keys.push_back(key);
    }
  }
  return keys;
}

bool RequestLog::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(m_mutex);
  return m_grown.wait_for(lock, timeout, [&] { return m_entries.size() >= count; });
}

} // namespace reckon::test
