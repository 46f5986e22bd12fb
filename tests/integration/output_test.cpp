// Where the output goes (SPEC §6, issue 12 defects 1, 2 and 9): `-o` writes through devices and
// FIFOs, follows symlinks, keeps a replaced file's mode, owner and hard links, refuses to
// overwrite an input; a failed write to stdout is exit 3; temporaries never stay behind.
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace reckon::test {
namespace {

const std::filesystem::path k_binary = RECKON_BINARY;

constexpr const char* k_counts =
    "experiment,variation,is_control,segment_type,segment,date,visitors,conversions,revenue\n"
    "e1,a,true,,,,1000,100,5000\n"
    "e1,b,false,,,,1000,120,6100\n";

std::filesystem::path with_counts(const char* purpose) {
  const auto dir = fresh_temp_dir(purpose);
  write_text(dir / "counts.csv", k_counts);
  return dir;
}

ProcessResult analyze(const std::filesystem::path& dir, std::vector<std::string> more,
                      const ProcessOptions& options = {}) {
  std::vector<std::string> args{"analyze", "--counts", "counts.csv", "--draws", "2000"};
  args.insert(args.end(), more.begin(), more.end());
  return run_process(k_binary, args, dir, options);
}

struct stat status_of(const std::filesystem::path& path) {
  struct stat status {};
  EXPECT_EQ(::lstat(path.c_str(), &status), 0) << path;
  return status;
}

// Names in `dir` that look like temporaries of ours.
std::vector<std::string> temporaries_in(const std::filesystem::path& dir) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find("reckon-tmp") != std::string::npos || name.find(".tmp.") != std::string::npos) {
      found.push_back(name);
    }
  }
  return found;
}

TEST(Output, DevicesAreWrittenThroughAndTheirErrorsReported) {
  const auto dir = with_counts("output-device");
  // Device nodes of our own, so that no test ever writes to the system's.
  if (::mknod((dir / "full").c_str(), S_IFCHR | 0666, makedev(1, 7)) != 0 ||
      ::mknod((dir / "null").c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) {
    GTEST_SKIP() << "cannot make device nodes here (mknod needs root and a dev mount)";
  }
  const ProcessResult full = analyze(dir, {"-o", "full"});
  EXPECT_EQ(full.exit_code, 3);
  EXPECT_EQ(full.err, "reckon: full: cannot write: No space left on device\n");
  EXPECT_TRUE(S_ISCHR(status_of(dir / "full").st_mode));

  const ProcessResult null = analyze(dir, {"-o", "null"});
  EXPECT_EQ(null.exit_code, 0) << null.err;
  EXPECT_TRUE(S_ISCHR(status_of(dir / "null").st_mode));
  EXPECT_TRUE(temporaries_in(dir).empty());
}

TEST(Output, AFifosReaderGetsTheWholeOutput) {
  const auto dir = with_counts("output-fifo");
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
  // Our reader is open before reckon's writer, so its open does not wait; the output (a few
  // hundred bytes) fits the pipe's buffer, so its writes do not either.
  const int reader = ::open((dir / "fifo").c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  const ProcessResult written = analyze(dir, {"--format", "csv", "-o", "fifo"});
  std::string received;
  char buffer[4096];
  for (ssize_t got = 0; (got = ::read(reader, buffer, sizeof buffer)) > 0;) {
    received.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(reader);
  ASSERT_EQ(written.exit_code, 0) << written.err;
  const ProcessResult shown = analyze(dir, {"--format", "csv"});
  EXPECT_FALSE(shown.out.empty());
  EXPECT_EQ(received, shown.out);
  EXPECT_TRUE(S_ISFIFO(status_of(dir / "fifo").st_mode));
}

TEST(Output, ASymlinkIsFollowedAndTheReplacedFileKeepsItsModeAndOwner) {
  const auto dir = with_counts("output-link");
  write_text(dir / "kept.csv", "old\n");
  ASSERT_EQ(::chmod((dir / "kept.csv").c_str(), 0600), 0);
  const bool root = ::geteuid() == 0;
  if (root) {
    ASSERT_EQ(::chown((dir / "kept.csv").c_str(), 4321, 4322), 0);
  }
  std::filesystem::create_symlink("kept.csv", dir / "link.csv");

  const ProcessResult result = analyze(dir, {"--format", "csv", "-o", "link.csv"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(S_ISLNK(status_of(dir / "link.csv").st_mode));
  const struct stat kept = status_of(dir / "kept.csv");
  EXPECT_EQ(kept.st_mode & 07777, 0600U);
  if (root) {
    EXPECT_EQ(kept.st_uid, 4321U);
    EXPECT_EQ(kept.st_gid, 4322U);
  }
  EXPECT_EQ(read_text(dir / "kept.csv"), analyze(dir, {"--format", "csv"}).out);
  EXPECT_TRUE(temporaries_in(dir).empty());
}

TEST(Output, AHardLinkedFileIsRewrittenInPlaceSoEveryNameShowsIt) {
  const auto dir = with_counts("output-hard-link");
  write_text(dir / "one.csv", "old\n");
  std::filesystem::create_hard_link(dir / "one.csv", dir / "two.csv");
  const ProcessResult result = analyze(dir, {"--format", "csv", "-o", "one.csv"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(status_of(dir / "one.csv").st_nlink, 2U);
  EXPECT_EQ(status_of(dir / "one.csv").st_ino, status_of(dir / "two.csv").st_ino);
  EXPECT_EQ(read_text(dir / "two.csv"), analyze(dir, {"--format", "csv"}).out);
}

TEST(Output, AnOutputThatIsAnInputIsAUsageErrorNamingBoth) {
  const auto dir = with_counts("output-input");
  std::filesystem::create_symlink("counts.csv", dir / "link.csv");
  std::filesystem::create_hard_link(dir / "counts.csv", dir / "hard.csv");
  for (const char* output : {"counts.csv", "link.csv", "hard.csv", "./counts.csv"}) {
    const ProcessResult result = analyze(dir, {"-o", output});
    EXPECT_EQ(result.exit_code, 2) << output;
    EXPECT_EQ(result.err, std::string("reckon: -o ") + output +
                              ": is the same file as --counts counts.csv, which this command "
                              "reads; name another file\n");
  }
  const ProcessResult junit = run_process(
      k_binary, {"check", "--counts", "counts.csv", "--draws", "2000", "--junit", "hard.csv"}, dir);
  EXPECT_EQ(junit.exit_code, 2);
  EXPECT_NE(junit.err.find("--junit hard.csv: is the same file as --counts counts.csv"),
            std::string::npos)
      << junit.err;
  const ProcessResult twice = run_process(
      k_binary,
      {"check", "--counts", "counts.csv", "--draws", "2000", "-o", "out.txt", "--junit", "out.txt"},
      dir);
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_EQ(twice.err, "reckon: --junit out.txt: is the same file as -o out.txt, another output; "
                       "name another file\n");
  EXPECT_EQ(read_text(dir / "counts.csv"), k_counts);
  EXPECT_FALSE(std::filesystem::exists(dir / "out.txt"));
}

TEST(Output, AStoreInsideTheExportFolderIsAUsageError) {
  const auto dir = fresh_temp_dir("output-export-store");
  std::filesystem::create_directory(dir / "saved");
  ASSERT_EQ(run_process(
                k_binary,
                {"-q", "import", (data_dir() / "demo").string(), "--store", "saved/reckon.db"}, dir)
                .exit_code,
            0);
  const ProcessResult result =
      run_process(k_binary, {"export", "--store", "saved/reckon.db", "--out", "saved"}, dir);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "reckon: --out saved: holds --store saved/reckon.db, which an export "
                        "would replace with the folder; name a folder outside the store's\n");
  EXPECT_TRUE(std::filesystem::exists(dir / "saved" / "reckon.db"));
}

TEST(Output, ASimulationThatWouldOverwriteItsScenarioIsAUsageError) {
  const auto dir = fresh_temp_dir("output-scenario");
  std::filesystem::create_directory(dir / "out");
  const std::string scenario = read_text(data_dir() / "demo" / "scenario.json");
  write_text(dir / "out" / "truth.json", scenario);
  const ProcessResult result =
      run_process(k_binary, {"simulate", "--scenario", "out/truth.json", "--out", "out"}, dir);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "reckon: --out out: would write out/truth.json, the same file as "
                        "--scenario out/truth.json, which this command reads; name another "
                        "folder\n");
  EXPECT_EQ(read_text(dir / "out" / "truth.json"), scenario);
}

TEST(Output, AFailedWriteToStdoutIsExitThree) {
  const auto dir = with_counts("output-stdout");
  ProcessOptions to_full;
  to_full.stdout_to = "/dev/full";
  for (const char* format : {"table", "json", "csv"}) {
    const ProcessResult result = analyze(dir, {"--format", format}, to_full);
    EXPECT_EQ(result.exit_code, 3) << format;
    EXPECT_EQ(result.err,
              "reckon: stdout: cannot write: No space left on device; the output is lost or "
              "incomplete\n")
        << format;
  }
  const ProcessResult check =
      run_process(k_binary, {"check", "--counts", "counts.csv", "--draws", "2000"}, dir, to_full);
  EXPECT_EQ(check.exit_code, 3);
  EXPECT_NE(check.err.find("reckon: stdout: cannot write: No space left on device"),
            std::string::npos)
      << check.err;

  const ProcessResult version = run_process(k_binary, {"--version"}, dir, to_full);
  EXPECT_EQ(version.exit_code, 3);
  EXPECT_EQ(version.err, "reckon: stdout: cannot write: No space left on device; the output is "
                         "lost or incomplete\n");

  ProcessOptions closed;
  closed.close_stdout = true;
  for (const char* format : {"table", "json"}) {
    const ProcessResult result = analyze(dir, {"--format", format}, closed);
    EXPECT_EQ(result.exit_code, 3) << format;
    EXPECT_EQ(result.err,
              "reckon: stdout: cannot write: Bad file descriptor; the output is lost or "
              "incomplete\n");
  }
  // With stdout closed, output to a file is unaffected: only a write to stdout fails.
  const ProcessResult to_file = analyze(dir, {"--format", "csv", "-o", "out.csv"}, closed);
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_EQ(read_text(dir / "out.csv"), analyze(dir, {"--format", "csv"}).out);
}

// A store of the demo account's saved responses (214 of them, about 3 MB) in `dir`.
void demo_store(const std::filesystem::path& dir) {
  ASSERT_EQ(run_process(k_binary,
                        {"-q", "import", (data_dir() / "demo").string(), "--store", "demo.db"}, dir)
                .exit_code,
            0);
}

// A folder as an earlier export leaves it, small enough for a nearly full disk.
void earlier_export(const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder / "intelligems");
  write_text(folder / "manifest.json", R"({"schema": "reckon.simulated-responses/v1", "as_of": )"
                                       R"(null, "responses": []})");
  write_text(folder / "intelligems" / "old.json", "{}");
}

std::vector<std::string> files_in(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    names.push_back(std::filesystem::relative(entry.path(), folder).string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A 64 KiB tmpfs mounted for one test.
class SmallDisk {
public:
  explicit SmallDisk(const std::filesystem::path& path) : m_path(path) {
    std::filesystem::create_directory(path);
    m_mounted = ::mount("tmpfs", path.c_str(), "tmpfs", 0, "size=64k") == 0;
    m_reason = m_mounted ? "" : std::strerror(errno);
  }
  ~SmallDisk() {
    if (m_mounted) {
      ::umount2(m_path.c_str(), MNT_DETACH);
    }
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;
  bool mounted() const { return m_mounted; }
  const std::string& reason() const { return m_reason; }

private:
  std::filesystem::path m_path;
  bool m_mounted = false;
  std::string m_reason;
};

TEST(Output, AFullDiskLeavesEveryOldFileAndFolderAsItWas) {
  const auto dir = fresh_temp_dir("output-full-disk");
  const SmallDisk disk(dir / "disk");
  if (!disk.mounted()) {
    GTEST_SKIP() << "cannot mount a 64 KiB tmpfs (" << disk.reason()
                 << "); mounting needs root or CAP_SYS_ADMIN";
  }
  demo_store(dir);
  earlier_export(dir / "disk" / "saved");
  const std::vector<std::string> before = files_in(dir / "disk" / "saved");
  write_text(dir / "disk" / "out.json", "old");

  const ProcessResult replaced =
      run_process(k_binary, {"export", "--store", "demo.db", "--out", "disk/saved"}, dir);
  EXPECT_EQ(replaced.exit_code, 3);
  EXPECT_EQ(replaced.err.rfind("reckon: disk/saved/", 0), 0U) << replaced.err;
  EXPECT_NE(replaced.err.find(": cannot write: No space left on device (the folder is unchanged)"),
            std::string::npos)
      << replaced.err;
  EXPECT_EQ(files_in(dir / "disk" / "saved"), before);

  const ProcessResult fresh =
      run_process(k_binary, {"export", "--store", "demo.db", "--out", "disk/new"}, dir);
  EXPECT_EQ(fresh.exit_code, 3);
  EXPECT_FALSE(std::filesystem::exists(dir / "disk" / "new"));

  const std::vector<std::string> analyze{
      "analyze",  "--counts", (data_dir() / "demo" / "counts.csv").string(), "--draws", "2000",
      "--format", "json"};
  std::vector<std::string> to_file = analyze;
  to_file.insert(to_file.end(), {"-o", "disk/out.json"});
  const ProcessResult written = run_process(k_binary, to_file, dir);
  EXPECT_EQ(written.exit_code, 3);
  EXPECT_EQ(written.err, "reckon: disk/out.json: cannot write: No space left on device\n");
  EXPECT_EQ(read_text(dir / "disk" / "out.json"), "old");

  ProcessOptions to_disk;
  to_disk.stdout_to = dir / "disk" / "stdout.json";
  const ProcessResult shown = run_process(k_binary, analyze, dir, to_disk);
  EXPECT_EQ(shown.exit_code, 3);
  EXPECT_NE(shown.err.find("reckon: stdout: cannot write: No space left on device"),
            std::string::npos)
      << shown.err;
  EXPECT_TRUE(temporaries_in(dir).empty());
}

// Ended at some moment of an export, by a signal that can be handled and then by one that
// cannot: the folder is always the old export or the new one, never half of one, and no
// temporary stays after the next export.
TEST(Output, AnExportEndedBySignalsLeavesAWholeFolderAndNoTemporaries) {
  const auto dir = fresh_temp_dir("output-signals");
  demo_store(dir);
  earlier_export(dir / "saved");
  const std::vector<std::string> old_files = files_in(dir / "saved");
  ASSERT_EQ(run_process(k_binary, {"-q", "export", "--store", "demo.db", "--out", "whole"}, dir)
                .exit_code,
            0);
  const std::vector<std::string> new_files = files_in(dir / "whole");
  const std::vector<std::string> export_args{"export", "--store", "demo.db", "--out", "saved"};
  for (const int delay_ms : {0, 30, 150, 400, 800}) {
    ChildProcess child(k_binary, export_args, dir);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    child.kill(SIGTERM);
    const ProcessResult ended = child.wait();
    EXPECT_TRUE(ended.exit_code == 0 || ended.signal == SIGTERM) << ended.err;
    EXPECT_TRUE(temporaries_in(dir).empty()) << "after " << delay_ms << " ms";
    const std::vector<std::string> files = files_in(dir / "saved");
    EXPECT_TRUE(files == old_files || files == new_files) << files.size() << " files";
  }
  {
    ChildProcess child(k_binary, export_args, dir);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    child.kill(SIGKILL);
    child.wait();
  }
  const ProcessResult next = run_process(k_binary, export_args, dir);
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_TRUE(temporaries_in(dir).empty());
  EXPECT_TRUE(std::filesystem::exists(dir / "saved" / "manifest.json"));
}

} // namespace
} // namespace reckon::test
