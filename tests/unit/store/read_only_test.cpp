// Read-only opening (issue 12, defect 7): a store on a read-only file system or a full disk
// is read, and what cannot be done is said in words. Permissions do not stop root, so these
// tests mount a small tmpfs of their own, and are skipped where they cannot.
#include "reckon/store/store.hpp"

#include "support/error_matchers.hpp"
#include "support/paths.hpp"
#include "support/scratch_mount.hpp"

#include "reckon/contract/intelligems.hpp"
#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

namespace reckon::store {
namespace {

using test::contents;
using test::exchange;
using ::testing::HasSubstr;

constexpr std::size_t k_mount_bytes = 1024 * 1024;

// An exchange no store of these tests holds yet, so saving it must write.
contract::ApiExchange fresh_exchange() {
  return exchange("intelligems", "/fresh", {}, "{}", 3'000);
}

std::vector<contract::ApiExchange> two_exchanges() {
  const std::string list(contract::intelligems::experiences_list_path());
  return {exchange("intelligems", list, {{"page", "1"}}, R"({"experiencesList":[]})", 1'000),
          exchange("intelligems", list, {{"page", "2"}}, R"({"experiencesList":[]})", 2'000)};
}

// A store holding two_exchanges(), closed, on `mount`.
std::filesystem::path stored_on(const reckon::test::ScratchMount& mount) {
  const std::filesystem::path file = mount.path() / "reckon.db";
  Store store = test::must_open(file);
  const auto exchanges = two_exchanges();
  EXPECT_TRUE(store.save(exchanges));
  return file;
}

TEST(StoreReadOnly, ReadsAStoreOnAReadOnlyFileSystem) {
  reckon::test::ScratchMount mount(k_mount_bytes);
  if (!mount.available()) {
    GTEST_SKIP() << mount.why_not();
  }
  const std::filesystem::path file = stored_on(mount);
  if (!mount.set_read_only(true)) {
    GTEST_SKIP() << mount.why_not();
  }
  // Before the fix: "cannot read the store: unable to open database file".
  util::Result<Store> store = Store::open_read_only(file);
  ASSERT_TRUE(store) << store.error().describe();
  auto stored = store->latest_all();
  ASSERT_TRUE(stored) << stored.error().describe();
  EXPECT_EQ(contents(*stored), contents(two_exchanges()));
  auto runs = store->runs();
  ASSERT_TRUE(runs) << runs.error().describe();
  EXPECT_TRUE(runs->empty());

  // What needs to write says why it cannot, in words, naming the store.
  const auto more = fresh_exchange();
  EXPECT_ERROR(store->save({&more, 1}), util::ErrorCode::io, HasSubstr("the store is read-only"));
  const util::Result<Store> writable = Store::open_existing(file);
  ASSERT_FALSE(writable);
  EXPECT_EQ(writable.error().where, file.string());
  EXPECT_THAT(writable.error().message, HasSubstr("the store is read-only"));
  EXPECT_THAT(writable.error().message, HasSubstr("check --no-save"));
}

TEST(StoreReadOnly, ReadsAStoreOnAFullDiskAndSaysWhenSavingCannot) {
  reckon::test::ScratchMount mount(k_mount_bytes);
  if (!mount.available()) {
    GTEST_SKIP() << mount.why_not();
  }
  const std::filesystem::path file = stored_on(mount);
  mount.fill();
  // Before the fix: "cannot read the store: disk I/O error".
  util::Result<Store> store = Store::open_read_only(file);
  ASSERT_TRUE(store) << store.error().describe();
  auto stored = store->latest_all();
  ASSERT_TRUE(stored) << stored.error().describe();
  EXPECT_EQ(contents(*stored), contents(two_exchanges()));

  util::Result<Store> writable = Store::open_existing(file);
  const std::string big(256 * 1024, 'x');
  const auto grown = exchange("intelligems", "/big", {}, big, 3'000);
  const util::Result<SaveCounts> saved =
      writable ? writable->save({&grown, 1}) : util::Result<SaveCounts>(writable.error());
  ASSERT_FALSE(saved);
  EXPECT_THAT(saved.error().message, HasSubstr("the disk is full"));
  EXPECT_EQ(saved.error().where, file.string());
}

// A log with commits not yet in the file cannot be read where SQLite may not write its index
// beside it: the message says so and what to do, rather than reading stale data.
TEST(StoreReadOnly, APendingLogInAReadOnlyPlaceIsExplained) {
  reckon::test::ScratchMount mount(k_mount_bytes);
  if (!mount.available()) {
    GTEST_SKIP() << mount.why_not();
  }
  const std::filesystem::path file = stored_on(mount);
  {
    // A writer killed before its checkpoint leaves the log behind: copy the store as it was.
    sqlite3* writer = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &writer), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(writer,
                           "PRAGMA wal_autocheckpoint = 0; UPDATE response SET status = 201",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    std::filesystem::create_directory(mount.path() / "copy");
    std::filesystem::copy_file(file, mount.path() / "copy" / "reckon.db");
    std::filesystem::copy_file(file.string() + "-wal", mount.path() / "copy" / "reckon.db-wal");
    sqlite3_close(writer);
  }
  if (!mount.set_read_only(true)) {
    GTEST_SKIP() << mount.why_not();
  }
  const std::filesystem::path copy = mount.path() / "copy" / "reckon.db";
  const util::Result<Store> store = Store::open_read_only(copy);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().where, copy.string());
  EXPECT_THAT(store.error().message, HasSubstr("write-ahead log " + copy.string() + "-wal"));
  EXPECT_THAT(store.error().message, HasSubstr("copy the store with its -wal file"));
}

TEST(StoreReadOnly, ReadsAWritableStoreWithoutChangingIt) {
  reckon::test::ScratchMount mount(k_mount_bytes);
  const std::filesystem::path dir =
      mount.available() ? mount.path() : reckon::test::fresh_temp_dir("store");
  const std::filesystem::path file = dir / "reckon.db";
  {
    Store store = test::must_open(file);
    const auto exchanges = two_exchanges();
    ASSERT_TRUE(store.save(exchanges));
  }
  util::Result<Store> store = Store::open_read_only(file);
  ASSERT_TRUE(store) << store.error().describe();
  const auto more = fresh_exchange();
  EXPECT_ERROR(store->save({&more, 1}), util::ErrorCode::io, HasSubstr("the store is read-only"));
  EXPECT_ERROR(Store::open_read_only(dir / "absent.db"), util::ErrorCode::io,
               "no store at " + (dir / "absent.db").string() +
                   " (run `reckon fetch` or `reckon import` first)");
  EXPECT_FALSE(std::filesystem::exists(dir / "absent.db"));
}

// An older store is migrated once where it can be written, and refused where it cannot.
TEST(StoreReadOnly, MigratesAnOlderStoreOnlyWhereItCanBeWritten) {
  reckon::test::ScratchMount mount(k_mount_bytes);
  if (!mount.available()) {
    GTEST_SKIP() << mount.why_not();
  }
  const std::filesystem::path old_file = mount.path() / "old.db";
  const std::filesystem::path kept_file = mount.path() / "kept.db";
  test::execute_sql(old_file, test::k_version_1_store);
  test::execute_sql(kept_file, test::k_version_1_store);
  {
    util::Result<Store> store = Store::open_read_only(old_file);
    ASSERT_TRUE(store) << store.error().describe();
    auto stored = store->all();
    ASSERT_TRUE(stored) << stored.error().describe();
    ASSERT_EQ(stored->size(), 1U);
    EXPECT_EQ(stored->front().body, "[]");
  }
  EXPECT_EQ(test::query_sql(old_file, "PRAGMA user_version"), "3");
  if (!mount.set_read_only(true)) {
    GTEST_SKIP() << mount.why_not();
  }
  const util::Result<Store> refused = Store::open_read_only(kept_file);
  EXPECT_ERROR(refused, util::ErrorCode::io,
               HasSubstr("the store has schema version 1, older than this Reckon reads, and "
                         "cannot be migrated where it is read-only"));
}

} // namespace
} // namespace reckon::store
