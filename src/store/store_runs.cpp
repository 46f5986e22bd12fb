#include "reckon/store/store.hpp"

#include "sqlite.hpp"
#include "store_impl.hpp"

#include <cassert>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <utility>

// The check runs half of the store. Runs are written once per command, so their statements
// are prepared where they are used rather than kept with the connection.
namespace reckon::store {
namespace {

constexpr const char* k_insert_run = "INSERT INTO check_run (command, at_ms, label, document) "
                                     "VALUES (?1, ?2, ?3, '')";
constexpr const char* k_all_cells = "SELECT id, experiment, segment_type, segment, date, metric, "
                                    "variation FROM check_cell";
constexpr const char* k_insert_cell =
    "INSERT INTO check_cell (experiment, segment_type, segment, date, metric, variation) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr const char* k_all_fields = "SELECT id, name FROM check_field";
constexpr const char* k_insert_field = "INSERT INTO check_field (name) VALUES (?1)";
// A cell named twice in one run keeps its last figures, as a lookup by cell would.
constexpr const char* k_insert_figure =
    "INSERT OR REPLACE INTO check_figure (run_id, cell_id, field_id, reported, recomputed) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";

// A figure row's bytes in the file, estimated from SQLite's record format: a header of six
// bytes, three small integer keys, eight bytes for each number present, and the cell pointer
// and size of the b-tree page.
#define RECKON_FIGURE_BYTES "(16 + 8 * (reported IS NOT NULL) + 8 * (recomputed IS NOT NULL))"
constexpr const char* k_list_runs =
    "SELECT r.id, r.command, r.at_ms, r.label, coalesce(f.cells, 0), coalesce(f.figures, 0), "
    "coalesce(f.bytes, 0) + length(CAST(r.document AS BLOB)) FROM check_run r "
    "LEFT JOIN (SELECT run_id, count(DISTINCT cell_id) AS cells, count(*) AS figures, "
    "sum(" RECKON_FIGURE_BYTES ") AS bytes FROM check_figure GROUP BY run_id) f "
    "ON f.run_id = r.id";
#undef RECKON_FIGURE_BYTES
constexpr const char* k_figures_of_run =
    "SELECT g.cell_id, c.experiment, c.segment_type, c.segment, c.date, c.metric, c.variation, "
    "f.name, g.reported, g.recomputed FROM check_figure g JOIN check_cell c ON c.id = g.cell_id "
    "JOIN check_field f ON f.id = g.field_id WHERE g.run_id = ?1 ORDER BY g.cell_id, g.field_id";
// Only a run kept by schema version 1 has a document.
constexpr const char* k_document_of_run =
    "SELECT document FROM check_run WHERE id = ?1 AND document != ''";

// The runs prune keeps: the newest `?1`.
#define RECKON_KEPT_RUNS "(SELECT id FROM check_run ORDER BY at_ms DESC, id DESC LIMIT ?1)"
constexpr const char* k_prune_figures =
    "DELETE FROM check_figure WHERE run_id NOT IN " RECKON_KEPT_RUNS;
constexpr const char* k_prune_runs = "DELETE FROM check_run WHERE id NOT IN " RECKON_KEPT_RUNS;
#undef RECKON_KEPT_RUNS
constexpr const char* k_prune_cells =
    "DELETE FROM check_cell WHERE id NOT IN (SELECT cell_id FROM check_figure)";
constexpr const char* k_prune_fields =
    "DELETE FROM check_field WHERE id NOT IN (SELECT field_id FROM check_figure)";

CellKey read_cell_key(const sqlite::Statement& statement, int first) {
  return {statement.text(first),     statement.text(first + 1), statement.text(first + 2),
          statement.text(first + 3), statement.text(first + 4), statement.text(first + 5)};
}

// Ids of the stored cell keys and field names, extended as a run brings new ones.
class Interned {
public:
  explicit Interned(Store::Impl& impl) : m_impl(impl) {}

  util::Result<void> load() {
    sqlite::Statement cells;
    sqlite::Statement fields;
    if (cells.prepare(m_impl.db.get(), k_all_cells) != SQLITE_OK ||
        fields.prepare(m_impl.db.get(), k_all_fields) != SQLITE_OK ||
        m_insert_cell.prepare(m_impl.db.get(), k_insert_cell) != SQLITE_OK ||
        m_insert_field.prepare(m_impl.db.get(), k_insert_field) != SQLITE_OK) {
      return m_impl.error("cannot read the kept cells");
    }
    int status = SQLITE_ROW;
    while ((status = cells.step()) == SQLITE_ROW) {
      m_cells.emplace(read_cell_key(cells, 1), cells.integer(0));
    }
    if (status != SQLITE_DONE) {
      return m_impl.error("cannot read the kept cells");
    }
    while ((status = fields.step()) == SQLITE_ROW) {
      m_fields.emplace(fields.text(1), fields.integer(0));
    }
    if (status != SQLITE_DONE) {
      return m_impl.error("cannot read the kept cells");
    }
    return {};
  }

  util::Result<std::int64_t> cell(const CellKey& key) {
    if (const auto found = m_cells.find(key); found != m_cells.end()) {
      return found->second;
    }
    const sqlite::Use use(m_insert_cell);
    m_insert_cell.bind_text(1, key.experiment)
        .bind_text(2, key.segment_type)
        .bind_text(3, key.segment)
        .bind_text(4, key.date)
        .bind_text(5, key.metric)
        .bind_text(6, key.variation);
    if (m_insert_cell.step() != SQLITE_DONE) {
      return m_impl.error("cannot keep a cell");
    }
    return m_cells[key] = sqlite3_last_insert_rowid(m_impl.db.get());
  }

  util::Result<std::int64_t> field(const std::string& name) {
    if (const auto found = m_fields.find(name); found != m_fields.end()) {
      return found->second;
    }
    const sqlite::Use use(m_insert_field);
    m_insert_field.bind_text(1, name);
    if (m_insert_field.step() != SQLITE_DONE) {
      return m_impl.error("cannot keep a field");
    }
    return m_fields[name] = sqlite3_last_insert_rowid(m_impl.db.get());
  }

private:
  Store::Impl& m_impl;
  sqlite::Statement m_insert_cell;
  sqlite::Statement m_insert_field;
  std::map<CellKey, std::int64_t> m_cells;
  std::map<std::string, std::int64_t, std::less<>> m_fields;
};

util::Result<void> insert_figures(Store::Impl& impl, std::int64_t run_id,
                                  std::span<const KeptCell> cells) {
  Interned interned(impl);
  if (auto loaded = interned.load(); !loaded) {
    return loaded.error();
  }
  sqlite::Statement insert;
  if (insert.prepare(impl.db.get(), k_insert_figure) != SQLITE_OK) {
    return impl.error("cannot keep the run's figures");
  }
  for (const KeptCell& cell : cells) {
    const util::Result<std::int64_t> cell_id = interned.cell(cell.key);
    if (!cell_id) {
      return cell_id.error();
    }
    for (const KeptFigure& figure : cell.figures) {
      const util::Result<std::int64_t> field_id = interned.field(figure.field);
      if (!field_id) {
        return field_id.error();
      }
      const sqlite::Use use(insert);
      insert.bind(1, run_id)
          .bind(2, *cell_id)
          .bind(3, *field_id)
          .bind_real(4, figure.reported)
          .bind_real(5, figure.recomputed);
      if (insert.step() != SQLITE_DONE) {
        return impl.error("cannot keep the run's figures");
      }
    }
  }
  return {};
}

// Runs a statement that changes rows, binding `keep` when it takes it; returns how many rows
// it changed.
util::Result<std::int64_t> change(Store::Impl& impl, const char* sql,
                                  std::optional<std::int64_t> keep) {
  sqlite::Statement statement;
  if (statement.prepare(impl.db.get(), sql) != SQLITE_OK) {
    return impl.error("cannot prune the runs");
  }
  if (keep) {
    statement.bind(1, *keep);
  }
  if (statement.step() != SQLITE_DONE) {
    return impl.error("cannot prune the runs");
  }
  return std::int64_t{sqlite3_changes64(impl.db.get())};
}

util::Result<std::vector<KeptCell>> read_cells(const Store::Impl& impl, std::int64_t run_id) {
  sqlite::Statement statement;
  if (statement.prepare(impl.db.get(), k_figures_of_run) != SQLITE_OK) {
    return impl.error("cannot read run " + std::to_string(run_id));
  }
  statement.bind(1, run_id);
  std::vector<KeptCell> cells;
  std::int64_t last_cell = 0;
  int status = SQLITE_ROW;
  while ((status = statement.step()) == SQLITE_ROW) {
    if (cells.empty() || statement.integer(0) != last_cell) {
      last_cell = statement.integer(0);
      cells.push_back({read_cell_key(statement, 1), {}});
    }
    cells.back().figures.push_back({statement.text(7), statement.real(8), statement.real(9)});
  }
  if (status != SQLITE_DONE) {
    return impl.error("cannot read run " + std::to_string(run_id));
  }
  return cells;
}

util::Result<std::optional<std::string>> read_document(const Store::Impl& impl,
                                                       std::int64_t run_id) {
  sqlite::Statement statement;
  if (statement.prepare(impl.db.get(), k_document_of_run) != SQLITE_OK) {
    return impl.error("cannot read run " + std::to_string(run_id));
  }
  statement.bind(1, run_id);
  const int status = statement.step();
  if (status == SQLITE_ROW) {
    return std::optional<std::string>(statement.text(0));
  }
  if (status != SQLITE_DONE) {
    return impl.error("cannot read run " + std::to_string(run_id));
  }
  return std::optional<std::string>();
}

// Every run, oldest first, or only run `id`.
util::Result<std::vector<StoredRun>> list_runs(const Store::Impl& impl,
                                               std::optional<std::int64_t> id) {
  sqlite::Statement statement;
  const std::string sql =
      std::string(k_list_runs) + (id ? " WHERE r.id = ?1" : "") + " ORDER BY r.at_ms, r.id";
  if (statement.prepare(impl.db.get(), sql) != SQLITE_OK) {
    return impl.error("cannot read runs");
  }
  if (id) {
    statement.bind(1, *id);
  }
  std::vector<StoredRun> runs;
  int status = SQLITE_ROW;
  while ((status = statement.step()) == SQLITE_ROW) {
    runs.push_back({statement.integer(0), statement.text(1), statement.integer(2),
                    statement.text(3), statement.integer(4), statement.integer(5),
                    statement.integer(6)});
  }
  if (status != SQLITE_DONE) {
    return impl.error("cannot read runs");
  }
  return runs;
}

} // namespace

util::Result<std::int64_t> Store::add_run(std::string_view command, std::int64_t at_ms,
                                          std::string_view label, std::span<const KeptCell> cells) {
  assert(m_impl);
  Impl& impl = *m_impl;
  if (!impl.run_once(impl.begin)) {
    return impl.error("cannot start saving the run");
  }
  sqlite::Statement insert;
  if (insert.prepare(impl.db.get(), k_insert_run) != SQLITE_OK) {
    return impl.abandon(impl.error("cannot save the run"));
  }
  insert.bind_text(1, command).bind(2, at_ms).bind_text(3, label);
  if (insert.step() != SQLITE_DONE) {
    return impl.abandon(impl.error("cannot save the run"));
  }
  const std::int64_t run_id = sqlite3_last_insert_rowid(impl.db.get());
  if (auto inserted = insert_figures(impl, run_id, cells); !inserted) {
    return impl.abandon(inserted.error());
  }
  if (!impl.run_once(impl.commit)) {
    return impl.abandon(impl.error("cannot commit the run"));
  }
  return run_id;
}

util::Result<std::optional<KeptRun>> Store::run(std::int64_t id) const {
  assert(m_impl);
  util::Result<std::vector<StoredRun>> listed = list_runs(*m_impl, id);
  if (!listed) {
    return listed.error();
  }
  if (listed->empty()) {
    return std::optional<KeptRun>();
  }
  KeptRun run{listed->front(), {}, {}};
  util::Result<std::vector<KeptCell>> cells = read_cells(*m_impl, id);
  if (!cells) {
    return cells.error();
  }
  run.cells = std::move(*cells);
  util::Result<std::optional<std::string>> document = read_document(*m_impl, id);
  if (!document) {
    return document.error();
  }
  run.document = std::move(*document);
  return std::optional<KeptRun>(std::move(run));
}

util::Result<std::vector<StoredRun>> Store::runs() const {
  assert(m_impl);
  return list_runs(*m_impl, std::nullopt);
}

util::Result<PruneSummary> Store::prune(std::int64_t keep) {
  assert(m_impl && keep >= 0);
  Impl& impl = *m_impl;
  PruneSummary summary;
  util::Result<std::int64_t> before = size_bytes();
  if (!before) {
    return before.error();
  }
  summary.bytes_before = *before;
  if (!impl.run_once(impl.begin)) {
    return impl.error("cannot start pruning the runs");
  }
  const std::optional<std::int64_t> kept = keep;
  const std::pair<const char*, std::optional<std::int64_t>> steps[] = {
      {k_prune_figures, kept},
      {k_prune_runs, kept},
      {k_prune_cells, std::nullopt},
      {k_prune_fields, std::nullopt}};
  std::int64_t changed[std::size(steps)] = {};
  for (std::size_t i = 0; i < std::size(steps); ++i) {
    util::Result<std::int64_t> rows = change(impl, steps[i].first, steps[i].second);
    if (!rows) {
      return impl.abandon(rows.error());
    }
    changed[i] = *rows;
  }
  summary.figures = changed[0];
  summary.runs = changed[1];
  summary.cells = changed[2];
  if (!impl.run_once(impl.commit)) {
    return impl.abandon(impl.error("cannot commit the pruning"));
  }
  // VACUUM rewrites the file without its free pages; in WAL mode the file itself shrinks only
  // once the log is checkpointed, so the space is given back before we return.
  if (summary.runs > 0 &&
      (sqlite3_exec(impl.db.get(), "VACUUM", nullptr, nullptr, nullptr) != SQLITE_OK ||
       sqlite3_exec(impl.db.get(), "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr) !=
           SQLITE_OK)) {
    return impl.error("cannot reclaim the space of pruned runs");
  }
  util::Result<std::int64_t> after = size_bytes();
  if (!after) {
    return after.error();
  }
  summary.bytes_after = *after;
  return summary;
}

util::Result<std::int64_t> Store::size_bytes() const {
  assert(m_impl);
  const Impl& impl = *m_impl;
  sqlite::Statement statement;
  if (statement.prepare(impl.db.get(), "SELECT page_count * page_size FROM pragma_page_count(), "
                                       "pragma_page_size()") != SQLITE_OK ||
      statement.step() != SQLITE_ROW) {
    return impl.error("cannot read the store's size");
  }
  return statement.integer(0);
}

} // namespace reckon::store
