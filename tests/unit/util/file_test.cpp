#include "reckon/util/file.hpp"

#include "support/error_matchers.hpp"

#include "support/paths.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace reckon::util {
namespace {

TEST(File, AtomicWriteReplacesContentAndLeavesNoTemporary) {
  const auto dir = test::fresh_temp_dir("file");
  const auto path = dir / "out.json";
  ASSERT_TRUE(write_file_atomically(path, "first"));
  ASSERT_TRUE(write_file_atomically(path, "second"));
  const Result<std::string> read = read_file(path);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, "second");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir),
                          std::filesystem::directory_iterator{}),
            1);
}

TEST(File, AtomicWriteIntoMissingDirectoryFailsWithThePath) {
  const auto path = test::fresh_temp_dir("file") / "missing" / "out.json";
  const Result<void> written = write_file_atomically(path, "x");
  ASSERT_FALSE(written);
  EXPECT_ERROR(written, ErrorCode::io, ::testing::_);
  EXPECT_EQ(written.error().where, path.string());
}

TEST(File, ReadingAMissingFileNamesIt) {
  const auto path = test::fresh_temp_dir("file") / "absent.csv";
  const Result<std::string> read = read_file(path);
  ASSERT_FALSE(read);
  EXPECT_ERROR(read, ErrorCode::io, ::testing::_);
  EXPECT_EQ(read.error().where, path.string());
  EXPECT_NE(read.error().describe().find("absent.csv"), std::string::npos);
}

} // namespace
} // namespace reckon::util
