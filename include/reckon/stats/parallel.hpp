#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace reckon::stats {

// Caps the number of worker threads for as long as it lives. Created once, at the top of the
// application; nothing below it chooses a thread count.
class ThreadLimit {
public:
  explicit ThreadLimit(std::size_t max_threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Runs body(i) for every i in [0, count), in parallel. Bodies must be independent; results
// that must be reproducible are written to slots indexed by i, never accumulated in
// arrival order.
void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body);

} // namespace reckon::stats
