#include "reckon/stats/parallel.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include <cassert>

namespace reckon::stats {

namespace {

std::size_t checked_thread_count(std::size_t max_threads) {
  assert(max_threads >= 1);
  return max_threads;
}

} // namespace

struct ThreadLimit::Impl {
  explicit Impl(std::size_t max_threads)
      : control(tbb::global_control::max_allowed_parallelism, checked_thread_count(max_threads)) {}

  tbb::global_control control;
};

ThreadLimit::ThreadLimit(std::size_t max_threads) : m_impl(std::make_unique<Impl>(max_threads)) {}

ThreadLimit::~ThreadLimit() = default;

void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count),
                    [&body](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t i = range.begin(); i != range.end(); ++i) {
                        body(i);
                      }
                    });
}

} // namespace reckon::stats
