#pragma once

// A console reporter that also keeps each benchmark's items_per_second, so that a program can
// print ratios and shares once every run is in. Shared by the benchmark programs in bench/.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace reckon::bench {

class RateReporter : public benchmark::ConsoleReporter {
public:
  // What names a benchmark's rates: its full run name ("beta/fill_threads_2/201_9801/real_time")
  // or the name it was registered under, without the suffixes the library appends.
  enum class Key { run_name, registered_name };

  explicit RateReporter(Key key) : ConsoleReporter(OO_Tabular), m_key(key) {}

  // Keeps each run's rate; with repetitions, the median aggregate (when it is displayed)
  // stands for the single runs.
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      const auto rate = run.counters.find("items_per_second");
      if (run.error_occurred || rate == run.counters.end()) {
        continue;
      }
      Samples& samples =
          m_samples[m_key == Key::run_name ? run.run_name.str() : run.run_name.function_name];
      if (run.run_type == Run::RT_Iteration) {
        samples.rates.push_back(rate->second.value);
      } else if (run.aggregate_name == "median") {
        samples.median = rate->second.value;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // The median rate of a benchmark, or 0 if it did not run.
  double median_rate(const std::string& name) const {
    const auto found = m_samples.find(name);
    if (found == m_samples.end()) {
      return 0.0;
    }
    return found->second.median > 0.0 ? found->second.median : median(found->second.rates);
  }

private:
  struct Samples {
    std::vector<double> rates;
    double median = 0.0;
  };

  static double median(std::vector<double> values) {
    if (values.empty()) {
      return 0.0;
    }
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
  }

  Key m_key;
  std::map<std::string, Samples> m_samples;
};

} // namespace reckon::bench
