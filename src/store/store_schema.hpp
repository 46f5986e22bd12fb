#pragma once

#include "reckon/util/result.hpp"
#include "sqlite.hpp"

#include <filesystem>
#include <string_view>

namespace reckon::store {

// The schema this build writes and reads, kept in PRAGMA user_version. A newer file is
// refused rather than misread; an older one is migrated when opened.
inline constexpr std::int64_t k_store_schema_version = 3;
// The oldest schema read as it is where it cannot be migrated (a read-only mount): the later
// versions only added tables, whose readers take a missing one as empty.
inline constexpr std::int64_t k_store_oldest_readable_version = 2;
// PRAGMA application_id of a Reckon store ("RCKN"), so another program's database is refused.
inline constexpr std::int64_t k_store_application_id = 0x52434B4E;
// How long a writer waits for another process's transaction before giving up.
inline constexpr int k_store_busy_timeout_ms = 10'000;

// An io error naming the store file: "<file>: <context>: <SQLite's message>".
util::Error store_error(const std::filesystem::path& file, std::string_view context,
                        const sqlite::Database& db);

// Opens the store's connection, sets WAL, synchronous=NORMAL and the busy timeout, and checks
// the schema, creating it when `create` is set and the file holds none, and migrating an older
// one.
util::Result<sqlite::Database> open_store_database(const std::filesystem::path& file, bool create);

// Opens an existing store read-only: immutable when neither the file nor its folder can be
// written (a read-only mount), or when the disk is full and no log is pending. An older schema
// is migrated first where the file can be written; where it cannot, one no older than
// k_store_oldest_readable_version is read as it is and an older one is refused.
util::Result<sqlite::Database> open_store_read_only(const std::filesystem::path& file);

} // namespace reckon::store
