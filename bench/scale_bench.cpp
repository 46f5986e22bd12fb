// Time and peak memory of `reckon analyze`, `check` and `report` on a simulated store of 500
// Intelligems experiences with six audience dimensions over 90 days (issue 17, point 5). Not a
// timed test: it builds the store once with Reckon's own tools (a scenario written here,
// `reckon simulate`, `reckon import`), keeps it in --dir for later runs, then runs each
// command as a child and reports its wall time, CPU time and peak RSS (ru_maxrss from wait4).
//
//   reckon_scale_bench [--experiences N] [--days D] [--threads T] [--runs R] [--dir DIR]
//                      [--draws D]
//
// Defaults: 500 experiences, 90 days, 2 threads, one run each, the commands' default draws,
// DIR = $TMPDIR/reckon_scale_bench.NxD (delete it to build the store again).
#include "child_run.hpp"
#include "scale_scenario.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#ifndef RECKON_BINARY
#error "RECKON_BINARY must name the reckon executable"
#endif

namespace {

namespace fs = std::filesystem;
using reckon::bench::ChildRun;
using reckon::bench::run_child;

struct Options {
  std::size_t experiences = 500;
  int days = 90;
  std::string threads = "2";
  std::string draws; // the commands' default unless given
  int runs = 1;
  fs::path dir;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string option = argv[i];
    const std::string value = argv[i + 1];
    if (option == "--experiences") {
      options.experiences = std::stoul(value);
    } else if (option == "--days") {
      options.days = std::stoi(value);
    } else if (option == "--threads") {
      options.threads = value;
    } else if (option == "--draws") {
      options.draws = value;
    } else if (option == "--runs") {
      options.runs = std::stoi(value);
    } else if (option == "--dir") {
      options.dir = value;
    }
  }
  if (options.dir.empty()) {
    options.dir =
        fs::temp_directory_path() / ("reckon_scale_bench." + std::to_string(options.experiences) +
                                     "x" + std::to_string(options.days));
  }
  return options;
}

void print(const char* step, const ChildRun& run) {
  std::printf("%-10s %9.1f %9.1f %12.1f%s\n", step, run.seconds, run.cpu_seconds,
              static_cast<double>(run.peak_kib) / 1024.0,
              run.status == 0 ? "" : "  (reckon failed)");
  std::fflush(stdout);
}

// Writes the scenario, simulates every response the API would give and imports them into
// DIR/store.db, unless it is there from an earlier run. False when a step fails.
bool build_store(const Options& options, const fs::path& store) {
  if (fs::exists(store)) {
    std::printf("reusing %s (delete %s to build it again)\n", store.c_str(), options.dir.c_str());
    return true;
  }
  fs::create_directories(options.dir);
  const fs::path scenario = options.dir / "scenario.json";
  const fs::path responses = options.dir / "responses";
  std::ofstream(scenario) << reckon::bench::scale_scenario(options.experiences, options.days);
  const ChildRun simulated =
      run_child(RECKON_BINARY, {"simulate", "--scenario", scenario.string(), "--out",
                                responses.string(), "--threads", options.threads});
  print("simulate", simulated);
  if (simulated.status != 0) {
    return false;
  }
  std::uintmax_t bytes = 0;
  std::size_t files = 0;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(responses)) {
    if (entry.is_regular_file()) {
      bytes += entry.file_size();
      ++files;
    }
  }
  std::printf("responses: %zu files, %.1f MB\n", files, static_cast<double>(bytes) / 1e6);
  const ChildRun imported =
      run_child(RECKON_BINARY, {"import", responses.string(), "--store", store.string()});
  print("import", imported);
  fs::remove_all(responses);
  return imported.status == 0;
}

} // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  const fs::path store = options.dir / "store.db";
  std::printf("%-10s %9s %9s %12s\n", "step", "wall_s", "cpu_s", "peak_rss_MB");
  if (!build_store(options, store)) {
    return 1;
  }
  std::printf("store: %s, %.1f MB\n", store.c_str(),
              static_cast<double>(fs::file_size(store)) / 1e6);
  std::vector<std::string> common{"--store", store.string(), "--threads", options.threads};
  if (!options.draws.empty()) {
    common.insert(common.end(), {"--draws", options.draws});
  }
  const auto with = [&](std::vector<std::string> arguments) {
    arguments.insert(arguments.end(), common.begin(), common.end());
    return arguments;
  };
  int failed = 0;
  for (int run = 0; run < options.runs; ++run) {
    const ChildRun analyzed =
        run_child(RECKON_BINARY, with({"analyze", "-q"}), (options.dir / "analyze.txt").string());
    print("analyze", analyzed);
    const ChildRun checked =
        run_child(RECKON_BINARY, with({"check", "-q"}), (options.dir / "check.txt").string());
    print("check", checked);
    const ChildRun reported = run_child(
        RECKON_BINARY, with({"report", "-q", "--out", (options.dir / "report").string()}));
    print("report", reported);
    failed += (analyzed.status != 0) + (checked.status != 0) + (reported.status != 0);
  }
  return failed == 0 ? 0 : 1;
}
