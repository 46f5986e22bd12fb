#include "reckon/stats/parallel.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace reckon::stats {
namespace {

TEST(ParallelFor, RunsEveryIndexOnce) {
  std::vector<int> visits(1000, 0);
  parallel_for(visits.size(), [&visits](std::size_t i) { ++visits[i]; });
  for (std::size_t i = 0; i < visits.size(); ++i) {
    EXPECT_EQ(visits[i], 1) << i;
  }
}

TEST(ParallelFor, EmptyRangeRunsNothing) {
  bool ran = false;
  parallel_for(0, [&ran](std::size_t) { ran = true; });
  EXPECT_FALSE(ran);
}

TEST(ThreadLimit, OneThreadRunsEverythingOnOneThread) {
  const ThreadLimit limit(1);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  parallel_for(64, [&](std::size_t) {
    // Enough work per index that a second worker, were one allowed, would join in.
    volatile double sink = 0.0;
    for (int k = 0; k < 100'000; ++k) {
      sink = sink + 1.0;
    }
    const std::lock_guard lock(mutex);
    threads.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(threads.size(), 1U);
}

} // namespace
} // namespace reckon::stats
