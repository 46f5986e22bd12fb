// Issue 12, defect 7: a store on a read-only file system or a full disk is read by the
// commands that only read, and the others say what is wrong in words. Permissions do not stop
// root, so the test mounts a small tmpfs of its own, and is skipped where it cannot.
#include "fetch_harness.hpp"

#include "support/scratch_mount.hpp"

namespace reckon::test::fetch_tests {
namespace {

constexpr std::size_t k_mount_bytes = 16 * 1024 * 1024; // the demo store takes about 10 MB

ProcessResult reckon_on(const std::filesystem::path& store, std::vector<std::string> args) {
  args.insert(args.end(), {"--store", store.string()});
  return run_process(k_binary, args, store.parent_path().parent_path());
}

// What a read of the store prints, as read from a writable copy: the reference.
struct Reads {
  std::string analysed;
  std::string runs;
};

Reads reads_of(const std::filesystem::path& store) {
  const ProcessResult analysed =
      reckon_on(store, {"analyze", "--draws", "1000", "--format", "csv"});
  EXPECT_EQ(analysed.exit_code, 0) << analysed.err;
  const ProcessResult runs = reckon_on(store, {"store", "runs"});
  EXPECT_EQ(runs.exit_code, 0) << runs.err;
  return {analysed.out, runs.out};
}

TEST(FetchStoreAccess, AReadOnlyStoreIsReadAndWritesSayWhy) {
  ScratchMount mount(k_mount_bytes);
  if (!mount.available()) {
    GTEST_SKIP() << mount.why_not();
  }
  const std::filesystem::path store = mount.path() / "reckon.db";
  ASSERT_EQ(reckon_on(store, {"import", (data_dir() / "demo").string()}).exit_code, 0);
  const Reads writable = reads_of(store);
  if (!mount.set_read_only(true)) {
    GTEST_SKIP() << mount.why_not();
  }
  // Before the fix: "cannot read the store: unable to open database file", exit 3.
  const Reads read_only = reads_of(store);
  EXPECT_EQ(read_only.analysed, writable.analysed);
  EXPECT_EQ(read_only.runs, writable.runs);
  const std::filesystem::path out = fresh_temp_dir("read-only-export") / "out";
  EXPECT_EQ(reckon_on(store, {"export", "--out", out.string()}).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(out / "manifest.json"));
  EXPECT_EQ(reckon_on(store, {"check", "--draws", "1000", "--no-save"}).exit_code, 0);

  // Keeping a check run, importing and fetching need to write: they say so and what to do.
  const ProcessResult checked = reckon_on(store, {"check", "--draws", "1000"});
  EXPECT_EQ(checked.exit_code, 3);
  EXPECT_THAT(checked.err, HasSubstr("reckon: " + store.string() + ": "));
  EXPECT_THAT(checked.err, HasSubstr("the store is read-only (its file, its folder or its file "
                                     "system cannot be written)"));
  EXPECT_THAT(checked.err, HasSubstr("check --no-save"));
  const ProcessResult imported = reckon_on(store, {"import", (data_dir() / "demo").string()});
  EXPECT_EQ(imported.exit_code, 3);
  EXPECT_THAT(imported.err, HasSubstr("the store is read-only"));
}

TEST(FetchStoreAccess, AStoreOnAFullDiskIsReadAndWritesSayTheDiskIsFull) {
  ScratchMount mount(k_mount_bytes);
  if (!mount.available()) {
    GTEST_SKIP() << mount.why_not();
  }
  const std::filesystem::path store = mount.path() / "reckon.db";
  ASSERT_EQ(reckon_on(store, {"import", (data_dir() / "demo").string()}).exit_code, 0);
  const Reads before = reads_of(store);
  mount.fill();
  // Before the fix: "cannot read the store: disk I/O error", exit 3.
  const Reads full = reads_of(store);
  EXPECT_EQ(full.analysed, before.analysed);
  EXPECT_EQ(full.runs, before.runs);
  const ProcessResult checked = reckon_on(store, {"check", "--draws", "1000"});
  EXPECT_EQ(checked.exit_code, 3);
  EXPECT_THAT(checked.err, HasSubstr("reckon: " + store.string() + ": "));
  EXPECT_THAT(checked.err, HasSubstr("the disk is full: free space on the file system that "
                                     "holds the store and run again"));
}

} // namespace
} // namespace reckon::test::fetch_tests
