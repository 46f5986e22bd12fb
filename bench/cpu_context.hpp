#pragma once

// Names the CPU a benchmark run measured in the run's context block (--benchmark_out JSON:
// context.cpu_vendor, cpu_model_name, cpu_family, cpu_model), from the first processor of
// /proc/cpuinfo. Speed ratios differ between CPU models, so bench/check_ratios.cmake holds a
// run to the figures recorded on the same CPU only. Fields it cannot read are "unknown".
#include <benchmark/benchmark.h>

#include <array>
#include <fstream>
#include <string>
#include <utility>

namespace reckon::bench {

inline void add_cpu_context() {
  // /proc/cpuinfo field -> context key
  const std::array<std::pair<std::string, std::string>, 4> fields{{{"vendor_id", "cpu_vendor"},
                                                                   {"model name", "cpu_model_name"},
                                                                   {"cpu family", "cpu_family"},
                                                                   {"model", "cpu_model"}}};
  std::array<std::string, 4> values{"unknown", "unknown", "unknown", "unknown"};
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  // The first processor's block ends at the first empty line.
  while (std::getline(cpuinfo, line) && !line.empty()) {
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    const auto trimmed = [](const std::string& text) {
      const std::size_t first = text.find_first_not_of(" \t");
      const std::size_t last = text.find_last_not_of(" \t");
      return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
    };
    const std::string key = trimmed(line.substr(0, colon));
    const std::string value = trimmed(line.substr(colon + 1));
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (key == fields[i].first && !value.empty()) {
        values[i] = value;
      }
    }
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    benchmark::AddCustomContext(fields[i].second, values[i]);
  }
}

} // namespace reckon::bench
