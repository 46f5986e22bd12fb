#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/store/store.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace reckon::store::test {

// A store of schema version 1, as Reckon wrote it, holding one response and one check run.
inline constexpr const char* k_version_1_store = R"sql(
CREATE TABLE request (
  id INTEGER PRIMARY KEY, source TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
  query TEXT NOT NULL, body BLOB NOT NULL, UNIQUE (source, method, path, query, body));
CREATE TABLE response (
  id INTEGER PRIMARY KEY, request_id INTEGER NOT NULL REFERENCES request (id),
  fetched_at_ms INTEGER NOT NULL, status INTEGER NOT NULL, body BLOB NOT NULL);
CREATE INDEX response_by_request ON response (request_id, fetched_at_ms, id);
CREATE TABLE check_run (
  id INTEGER PRIMARY KEY, command TEXT NOT NULL, at_ms INTEGER NOT NULL, label TEXT NOT NULL,
  document TEXT NOT NULL);
CREATE INDEX check_run_by_time ON check_run (at_ms, id);
PRAGMA application_id = 1380141902;
PRAGMA user_version = 1;
INSERT INTO request VALUES (1, 'bandit', 'GET', '/experiments', '', X'');
INSERT INTO response VALUES (1, 1, 7, 200, CAST('[]' AS BLOB));
INSERT INTO check_run VALUES (1, 'check', 5, 'reckon check', '{"schema":"reckon.results/v1"}');
)sql";

// A store of schema version 2, as Reckon wrote it before health runs were kept: a response of
// a day window and a check run with one figure.
inline constexpr const char* k_version_2_store = R"sql(
CREATE TABLE request (
  id INTEGER PRIMARY KEY, source TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
  query TEXT NOT NULL, body BLOB NOT NULL, local_date TEXT, time_zone TEXT,
  UNIQUE (source, method, path, query, body));
CREATE TABLE response (
  id INTEGER PRIMARY KEY, request_id INTEGER NOT NULL REFERENCES request (id),
  fetched_at_ms INTEGER NOT NULL, status INTEGER NOT NULL, body BLOB NOT NULL);
CREATE INDEX response_by_request ON response (request_id, fetched_at_ms, id);
CREATE TABLE check_run (
  id INTEGER PRIMARY KEY, command TEXT NOT NULL, at_ms INTEGER NOT NULL, label TEXT NOT NULL,
  document TEXT NOT NULL);
CREATE INDEX check_run_by_time ON check_run (at_ms, id);
CREATE TABLE check_cell (
  id INTEGER PRIMARY KEY, experiment TEXT NOT NULL, segment_type TEXT NOT NULL,
  segment TEXT NOT NULL, date TEXT NOT NULL, metric TEXT NOT NULL, variation TEXT NOT NULL,
  UNIQUE (experiment, segment_type, segment, date, metric, variation));
CREATE TABLE check_field (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE check_figure (
  run_id INTEGER NOT NULL REFERENCES check_run (id),
  cell_id INTEGER NOT NULL REFERENCES check_cell (id),
  field_id INTEGER NOT NULL REFERENCES check_field (id),
  reported REAL, recomputed REAL, PRIMARY KEY (run_id, cell_id, field_id)) WITHOUT ROWID;
PRAGMA application_id = 1380141902;
PRAGMA user_version = 2;
INSERT INTO request VALUES (1, 'intelligems', 'POST', '/analytics/resource/e', '',
  CAST('{}' AS BLOB), '2026-09-01', 'UTC');
INSERT INTO response VALUES (1, 1, 7, 200, CAST('{"day":1}' AS BLOB));
INSERT INTO check_run VALUES (1, 'check', 5, 'reckon check', '');
INSERT INTO check_cell VALUES (1, 'e', '', '', '', 'conversion_rate', 'control');
INSERT INTO check_field VALUES (1, 'p2bb');
INSERT INTO check_figure VALUES (1, 1, 1, 0.25, 0.5);
)sql";

// The store at `file`, created if missing; a test that cannot open it fails and stops there.
Store must_open(const std::filesystem::path& file);

// An exchange of `source` for GET `path` with the given query, answered by `body`.
contract::ApiExchange exchange(std::string source, std::string path,
                               std::vector<std::pair<std::string, std::string>> query,
                               std::string body, std::int64_t fetched_at_ms, int status = 200);

// Everything an exchange says (its request's day window included) except its origin (which says
// where a copy was read, not what it is), as readable text with unprintable bytes escaped, so tests
// compare and show it.
std::string contents(const contract::ApiExchange& exchange);
std::vector<std::string> contents(const std::vector<contract::ApiExchange>& exchanges);

// Raw SQL on a store file through a connection of the test's own, for what the Store API
// rightly does not offer: planting faults, another program's locks, newer schemas.
void execute_sql(const std::filesystem::path& file, const std::string& sql);
std::string query_sql(const std::filesystem::path& file, const std::string& sql);

// Another connection holding the store's write lock, as a concurrent `reckon fetch` would,
// until release() or destruction.
class WriteLock {
public:
  explicit WriteLock(const std::filesystem::path& file);
  ~WriteLock();
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;
  void release();

private:
  sqlite3* m_db = nullptr;
  bool m_held = false;
};

// Reads a folder in the `reckon simulate` layout (manifest.json plus body files) back into
// exchanges, as `reckon import` will: a stand-in for the parse module in these tests. An
// entry without `fetched_at_ms` takes `default_fetched_at_ms`.
std::vector<contract::ApiExchange> read_response_folder(const std::filesystem::path& dir,
                                                        std::int64_t default_fetched_at_ms);

} // namespace reckon::store::test
