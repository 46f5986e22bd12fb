#include "memory_budget.hpp"

#include "reckon/util/number_format.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

namespace reckon::app {
namespace {

constexpr std::uint64_t k_kib = 1024;
// Room kept for what is not draws: the results, and each worker thread's stack (8 MiB) and
// malloc arena (64 MiB of address space reserved); the main thread's are mapped already.
constexpr std::uint64_t k_fixed_headroom_bytes = 16 * k_kib * k_kib;
constexpr std::uint64_t k_headroom_per_worker_bytes = 72 * k_kib * k_kib;
constexpr std::uint64_t k_smallest_draws = 1000;

// The value of a "Name:   1234 kB" line of a /proc file, in bytes.
std::optional<std::uint64_t> proc_kib(const char* file, std::string_view name) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(name) && line.size() > name.size() && line[name.size()] == ':') {
      std::istringstream value(line.substr(name.size() + 1));
      std::uint64_t kib = 0;
      if (value >> kib) {
        return kib * k_kib;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> file_number(const char* file) {
  std::ifstream in(file);
  std::uint64_t value = 0;
  if (in >> value) {
    return value;
  }
  return std::nullopt; // absent, or "max"
}

// The value of a "name 1234" line of a cgroup stat file.
std::optional<std::uint64_t> stat_value(const char* file, std::string_view name) {
  std::ifstream in(file);
  std::string key;
  for (std::uint64_t value = 0; in >> key >> value;) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

// What the cgroup's memory.max leaves. Its page cache counts in memory.current but is given
// back on demand, so only the rest counts as used.
std::optional<std::uint64_t> cgroup_left() {
  const auto cap = file_number("/sys/fs/cgroup/memory.max");
  const auto current = file_number("/sys/fs/cgroup/memory.current");
  if (!cap || !current) {
    return std::nullopt;
  }
  const std::uint64_t cache = stat_value("/sys/fs/cgroup/memory.stat", "file").value_or(0);
  const std::uint64_t used = *current > cache ? *current - cache : 0;
  return *cap > used ? *cap - used : 0;
}

// What a resource limit leaves beyond what the process already uses of it.
std::optional<std::uint64_t> rlimit_left(int resource, std::optional<std::uint64_t> used) {
  rlimit limit{};
  if (::getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
    return std::nullopt;
  }
  const std::uint64_t cap = limit.rlim_cur;
  const std::uint64_t taken = used.value_or(0);
  return cap > taken ? cap - taken : 0;
}

std::string gigabytes(std::uint64_t bytes) {
  return util::format_fixed(static_cast<double>(bytes) / 1e9, 1) + " GB";
}

std::size_t widest_experiment(const model::Dataset& dataset) {
  std::size_t arms = 2;
  for (const model::Experiment& experiment : dataset.experiments) {
    arms = std::max(arms, experiment.variations.size());
  }
  return arms;
}

} // namespace

std::optional<MemoryRoom> memory_room() {
  std::optional<MemoryRoom> room;
  const auto consider = [&room](std::optional<std::uint64_t> bytes, const char* limit) {
    if (bytes && (!room || *bytes < room->bytes)) {
      room = MemoryRoom{*bytes, limit};
    }
  };
  consider(proc_kib("/proc/meminfo", "MemAvailable"), "the machine's available memory");
  consider(cgroup_left(), "the cgroup's memory.max");
  consider(rlimit_left(RLIMIT_AS, proc_kib("/proc/self/status", "VmSize")),
           "the address-space limit (ulimit -v, RLIMIT_AS)");
  consider(rlimit_left(RLIMIT_DATA, proc_kib("/proc/self/status", "VmData")),
           "the data-segment limit (ulimit -d, RLIMIT_DATA)");
  return room;
}

std::uint64_t DrawFootprint::bytes(std::uint64_t draws) const {
  // Saturates: --draws has no upper bound of its own, memory is its bound.
  std::uint64_t total = sizeof(double) * (arms + 2);
  for (const std::uint64_t factor : {draws, cells_in_flight()}) {
    if (__builtin_mul_overflow(total, factor, &total)) {
      return std::numeric_limits<std::uint64_t>::max();
    }
  }
  return total;
}

util::Result<void> check_draws_fit(const model::Dataset& dataset, const AnalysisSettings& settings,
                                   std::size_t threads, const std::optional<MemoryRoom>& room) {
  if (!room) {
    return {};
  }
  const DrawFootprint footprint{widest_experiment(dataset), std::max<std::size_t>(threads, 1)};
  const std::uint64_t draws = settings.options.sampling.draws;
  const std::uint64_t headroom =
      k_fixed_headroom_bytes + k_headroom_per_worker_bytes * (footprint.threads - 1);
  const std::uint64_t usable = room->bytes > headroom ? room->bytes - headroom : 0;
  const std::uint64_t needed = footprint.bytes(draws);
  if (needed <= usable && needed + headroom >= needed) {
    return {};
  }
  const std::uint64_t largest = usable / footprint.bytes(1);
  const std::string what =
      std::to_string(draws) + " draws need about " + gigabytes(needed + headroom) + " (8 bytes x " +
      std::to_string(footprint.arms + 2) + " buffers (" + std::to_string(footprint.arms) +
      " arms, uplift, selection) x " + std::to_string(draws) + " draws x " +
      std::to_string(footprint.cells_in_flight()) + " cells in flight on " +
      std::to_string(footprint.threads) + " threads), but " + room->limit + " leaves " +
      gigabytes(room->bytes);
  if (largest < k_smallest_draws) {
    return util::make_error(util::ErrorCode::usage, "--draws",
                            what + ": too little even for the smallest --draws (" +
                                std::to_string(k_smallest_draws) +
                                "); free memory, raise the limit or use fewer --threads");
  }
  return util::make_error(util::ErrorCode::usage, "--draws",
                          what + ": the largest --draws that fits is " + std::to_string(largest) +
                              " (fewer --threads fit more)");
}

} // namespace reckon::app
