// `mpirun -np N reckon analyze` (issue 17): the ranks share the experiments and rank 0 writes
// one output, the same bytes as one process writes apart from the engine block's threads and
// ranks, for a counts CSV and a store, in every format.
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#ifndef RECKON_MPIEXEC
#error "RECKON_MPIEXEC must name mpirun"
#endif

namespace reckon::test {
namespace {

const std::filesystem::path k_binary = RECKON_BINARY;

// The JSON without the engine's lines that say how the job ran.
std::string without_run_lines(std::string json) {
  for (const std::string key : {"    \"threads\": ", "    \"ranks\": "}) {
    if (const std::size_t at = json.find(key); at != std::string::npos) {
      json.erase(at, json.find('\n', at) + 1 - at);
    }
  }
  return json;
}

ProcessResult run_ranks(std::size_t ranks, const std::vector<std::string>& analyze,
                        const std::filesystem::path& dir) {
  std::vector<std::string> args{"-np", std::to_string(ranks), "--oversubscribe"};
  if (::geteuid() == 0) {
    args.emplace_back("--allow-run-as-root");
  }
  args.push_back(k_binary.string());
  args.insert(args.end(), analyze.begin(), analyze.end());
  return run_process(RECKON_MPIEXEC, args, dir);
}

class MpiAnalyze : public ::testing::TestWithParam<std::string> {};

void expect_same_output(const std::vector<std::string>& input, const std::string& format,
                        const std::filesystem::path& dir) {
  std::vector<std::string> common{"analyze", "--format", format, "--draws", "4000", "--seed", "11"};
  common.insert(common.end(), input.begin(), input.end());
  std::vector<std::string> alone = common;
  alone.insert(alone.end(), {"--threads", "1", "-o", "alone." + format});
  const ProcessResult one = run_process(k_binary, alone, dir);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const std::string expected = read_text(dir / ("alone." + format));
  ASSERT_GT(expected.size(), 1000U);
  for (const std::size_t ranks : {2U, 3U}) {
    const std::string name = "ranks" + std::to_string(ranks) + "." + format;
    std::vector<std::string> shared = common;
    shared.insert(shared.end(), {"--threads", "2", "-o", name});
    const ProcessResult job = run_ranks(ranks, shared, dir);
    ASSERT_EQ(job.exit_code, 0) << job.err;
    const std::string written = read_text(dir / name);
    if (format == "json") {
      EXPECT_NE(written.find("\"ranks\": " + std::to_string(ranks) + ",\n"), std::string::npos);
      EXPECT_EQ(without_run_lines(written), without_run_lines(expected)) << ranks << " ranks";
    } else {
      EXPECT_EQ(written, expected) << ranks << " ranks";
    }
  }
}

TEST_P(MpiAnalyze, RanksWriteWhatOneProcessWritesFromACountsCsv) {
  const auto dir = fresh_temp_dir("mpi_counts");
  expect_same_output({"--counts", (data_dir() / "demo" / "counts.csv").string()}, GetParam(), dir);
}

TEST_P(MpiAnalyze, RanksWriteWhatOneProcessWritesFromAStore) {
  const auto dir = fresh_temp_dir("mpi_store");
  const ProcessResult imported = run_process(
      k_binary, {"-q", "import", (data_dir() / "demo").string(), "--store", "demo.db"}, dir);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  expect_same_output({"--store", "demo.db"}, GetParam(), dir);
}

INSTANTIATE_TEST_SUITE_P(EveryFormat, MpiAnalyze, ::testing::Values("json", "csv", "table"));

} // namespace
} // namespace reckon::test
