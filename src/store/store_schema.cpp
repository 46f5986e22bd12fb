#include "store_schema.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>

namespace reckon::store {
namespace {

using util::ErrorCode;
using util::make_error;

// Version 1. A request is unique by its canonical text (source, method, path, encoded
// query, body); each response row is one version of its answer, never updated. Bodies are
// BLOBs so that every byte survives, whatever the encoding. Version 1 kept each check run's
// whole results document (~22 MB on the demo account).
constexpr std::string_view k_schema_v1 = R"sql(
CREATE TABLE request (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  query TEXT NOT NULL,
  body BLOB NOT NULL,
  UNIQUE (source, method, path, query, body)
);
CREATE TABLE response (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES request (id),
  fetched_at_ms INTEGER NOT NULL,
  status INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX response_by_request ON response (request_id, fetched_at_ms, id);
CREATE TABLE check_run (
  id INTEGER PRIMARY KEY,
  command TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  label TEXT NOT NULL,
  document TEXT NOT NULL
);
CREATE INDEX check_run_by_time ON check_run (at_ms, id);
)sql";

// Version 1 to 2: a check run keeps only its cells' reported and recomputed numbers. A cell's
// key (experiment, slice, metric, variation) and a field's name are stored once and shared
// by every run; a figure row is then a few integers and two REALs (~30 bytes), in a table
// without rowids clustered by run. check_run keeps its `document` column: the whole results
// documents of runs kept by version 1 stay where they are, readable by `--since` (the store
// cannot read JSON itself) until `reckon store prune` drops them, and later runs leave it
// empty. Moving them instead would copy every byte and double the file until a VACUUM.
// A request gains the local date and zone of a day window, which `fetch --tz` cut (NULL for
// every other request and for windows fetched before).
constexpr std::string_view k_migration_v2 = R"sql(
ALTER TABLE request ADD COLUMN local_date TEXT;
ALTER TABLE request ADD COLUMN time_zone TEXT;
CREATE TABLE check_cell (
  id INTEGER PRIMARY KEY,
  experiment TEXT NOT NULL,
  segment_type TEXT NOT NULL,
  segment TEXT NOT NULL,
  date TEXT NOT NULL,
  metric TEXT NOT NULL,
  variation TEXT NOT NULL,
  UNIQUE (experiment, segment_type, segment, date, metric, variation)
);
CREATE TABLE check_field (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE check_figure (
  run_id INTEGER NOT NULL REFERENCES check_run (id),
  cell_id INTEGER NOT NULL REFERENCES check_cell (id),
  field_id INTEGER NOT NULL REFERENCES check_field (id),
  reported REAL,
  recomputed REAL,
  PRIMARY KEY (run_id, cell_id, field_id)
) WITHOUT ROWID;
)sql";

// Version 2 to 3: `reckon health` keeps its runs, so that "since the last run" (a status
// change, a milestone crossed) is real and a test's status history can be shown. A run is the
// day it judged and when it ran; each of its tests keeps its place in the run, status,
// verdict, runtime and the milestone reported for it (NULL when none), and each reason that set
// the status its rule and severity. Nothing older changes, so a version-2 store reads as one
// without health runs.
constexpr std::string_view k_migration_v3 = R"sql(
CREATE TABLE health_run (
  id INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  as_of TEXT NOT NULL
);
CREATE INDEX health_run_by_time ON health_run (at_ms, id);
CREATE TABLE health_status (
  run_id INTEGER NOT NULL REFERENCES health_run (id),
  experiment TEXT NOT NULL,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  status TEXT NOT NULL,
  verdict TEXT NOT NULL,
  runtime_days INTEGER,
  milestone TEXT,
  PRIMARY KEY (run_id, experiment)
) WITHOUT ROWID;
CREATE INDEX health_status_by_experiment ON health_status (experiment, run_id);
CREATE TABLE health_reason (
  run_id INTEGER NOT NULL REFERENCES health_run (id),
  experiment TEXT NOT NULL,
  position INTEGER NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  PRIMARY KEY (run_id, experiment, position)
) WITHOUT ROWID;
)sql";

// The migration from version i + 1 to i + 2 at index i. A new store runs all of them after
// the version-1 schema, so a new file and a migrated one never differ.
constexpr std::string_view k_migrations[] = {k_migration_v2, k_migration_v3};
static_assert(std::size(k_migrations) + 1 == k_store_schema_version);

bool execute(const sqlite::Database& db, const std::string& sql) {
  return sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

// The single integer a query such as "PRAGMA user_version" returns.
std::optional<std::int64_t> query_integer(const sqlite::Database& db, std::string_view sql) {
  sqlite::Statement statement;
  if (statement.prepare(db.get(), sql) != SQLITE_OK || statement.step() != SQLITE_ROW) {
    return std::nullopt;
  }
  return statement.integer(0);
}

struct SchemaState {
  std::int64_t version = 0;
  std::int64_t application_id = 0;
  std::int64_t objects = 0; // tables, indexes, views and triggers already in the file
};

util::Result<SchemaState> read_state(const std::filesystem::path& file, const sqlite::Database& db,
                                     std::string_view context) {
  const auto version = query_integer(db, "PRAGMA user_version");
  const auto application_id = query_integer(db, "PRAGMA application_id");
  const auto objects = query_integer(db, "SELECT count(*) FROM sqlite_schema");
  if (!version || !application_id || !objects) {
    return store_error(file, context, db);
  }
  return SchemaState{*version, *application_id, *objects};
}

util::Result<void> check_state(const std::filesystem::path& file, const SchemaState& state) {
  if (state.application_id != k_store_application_id &&
      (state.application_id != 0 || state.objects != 0)) {
    return make_error(ErrorCode::io, file.string(),
                      "not a Reckon store (an SQLite database of another program)");
  }
  if (state.version > k_store_schema_version) {
    return make_error(ErrorCode::io, file.string(),
                      "the store has schema version " + std::to_string(state.version) +
                          ", newer than this Reckon reads (" +
                          std::to_string(k_store_schema_version) + "); upgrade Reckon");
  }
  return {};
}

// Creates the schema, or migrates an older one, unless another process did so since we
// looked: the check and every step share one write transaction, so a store is either wholly
// at the old version or wholly at the new one.
util::Result<void> upgrade_schema(const std::filesystem::path& file, const sqlite::Database& db) {
  if (!execute(db, "BEGIN IMMEDIATE")) {
    return store_error(file, "cannot create the store", db);
  }
  const auto fail = [&](std::string_view context) {
    util::Error error = store_error(file, context, db);
    execute(db, "ROLLBACK");
    return error;
  };
  const auto version = query_integer(db, "PRAGMA user_version");
  if (!version) {
    return fail("cannot create the store");
  }
  std::string sql;
  if (*version == 0) {
    sql = std::string(k_schema_v1) +
          "PRAGMA application_id = " + std::to_string(k_store_application_id) + ";\n";
  }
  for (std::int64_t from = std::max<std::int64_t>(*version, 1); from < k_store_schema_version;
       ++from) {
    sql += k_migrations[from - 1];
  }
  if (!sql.empty()) {
    sql += "PRAGMA user_version = " + std::to_string(k_store_schema_version) + ";\n";
    if (!execute(db, sql)) {
      return fail(*version == 0
                      ? "cannot create the store"
                      : "cannot migrate the store from schema version " + std::to_string(*version));
    }
  }
  if (!execute(db, "COMMIT")) {
    return fail("cannot create the store");
  }
  return {};
}

// Whether this process may change the file and create files beside it (SQLite's -wal and
// -shm): false on a read-only mount even for root, whom permissions do not stop.
bool can_write_beside(const std::filesystem::path& file) {
  const std::filesystem::path folder =
      file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  return access(file.c_str(), W_OK) == 0 && access(folder.c_str(), W_OK) == 0;
}

// What went wrong, in words a user can act on: SQLite's own message says "disk I/O error"
// for a full disk and "unable to open database file" for a read-only folder.
std::string failure_of(const std::filesystem::path& file, const sqlite::Database& db) {
  if (db.get() == nullptr) {
    return "out of memory";
  }
  const int code = sqlite3_extended_errcode(db.get());
  const int system = sqlite3_system_errno(db.get());
  if ((code & 0xFF) == SQLITE_FULL || system == ENOSPC || system == EDQUOT) {
    return "the disk is full: free space on the file system that holds the store and run again";
  }
  // SQLite says "unable to open database file" when it cannot create its -wal or -shm.
  if ((code & 0xFF) == SQLITE_READONLY || system == EROFS ||
      ((code & 0xFF) == SQLITE_CANTOPEN && !can_write_beside(file))) {
    return "the store is read-only (its file, its folder or its file system cannot be "
           "written): copy it to a writable folder, or use a command that only reads it "
           "(analyze, check --no-save, export, store runs)";
  }
  if (system == EACCES || system == EPERM) {
    return "permission denied: this user may not use the store file or its folder";
  }
  if ((code & 0xFF) == SQLITE_NOTADB) {
    return "not a Reckon store (the file is not an SQLite database)";
  }
  return db.message();
}

// Whether the store's write-ahead log holds commits not yet copied into the file, which an
// immutable opening would not see.
bool log_pending(const std::filesystem::path& file) {
  std::error_code ignored;
  const auto size = std::filesystem::file_size(file.string() + "-wal", ignored);
  return !ignored && size > 0;
}

// The URI that opens a file which cannot change while it is read: SQLite then takes no locks
// and creates no -shm, which a read-only folder or a full disk would refuse.
std::string immutable_uri(const std::filesystem::path& file) {
  std::string uri = "file:";
  for (const char c : std::filesystem::absolute(file).string()) {
    if (c == '%' || c == '?' || c == '#') {
      static constexpr char k_hex[] = "0123456789ABCDEF";
      const auto byte = static_cast<unsigned char>(c);
      uri += {'%', k_hex[byte >> 4], k_hex[byte & 0xF]};
    } else {
      uri += c;
    }
  }
  return uri + "?immutable=1";
}

util::Error missing_store(const std::filesystem::path& file) {
  return make_error(ErrorCode::io, "",
                    "no store at " + file.string() +
                        " (run `reckon fetch` or `reckon import` first)");
}
} // namespace

util::Error store_error(const std::filesystem::path& file, std::string_view context,
                        const sqlite::Database& db) {
  return make_error(ErrorCode::io, file.string(),
                    std::string(context) + ": " + failure_of(file, db));
}

util::Result<sqlite::Database> open_store_database(const std::filesystem::path& file, bool create) {
  std::error_code ignored;
  if (!create && !std::filesystem::exists(file, ignored)) {
    return missing_store(file);
  }
  sqlite3* handle = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  const int opened = sqlite3_open_v2(file.c_str(), &handle, flags, nullptr);
  sqlite::Database db(handle);
  if (opened != SQLITE_OK) {
    return store_error(file, "cannot open the store", db);
  }
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), k_store_busy_timeout_ms);

  util::Result<SchemaState> state = read_state(file, db, "cannot open the store for writing");
  if (!state) {
    return state.error();
  }
  if (auto checked = check_state(file, *state); !checked) {
    return checked.error();
  }
  if (state->version == 0 && !create) {
    return missing_store(file);
  }
  // WAL commits append to a log that readers ignore until it is complete, so a killed
  // process leaves the last committed state. NORMAL syncs at checkpoints, not every commit:
  // durable against a killed process, at risk only for the last commits on power loss.
  const auto mode = [&]() -> std::string {
    sqlite::Statement statement;
    if (statement.prepare(db.get(), "PRAGMA journal_mode = WAL") != SQLITE_OK ||
        statement.step() != SQLITE_ROW) {
      return {};
    }
    return statement.text(0);
  }();
  if (mode.empty()) {
    return store_error(file, "cannot switch the store to WAL journal mode", db);
  }
  if (mode != "wal") {
    return make_error(ErrorCode::io, file.string(),
                      "cannot switch the store to WAL journal mode: SQLite kept " + mode);
  }
  if (!execute(db, "PRAGMA synchronous = NORMAL") || !execute(db, "PRAGMA foreign_keys = ON")) {
    return store_error(file, "cannot configure the store", db);
  }
  if (state->version < k_store_schema_version) {
    if (auto upgraded = upgrade_schema(file, db); !upgraded) {
      return upgraded.error();
    }
    // Another process may have created a newer schema between our look and our lock.
    state = read_state(file, db, "cannot open the store for writing");
    if (!state) {
      return state.error();
    }
    if (auto checked = check_state(file, *state); !checked) {
      return checked.error();
    }
  }
  return db;
}

} // namespace reckon::store

namespace reckon::store {
namespace {

// A read-only connection and the schema it found.
struct ReadOnly {
  sqlite::Database db;
  SchemaState state;
};

// Opens and reads the schema read-only; `immutable` when nothing can change the file while it
// is read. On failure `system_errno` keeps the operating system's reason.
util::Result<ReadOnly> read_only(const std::filesystem::path& file, bool immutable,
                                 int& system_errno) {
  sqlite3* handle = nullptr;
  const std::string name = immutable ? immutable_uri(file) : file.string();
  const int flags = SQLITE_OPEN_READONLY | (immutable ? SQLITE_OPEN_URI : 0);
  const int opened = sqlite3_open_v2(name.c_str(), &handle, flags, nullptr);
  sqlite::Database db(handle);
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), k_store_busy_timeout_ms);
  util::Result<SchemaState> state = opened == SQLITE_OK
                                        ? read_state(file, db, "cannot read the store")
                                        : store_error(file, "cannot open the store", db);
  if (!state) {
    system_errno = db.get() == nullptr ? 0 : sqlite3_system_errno(db.get());
    return state.error();
  }
  if (auto checked = check_state(file, *state); !checked) {
    return checked.error();
  }
  return ReadOnly{std::move(db), *state};
}

} // namespace

// Nothing else can write a store that this process cannot, so such a store is read as an
// immutable file: no locks, no -shm to create. The same holds on a full disk when no log is
// pending, since a writer could change nothing without growing a file. A pending log (a writer
// killed, or one at work) holds commits that only a normal opening reads.
util::Result<sqlite::Database> open_store_read_only(const std::filesystem::path& file) {
  std::error_code ignored;
  if (!std::filesystem::exists(file, ignored)) {
    return missing_store(file);
  }
  const bool writable = can_write_beside(file);
  const bool pending = log_pending(file);
  int system_errno = 0;
  util::Result<ReadOnly> opened = read_only(file, !writable && !pending, system_errno);
  if (!opened && writable && !pending && (system_errno == ENOSPC || system_errno == EDQUOT)) {
    opened = read_only(file, true, system_errno);
  }
  if (!opened && !writable && pending) {
    return make_error(ErrorCode::io, file.string(),
                      "cannot read the store: its write-ahead log " + file.string() +
                          "-wal holds commits that SQLite reads only where it may write beside "
                          "the store; open it once where it can be written, or copy the store "
                          "with its -wal file to a writable folder");
  }
  if (!opened) {
    return opened.error();
  }
  if (opened->state.version == 0) {
    return missing_store(file);
  }
  if (opened->state.version == k_store_schema_version ||
      (!writable && opened->state.version >= k_store_oldest_readable_version)) {
    return std::move(opened->db);
  }
  if (!writable) {
    return make_error(ErrorCode::io, file.string(),
                      "the store has schema version " + std::to_string(opened->state.version) +
                          ", older than this Reckon reads, and cannot be migrated where it is "
                          "read-only: copy it to a writable folder and run the command there");
  }
  // An older store is migrated once, as every other command would, then read.
  opened->db = sqlite::Database();
  if (auto migrated = open_store_database(file, false); !migrated) {
    return migrated.error();
  }
  opened = read_only(file, false, system_errno);
  if (!opened) {
    return opened.error();
  }
  return std::move(opened->db);
}

} // namespace reckon::store
