#include "reckon/store/store.hpp"

#include "sqlite.hpp"
#include "store_impl.hpp"

#include <cassert>
#include <map>
#include <utility>

// The health half of the store: `reckon health`'s runs, one per command, so their statements
// are prepared where they are used, as check runs' are.
namespace reckon::store {
namespace {

constexpr const char* k_insert_run = "INSERT INTO health_run (at_ms, as_of) VALUES (?1, ?2)";
constexpr const char* k_insert_status =
    "INSERT INTO health_status (run_id, experiment, name, position, status, verdict, "
    "runtime_days, milestone) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* k_insert_reason =
    "INSERT INTO health_reason (run_id, experiment, position, rule, severity) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
// A store of schema version 2 read where it cannot be migrated has no health tables.
constexpr const char* k_has_runs =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'health_run'";
constexpr const char* k_all_runs = "SELECT id, at_ms, as_of FROM health_run ORDER BY at_ms, id";
// ?1 = '' selects every test; no experiment id is empty.
constexpr const char* k_statuses =
    "SELECT run_id, experiment, name, status, verdict, runtime_days, milestone FROM health_status "
    "WHERE ?1 = '' OR experiment = ?1 ORDER BY run_id, position";
constexpr const char* k_reasons = "SELECT run_id, experiment, rule, severity FROM health_reason "
                                  "WHERE ?1 = '' OR experiment = ?1 ORDER BY run_id, position";

// Inserts one test of run `run_id` with its reasons; false on any failure.
bool insert_status(sqlite::Database& db, std::int64_t run_id, std::int64_t position,
                   const KeptHealthStatus& test) {
  sqlite::Statement status;
  if (status.prepare(db.get(), k_insert_status) != SQLITE_OK) {
    return false;
  }
  status.bind(1, run_id)
      .bind_text(2, test.experiment)
      .bind_text(3, test.name)
      .bind(4, position)
      .bind_text(5, test.status)
      .bind_text(6, test.verdict);
  if (test.runtime_days) {
    status.bind(7, *test.runtime_days);
  }
  if (!test.milestone.empty()) {
    status.bind_text(8, test.milestone);
  }
  if (status.step() != SQLITE_DONE) {
    return false;
  }
  sqlite::Statement reason;
  if (reason.prepare(db.get(), k_insert_reason) != SQLITE_OK) {
    return false;
  }
  for (std::size_t i = 0; i < test.reasons.size(); ++i) {
    const sqlite::Use use(reason);
    reason.bind(1, run_id)
        .bind_text(2, test.experiment)
        .bind(3, static_cast<std::int64_t>(i))
        .bind_text(4, test.reasons[i].rule)
        .bind_text(5, test.reasons[i].severity);
    if (reason.step() != SQLITE_DONE) {
      return false;
    }
  }
  return true;
}

// Calls `row` on each row of `statement`; false when a step failed.
template <typename Row>
bool each_row(sqlite::Statement& statement, const Row& row) {
  int step = SQLITE_ROW;
  while ((step = statement.step()) == SQLITE_ROW) {
    row(statement);
  }
  return step == SQLITE_DONE;
}

} // namespace

util::Result<std::int64_t> Store::add_health_run(const KeptHealthRun& run) {
  assert(m_impl);
  Impl& impl = *m_impl;
  if (!impl.run_once(impl.begin)) {
    return impl.error("cannot start keeping the health run");
  }
  sqlite::Statement insert;
  if (insert.prepare(impl.db.get(), k_insert_run) != SQLITE_OK) {
    return impl.abandon(impl.error("cannot keep the health run"));
  }
  insert.bind(1, run.at_ms).bind_text(2, run.as_of);
  if (insert.step() != SQLITE_DONE) {
    return impl.abandon(impl.error("cannot keep the health run"));
  }
  const std::int64_t id = sqlite3_last_insert_rowid(impl.db.get());
  for (std::size_t i = 0; i < run.tests.size(); ++i) {
    if (!insert_status(impl.db, id, static_cast<std::int64_t>(i), run.tests[i])) {
      return impl.abandon(impl.error("cannot keep the health run"));
    }
  }
  if (!impl.run_once(impl.commit)) {
    return impl.abandon(impl.error("cannot commit the health run"));
  }
  return id;
}

util::Result<std::vector<KeptHealthRun>>
Store::health_runs(std::optional<std::string_view> experiment) const {
  assert(m_impl);
  const Impl& impl = *m_impl;
  const auto failed = [&impl] { return impl.error("cannot read the health runs"); };
  sqlite::Statement exists;
  if (exists.prepare(impl.db.get(), k_has_runs) != SQLITE_OK || exists.step() != SQLITE_ROW) {
    return failed();
  }
  std::vector<KeptHealthRun> runs;
  if (exists.integer(0) == 0) {
    return runs;
  }
  // A run kept between these reads may show only in part; its tests then find no run.
  sqlite::Statement all;
  sqlite::Statement statuses;
  sqlite::Statement reasons;
  if (all.prepare(impl.db.get(), k_all_runs) != SQLITE_OK ||
      statuses.prepare(impl.db.get(), k_statuses) != SQLITE_OK ||
      reasons.prepare(impl.db.get(), k_reasons) != SQLITE_OK) {
    return failed();
  }
  std::map<std::int64_t, std::size_t> run_index;
  const bool read_runs = each_row(all, [&](const sqlite::Statement& row) {
    run_index[row.integer(0)] = runs.size();
    runs.push_back({row.integer(0), row.integer(1), row.text(2), {}});
  });
  statuses.bind_text(1, experiment.value_or(""));
  const bool read_statuses =
      read_runs && each_row(statuses, [&](const sqlite::Statement& row) {
        const auto run = run_index.find(row.integer(0));
        const std::optional<double> runtime = row.real(5);
        if (run != run_index.end()) {
          runs[run->second].tests.push_back(
              {row.text(1),
               row.text(2),
               row.text(3),
               row.text(4),
               runtime ? std::optional<std::int64_t>(static_cast<std::int64_t>(*runtime))
                       : std::nullopt,
               {},
               row.text(6)});
        }
      });
  std::map<std::pair<std::int64_t, std::string>, KeptHealthStatus*> tests;
  for (KeptHealthRun& run : runs) {
    for (KeptHealthStatus& test : run.tests) {
      tests[{run.id, test.experiment}] = &test;
    }
  }
  reasons.bind_text(1, experiment.value_or(""));
  const bool read_reasons =
      read_statuses && each_row(reasons, [&](const sqlite::Statement& row) {
        if (const auto found = tests.find({row.integer(0), row.text(1)}); found != tests.end()) {
          found->second->reasons.push_back({row.text(2), row.text(3)});
        }
      });
  if (!read_reasons) {
    return failed();
  }
  std::erase_if(runs, [&](const KeptHealthRun& run) { return experiment && run.tests.empty(); });
  return runs;
}

} // namespace reckon::store
