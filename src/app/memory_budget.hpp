#pragma once

#include "settings.hpp"

#include "reckon/model/experiment.hpp"
#include "reckon/util/result.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace reckon::app {

// The memory this process may still take, and which limit sets it.
struct MemoryRoom {
  std::uint64_t bytes = 0;
  std::string limit; // "MemAvailable", "ulimit -v (RLIMIT_AS)", ...
};

// The tightest of: the machine's available memory (/proc/meminfo MemAvailable), the cgroup's
// memory.max less what the cgroup uses, and this process's own RLIMIT_AS and RLIMIT_DATA less
// what it has mapped. Nullopt when none of them can be read.
std::optional<MemoryRoom> memory_room();

// What the Monte Carlo work of an analysis holds at its peak. Each cell in flight keeps one
// buffer of `draws` doubles per arm, one for the uplift of an arm, and at most one more for the
// quantile selection (stats' DrawWorkspace and sample_quantile); per-chunk tallies are
// negligible. A thread waiting at the end of one cell's parallel region can start another cell,
// so `threads` threads can hold 2 × threads − 1 cells.
struct DrawFootprint {
  std::size_t arms = 2;    // of the widest experiment
  std::size_t threads = 1; // that run the analysis
  std::uint64_t bytes(std::uint64_t draws) const;
  std::uint64_t cells_in_flight() const { return 2 * threads - 1; }
};

// A usage error naming --draws, the largest value that fits and the limit, when the analysis
// of `dataset` at the settings' draws cannot fit in `room`; nothing when it fits or `room` is
// unknown.
util::Result<void> check_draws_fit(const model::Dataset& dataset, const AnalysisSettings& settings,
                                   std::size_t threads, const std::optional<MemoryRoom>& room);

} // namespace reckon::app
