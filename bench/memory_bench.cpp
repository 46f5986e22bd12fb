// Peak resident memory of `reckon analyze` on generated counts CSVs of growing size (issue
// 17): results stream out experiment by experiment, so the peak must not grow with the number
// of experiments. Not a timed benchmark: it reports each run's peak RSS (the kernel's
// ru_maxrss of that child, as getrusage(RUSAGE_CHILDREN) reports it) and wall time for scale.
//
//   reckon_memory_bench [--experiments N]... [--draws D] [--threads T] [--format F]...
//
// Defaults: 2,000 experiments (about 168,000 rows, 12 MB) and 26,200 (2.2 M rows, about
// 200 MB), at 1,000 draws (the least --draws: the draws' own memory is bounded apart, see
// app/memory_budget.hpp) on 2 threads, in every --format.
#include "child_run.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#ifndef RECKON_BINARY
#error "RECKON_BINARY must name the reckon executable"
#endif

namespace {

struct Segment {
  const char* type;
  const char* value;
};

constexpr Segment k_segments[] = {{"device_type", "Desktop"}, {"device_type", "Mobile"},
                                  {"device_type", "Tablet"},  {"country", "US"},
                                  {"country", "CA"},          {"country", "GB"},
                                  {"country", "DE"},          {"country", "FR"},
                                  {"visitor_type", "New"},    {"visitor_type", "Returning"},
                                  {"source", "Direct"},       {"source", "Email"},
                                  {"source", "Paid"},         {"source", "Organic"}};
constexpr int k_days = 21;

// An account like an agency's: per experiment 2 or 3 arms, the overall slice, 14 segments and
// 21 days; rows grouped by experiment, as exports write them. Returns the number of rows.
std::size_t write_account(const std::filesystem::path& path, std::size_t experiments) {
  std::ofstream out(path);
  out << "experiment,variation,is_control,segment_type,segment,date,visitors,conversions,revenue,"
         "revenue_sq,allocation\n";
  std::mt19937_64 random(7);
  std::uniform_int_distribution<int> jitter(0, 500);
  std::size_t rows = 0;
  char line[256];
  for (std::size_t e = 0; e < experiments; ++e) {
    const int arms = e % 3 == 0 ? 3 : 2;
    const auto row = [&](const char* type, const char* value, const std::string& date,
                         double scale) {
      for (int arm = 0; arm < arms; ++arm) {
        const int visitors = static_cast<int>(20000 * scale) + jitter(random);
        const int conversions =
            static_cast<int>(visitors * (0.03 + 0.002 * arm)) + jitter(random) % 6;
        const double revenue = conversions * 75.0 + jitter(random) / 5.0;
        std::snprintf(line, sizeof line,
                      "checkout-experiment-with-a-long-descriptive-id-%05zu,%s,%s,%s,%s,%s,%d,%d,"
                      "%.2f,%.4f,%d\n",
                      e, arm == 0 ? "control" : (arm == 1 ? "variant-a" : "variant-b"),
                      arm == 0 ? "true" : "false", type, value, date.c_str(), visitors, conversions,
                      revenue, revenue * 80.0, 100 / arms);
        out << line;
        ++rows;
      }
    };
    row("", "", "", 1.0);
    for (const Segment& segment : k_segments) {
      row(segment.type, segment.value, "", 0.2);
    }
    for (int day = 1; day <= k_days; ++day) {
      row("", "", "2026-03-" + std::string(day < 10 ? "0" : "") + std::to_string(day), 0.05);
    }
  }
  return rows;
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes;
  std::vector<std::string> formats;
  std::string draws = "1000";
  std::string threads = "2";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string option = argv[i];
    if (option == "--experiments") {
      sizes.push_back(std::stoul(argv[i + 1]));
    } else if (option == "--format") {
      formats.emplace_back(argv[i + 1]);
    } else if (option == "--draws") {
      draws = argv[i + 1];
    } else if (option == "--threads") {
      threads = argv[i + 1];
    }
  }
  sizes = sizes.empty() ? std::vector<std::size_t>{2000, 26200} : sizes;
  formats = formats.empty() ? std::vector<std::string>{"json", "csv", "table"} : formats;
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("reckon_memory_bench." + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::printf("%12s %10s %9s %6s %13s %9s\n", "experiments", "rows", "csv_MB", "format",
              "peak_rss_MB", "seconds");
  int failed = 0;
  for (const std::size_t experiments : sizes) {
    const std::filesystem::path csv = dir / ("account_" + std::to_string(experiments) + ".csv");
    const std::size_t rows = write_account(csv, experiments);
    const double megabytes = static_cast<double>(std::filesystem::file_size(csv)) / 1e6;
    for (const std::string& format : formats) {
      const reckon::bench::ChildRun run =
          reckon::bench::run_child(RECKON_BINARY, {"analyze", "--counts", csv.string(), "--format",
                                                   format, "-o", (dir / ("out." + format)).string(),
                                                   "--draws", draws, "--threads", threads, "-q"});
      failed += run.status != 0;
      std::printf("%12zu %10zu %9.1f %6s %13.1f %9.1f%s\n", experiments, rows, megabytes,
                  format.c_str(), static_cast<double>(run.peak_kib) / 1024.0, run.seconds,
                  run.status == 0 ? "" : "  (reckon failed)");
      std::fflush(stdout);
    }
    std::filesystem::remove(csv);
  }
  std::filesystem::remove_all(dir);
  return failed == 0 ? 0 : 1;
}
