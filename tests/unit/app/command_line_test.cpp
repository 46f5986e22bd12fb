#include "command_line.hpp"

#include <gtest/gtest.h>

namespace reckon::app {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(edit_distance("", ""), 0U);
  EXPECT_EQ(edit_distance("analyze", "analyze"), 0U);
  EXPECT_EQ(edit_distance("", "abc"), 3U);
  EXPECT_EQ(edit_distance("analyse", "analyze"), 1U);    // a substitution
  EXPECT_EQ(edit_distance("--thread", "--threads"), 1U); // an insertion
  EXPECT_EQ(edit_distance("segmentss", "segments"), 1U); // a deletion
  EXPECT_EQ(edit_distance("rnus", "runs"), 1U);          // a swap of neighbours
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
  EXPECT_EQ(edit_distance("report", "import"), 2U);
  EXPECT_EQ(edit_distance("abc", "cba"), edit_distance("cba", "abc"));
}

TEST(Nearest, SuggestsOnlyWhatIsCloseEnoughToBeATypo) {
  const std::vector<std::string> commands{"analyze", "check", "import", "export", "segments"};
  EXPECT_EQ(nearest("analyse", commands), "analyze");
  EXPECT_EQ(nearest("segmets", commands), "segments");
  EXPECT_EQ(nearest("chekc", commands), "check");
  EXPECT_EQ(nearest("report", commands), std::nullopt); // two edits in six letters
  EXPECT_EQ(nearest("xyz", commands), std::nullopt);
  EXPECT_EQ(nearest("-x", {"-h", "-o"}), std::nullopt); // a short option is no typo of another
  // The nearest wins over an earlier, farther one.
  EXPECT_EQ(nearest("--thread", {"--threshold", "--threads"}), "--threads");
}

} // namespace
} // namespace reckon::app
