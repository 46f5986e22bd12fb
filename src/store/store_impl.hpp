#pragma once

#include "reckon/store/store.hpp"
#include "sqlite.hpp"
#include "store_schema.hpp"

#include <filesystem>
#include <string_view>
#include <vector>

namespace reckon::store {

// The connection and the statements every call reuses; shared by the exchange half of the
// store (store.cpp) and its check runs (store_runs.cpp).
struct Store::Impl {
  // What saving one exchange did.
  enum class Saved { fresh, replaced, unchanged };

  std::filesystem::path file;
  sqlite::Database db; // declared first, so closed after every statement is finalised
  sqlite::Statement begin, commit, rollback;
  sqlite::Statement find_request, insert_request, annotate_request, find_version, insert_response;
  sqlite::Statement latest, latest_of_source, latest_of_every_source, all;

  util::Error error(std::string_view context) const { return store_error(file, context, db); }
  util::Result<void> prepare_all();
  // Runs a statement that returns no rows.
  bool run_once(sqlite::Statement& statement);
  // Rolls back the transaction in flight and returns `error`. SQLite may have rolled back
  // already (on a full disk, for one), in which case there is no transaction left to end.
  util::Error abandon(util::Error error);

  util::Result<Saved> save_one(const contract::ApiExchange& exchange);
  util::Result<contract::ApiExchange> read_exchange(const sqlite::Statement& statement) const;
  // Every exchange a bound statement returns; the caller holds its Use.
  util::Result<std::vector<contract::ApiExchange>>
  read_exchanges(sqlite::Statement& statement) const;
};

} // namespace reckon::store
