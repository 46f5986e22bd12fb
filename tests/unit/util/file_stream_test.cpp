#include "reckon/util/file.hpp"

#include "support/paths.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <sys/stat.h>

namespace reckon::util {
namespace {

// Puts "piece 0", "piece 1", ... one at a time; fails after `fail_after` pieces when set.
ContentProducer pieces(int count, int fail_after = -1) {
  return [count, fail_after](const std::function<Result<void>(std::string_view)>& put) {
    for (int i = 0; i < count; ++i) {
      if (i == fail_after) {
        return Result<void>(make_error(ErrorCode::bad_input, "piece", "went wrong"));
      }
      if (auto done = put("piece " + std::to_string(i) + "\n"); !done) {
        return done;
      }
    }
    return Result<void>();
  };
}

std::size_t entries(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                                std::filesystem::directory_iterator{}));
}

TEST(FileStream, WritesEveryPieceInOrderAndLeavesNoTemporary) {
  const auto dir = test::fresh_temp_dir("file_stream");
  const auto path = dir / "out.csv";
  ASSERT_TRUE(write_file_atomically(path, "old"));
  ASSERT_TRUE(write_file_atomically(path, pieces(3)));
  EXPECT_EQ(*read_file(path), "piece 0\npiece 1\npiece 2\n");
  EXPECT_EQ(entries(dir), 1U);
}

TEST(FileStream, AFailedProducerLeavesTheTargetAsItWasWithItsError) {
  const auto dir = test::fresh_temp_dir("file_stream");
  const auto path = dir / "out.csv";
  ASSERT_TRUE(write_file_atomically(path, "old"));
  const Result<void> written = write_file_atomically(path, pieces(3, 2));
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().where, "piece");
  EXPECT_EQ(*read_file(path), "old");
  EXPECT_EQ(entries(dir), 1U);
}

TEST(FileStream, AFileWithOtherLinksKeepsItsInode) {
  const auto dir = test::fresh_temp_dir("file_stream");
  const auto path = dir / "out.csv";
  ASSERT_TRUE(write_file_atomically(path, "a much longer old content than the new one\n"));
  std::filesystem::create_hard_link(path, dir / "link.csv");
  ASSERT_TRUE(write_file_atomically(path, pieces(2)));
  EXPECT_EQ(*read_file(dir / "link.csv"), "piece 0\npiece 1\n");
  EXPECT_EQ(entries(dir), 2U);
}

} // namespace
} // namespace reckon::util
