#include "reckon/util/file.hpp"
#include "reckon/util/temporary_files.hpp"

#include "support/error_matchers.hpp"

#include "support/paths.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

std::vector<std::string> names_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(File, AReplacedFileKeepsItsModeAndANewOneTakesTheUmask) {
  const auto dir = test::fresh_temp_dir("file");
  ASSERT_TRUE(write_file_atomically(dir / "private", "one"));
  ASSERT_EQ(::chmod((dir / "private").c_str(), 0640), 0);
  ASSERT_TRUE(write_file_atomically(dir / "private", "two"));
  struct stat status {};
  ASSERT_EQ(::stat((dir / "private").c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0640U);
  EXPECT_EQ(*read_file(dir / "private"), "two");

  const mode_t mask = ::umask(027);
  const Result<void> written = write_file_atomically(dir / "new", "x");
  ::umask(mask);
  ASSERT_TRUE(written);
  ASSERT_EQ(::stat((dir / "new").c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0640U);
}

TEST(File, ALinkIsFollowedToItsTargetEvenOneNotWrittenYet) {
  const auto dir = test::fresh_temp_dir("file");
  std::filesystem::create_directory(dir / "real");
  std::filesystem::create_symlink("real/target.txt", dir / "link.txt");
  ASSERT_TRUE(write_file_atomically(dir / "link.txt", "first"));
  ASSERT_TRUE(write_file_atomically(dir / "link.txt", "second"));
  EXPECT_TRUE(std::filesystem::is_symlink(dir / "link.txt"));
  EXPECT_EQ(*read_file(dir / "real" / "target.txt"), "second");
  EXPECT_EQ(names_in(dir / "real"), std::vector<std::string>{"target.txt"});
}

TEST(File, ALoopOfLinksAndAFolderAreIoErrors) {
  const auto dir = test::fresh_temp_dir("file");
  std::filesystem::create_symlink("b", dir / "a");
  std::filesystem::create_symlink("a", dir / "b");
  EXPECT_ERROR(write_file_atomically(dir / "a", "x"), ErrorCode::io,
               "too many levels of symbolic links");
  EXPECT_ERROR(write_file_atomically(dir, "x"), ErrorCode::io, "is a folder: name a file to write");
}

TEST(File, StaleTemporariesOfDeadWritersAreRemovedByTheNextWrite) {
  const auto dir = test::fresh_temp_dir("file");
  // A pid that runs no process: a child we started and reaped.
  const pid_t child = ::fork();
  if (child == 0) {
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  const std::string dead = ".out.json.reckon-tmp." + std::to_string(child) + ".abc123";
  const std::string alive = ".out.json.reckon-tmp." + std::to_string(::getpid()) + ".abc123";
  const std::string old_alive = ".out.json.reckon-tmp." + std::to_string(::getpid()) + ".old000";
  const std::string other_target = ".other.json.reckon-tmp." + std::to_string(child) + ".abc123";
  const std::string not_ours = ".out.json.reckon-tmp." + std::to_string(child) + ".x";
  for (const std::string& name : {dead, alive, old_alive, other_target, not_ours}) {
    ASSERT_TRUE(write_new_file(dir / name, "partial"));
  }
  std::filesystem::create_directory(dir /
                                    (".out.json.reckon-tmp." + std::to_string(child) + ".dir000"));
  std::filesystem::last_write_time(dir / old_alive, std::filesystem::file_time_type::clock::now() -
                                                        k_stale_temporary_age -
                                                        std::chrono::minutes(1));
  ASSERT_TRUE(write_file_atomically(dir / "out.json", "{}"));
  std::vector<std::string> expected{alive, other_target, not_ours, "out.json"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names_in(dir), expected);
}

TEST(File, ReplaceFolderKeepsTheOldFolderUntilTheNewOneIsComplete) {
  const auto dir = test::fresh_temp_dir("file");
  const auto target = dir / "out";
  ASSERT_TRUE(replace_folder(target, [](const std::filesystem::path& fresh) {
    return write_new_file(fresh / "old.txt", "old");
  }));
  const Result<void> failed = replace_folder(target, [](const std::filesystem::path& fresh) {
    EXPECT_TRUE(write_new_file(fresh / "new.txt", "new"));
    return Result<void>(make_error(ErrorCode::io, (fresh / "new.txt").string(), "full"));
  });
  EXPECT_ERROR(failed, ErrorCode::io, "full (the folder is unchanged)");
  EXPECT_EQ(failed.error().where, (target / "new.txt").string());
  EXPECT_EQ(names_in(target), std::vector<std::string>{"old.txt"});
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"out"});

  ASSERT_EQ(::chmod(target.c_str(), 0700), 0);
  std::filesystem::create_symlink("out", dir / "link");
  ASSERT_TRUE(replace_folder(dir / "link/", [](const std::filesystem::path& fresh) {
    return write_new_file(fresh / "new.txt", "new");
  }));
  EXPECT_EQ(names_in(target), std::vector<std::string>{"new.txt"});
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"link", "out"}));
  EXPECT_TRUE(std::filesystem::is_symlink(dir / "link"));
  struct stat status {};
  ASSERT_EQ(::stat(target.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0700U);
}

TEST(File, SameFileSeesThroughLinks) {
  const auto dir = test::fresh_temp_dir("file");
  ASSERT_TRUE(write_new_file(dir / "a", "x"));
  std::filesystem::create_symlink("a", dir / "soft");
  std::filesystem::create_hard_link(dir / "a", dir / "hard");
  ASSERT_TRUE(write_new_file(dir / "b", "x"));
  EXPECT_TRUE(same_file(dir / "soft", dir / "hard"));
  EXPECT_FALSE(same_file(dir / "a", dir / "b"));
  EXPECT_FALSE(same_file(dir / "a", dir / "absent"));
  EXPECT_ERROR(write_new_file(dir / "a", "y"), ErrorCode::io, "cannot create: File exists");
}

// A death test: the child makes a temporary and is ended by SIGTERM as a user would end it.
TEST(TemporaryFilesDeathTest, ATerminationSignalRemovesTemporariesInFlight) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const auto dir = test::fresh_temp_dir("file");
  for (const int signal_number : {SIGTERM, SIGINT}) {
    EXPECT_EXIT(
        {
          remove_temporaries_on_signals();
          Result<Temporary> file = Temporary::create_file(dir / "out.json");
          Result<Temporary> folder = Temporary::create_folder(dir / "export");
          if (!file || !folder || !write_new_file(folder->path() / "a.json", "{}")) {
            ::_exit(1);
          }
          std::filesystem::create_directories(folder->path() / "deep" / "er");
          if (!write_new_file(folder->path() / "deep" / "er" / "b.json", "{}")) {
            ::_exit(1);
          }
          ::raise(signal_number);
          ::_exit(2); // not reached: the signal ends the process
        },
        ::testing::KilledBySignal(signal_number), "");
    EXPECT_EQ(names_in(dir), std::vector<std::string>{});
  }
}

} // namespace
} // namespace reckon::util
