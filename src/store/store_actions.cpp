#include "reckon/store/store.hpp"

#include "sqlite.hpp"
#include "store_impl.hpp"

#include <cassert>

// The actions half of the store: the changes Reckon made to a vendor's state. The table is
// created with the first action, so a store that never acted keeps its schema unchanged and
// no schema version is spent on a table most stores never need.
namespace reckon::store {
namespace {

constexpr const char* k_create_actions = "CREATE TABLE IF NOT EXISTS action ("
                                         "id INTEGER PRIMARY KEY, "
                                         "at_ms INTEGER NOT NULL, "
                                         "action TEXT NOT NULL, "
                                         "experiment TEXT NOT NULL, "
                                         "reason TEXT NOT NULL, "
                                         "outcome TEXT NOT NULL)";
constexpr const char* k_insert_action =
    "INSERT INTO action (at_ms, action, experiment, reason, outcome) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char* k_has_actions =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'action'";
constexpr const char* k_all_actions =
    "SELECT id, at_ms, action, experiment, reason, outcome FROM action ORDER BY at_ms, id";

} // namespace

util::Result<std::int64_t> Store::add_action(const StoredAction& action) {
  assert(m_impl);
  Impl& impl = *m_impl;
  if (!impl.run_once(impl.begin)) {
    return impl.error("cannot start recording the action");
  }
  sqlite::Statement create;
  sqlite::Statement insert;
  if (create.prepare(impl.db.get(), k_create_actions) != SQLITE_OK ||
      create.step() != SQLITE_DONE || insert.prepare(impl.db.get(), k_insert_action) != SQLITE_OK) {
    return impl.abandon(impl.error("cannot record the action"));
  }
  insert.bind(1, action.at_ms)
      .bind_text(2, action.action)
      .bind_text(3, action.experiment)
      .bind_text(4, action.reason)
      .bind_text(5, action.outcome);
  if (insert.step() != SQLITE_DONE) {
    return impl.abandon(impl.error("cannot record the action"));
  }
  const std::int64_t id = sqlite3_last_insert_rowid(impl.db.get());
  if (!impl.run_once(impl.commit)) {
    return impl.abandon(impl.error("cannot commit the action"));
  }
  return id;
}

util::Result<std::vector<StoredAction>> Store::actions() const {
  assert(m_impl);
  const Impl& impl = *m_impl;
  sqlite::Statement exists;
  if (exists.prepare(impl.db.get(), k_has_actions) != SQLITE_OK || exists.step() != SQLITE_ROW) {
    return impl.error("cannot read the actions");
  }
  std::vector<StoredAction> actions;
  if (exists.integer(0) == 0) {
    return actions;
  }
  sqlite::Statement all;
  if (all.prepare(impl.db.get(), k_all_actions) != SQLITE_OK) {
    return impl.error("cannot read the actions");
  }
  int step = SQLITE_ROW;
  while ((step = all.step()) == SQLITE_ROW) {
    actions.push_back(
        {all.integer(0), all.integer(1), all.text(2), all.text(3), all.text(4), all.text(5)});
  }
  if (step != SQLITE_DONE) {
    return impl.error("cannot read the actions");
  }
  return actions;
}

} // namespace reckon::store
