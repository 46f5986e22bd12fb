// `--draws` sized against the memory the process may take: refused past it with the largest
// value that fits, and that value then runs within the same limit.
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/sanitizers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace reckon::test {
namespace {

const std::filesystem::path k_binary = RECKON_BINARY;

// `reckon analyze` of a three-arm experiment under `ulimit -v` (address space, KiB).
ProcessResult analyze_within(const std::string& kib, const std::string& draws) {
  const std::filesystem::path counts =
      data_dir().parent_path() / "tests" / "integration" / "bad_input" / "three-arms.csv";
  return run_process("/bin/sh",
                     {"-c", "ulimit -v " + kib + "; exec \"$0\" \"$@\"", k_binary.string(),
                      "analyze", "--counts", counts.string(), "--threads", "1", "--metric",
                      "conversion_rate", "--draws", draws},
                     fresh_temp_dir("draws-memory"));
}

TEST(BadInputMemory, DrawsBeyondTheAddressSpaceLimitAreRefusedAndTheLargestThatFitsRuns) {
  if (k_address_sanitizer) {
    GTEST_SKIP() << "AddressSanitizer reserves more address space than any ulimit -v leaves";
  }
  const ProcessResult refused = analyze_within("450000", "1000000000");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, ::testing::StartsWith("reckon: --draws: 1000000000 draws need about "));
  EXPECT_THAT(refused.err, ::testing::HasSubstr("(ulimit -v, RLIMIT_AS)"));
  EXPECT_THAT(refused.err, ::testing::Not(::testing::HasSubstr("bad_alloc")));
  std::smatch largest;
  ASSERT_TRUE(std::regex_search(refused.err, largest,
                                std::regex("the largest --draws that fits is ([0-9]+)")))
      << refused.err;
  const ProcessResult fits = analyze_within("450000", largest[1]);
  EXPECT_EQ(fits.exit_code, 0) << fits.err;
  EXPECT_THAT(fits.out, ::testing::HasSubstr("conversion_rate"));
}

} // namespace
} // namespace reckon::test
