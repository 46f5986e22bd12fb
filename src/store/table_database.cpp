#include "reckon/store/table_database.hpp"

#include "sqlite.hpp"

#include "reckon/util/temporary_files.hpp"

#include <cmath>
#include <string>
#include <string_view>

namespace reckon::store {
namespace {

using util::ErrorCode;
using util::Result;

// "name" with inner quotes doubled: any table or column name is a valid identifier.
std::string identifier(std::string_view name) {
  std::string quoted = "\"";
  for (const char c : name) {
    quoted += c == '"' ? "\"\"" : std::string(1, c);
  }
  return quoted + "\"";
}

std::string_view type_name(util::ColumnType type) {
  switch (type) {
  case util::ColumnType::integer:
    return "INTEGER";
  case util::ColumnType::real:
    return "REAL";
  case util::ColumnType::text:
    break;
  }
  return "TEXT";
}

std::string joined_identifiers(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    text += (text.empty() ? "" : ", ") + identifier(name);
  }
  return text;
}

// CREATE TABLE and CREATE INDEX statements of one table.
std::vector<std::string> definition(const util::Table& table) {
  std::string create = "CREATE TABLE " + identifier(table.name) + " (";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    create += (i == 0 ? "" : ", ") + identifier(table.columns[i].name) + " " +
              std::string(type_name(table.columns[i].type));
  }
  if (!table.primary_key.empty()) {
    create += ", PRIMARY KEY (" + joined_identifiers(table.primary_key) + ")";
  }
  std::vector<std::string> statements{create + ")"};
  for (std::size_t i = 0; i < table.indexes.size(); ++i) {
    statements.push_back("CREATE INDEX " + identifier(table.name + "_by_" + std::to_string(i)) +
                         " ON " + identifier(table.name) + " (" +
                         joined_identifiers(table.indexes[i]) + ")");
  }
  return statements;
}

void bind_value(sqlite::Statement& statement, int index, const util::TableValue& value) {
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    statement.bind(index, *integer);
  } else if (const auto* real = std::get_if<double>(&value)) {
    statement.bind_real(index, std::isfinite(*real) ? std::optional(*real) : std::nullopt);
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    statement.bind_text(index, *text);
  } else {
    statement.bind_real(index, std::nullopt);
  }
}

class Writer {
public:
  Writer(const std::filesystem::path& target, sqlite::Database db)
      : m_target(target), m_db(std::move(db)) {}

  // Runs one statement to its end; a PRAGMA answers with a row, which is read past.
  Result<void> execute(const std::string& sql, std::string_view context) {
    sqlite::Statement statement;
    if (statement.prepare(m_db.get(), sql) != SQLITE_OK) {
      return failure(context);
    }
    int status = statement.step();
    while (status == SQLITE_ROW) {
      status = statement.step();
    }
    return status == SQLITE_DONE ? Result<void>() : failure(context);
  }

  Result<void> fill(const util::Table& table) {
    for (const std::string& sql : definition(table)) {
      if (Result<void> done = execute(sql, "cannot create table " + table.name); !done) {
        return done;
      }
    }
    std::string insert = "INSERT INTO " + identifier(table.name) + " VALUES (";
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      insert += i == 0 ? "?" : ", ?";
    }
    sqlite::Statement statement;
    if (statement.prepare(m_db.get(), insert + ")") != SQLITE_OK) {
      return failure("cannot fill table " + table.name);
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      const std::vector<util::TableValue>& row = table.rows[r];
      if (row.size() != table.columns.size()) {
        return util::make_error(ErrorCode::io, m_target.string(),
                                "table " + table.name + " row " + std::to_string(r + 1) + " has " +
                                    std::to_string(row.size()) + " values for " +
                                    std::to_string(table.columns.size()) + " columns");
      }
      sqlite::Use use(statement);
      for (std::size_t c = 0; c < row.size(); ++c) {
        bind_value(statement, static_cast<int>(c + 1), row[c]);
      }
      if (statement.step() != SQLITE_DONE) {
        return failure("cannot write row " + std::to_string(r + 1) + " of table " + table.name);
      }
    }
    return {};
  }

  // Every statement is finalised by now, so the connection closes at once.
  void close() { m_db = sqlite::Database(); }

private:
  util::Error failure(std::string_view context) const {
    return util::make_error(ErrorCode::io, m_target.string(),
                            std::string(context) + ": " + m_db.message());
  }

  const std::filesystem::path& m_target;
  sqlite::Database m_db;
};

Result<void> write_tables(Writer& writer, std::span<const util::Table> tables) {
  // The journal stays in memory: the file is a temporary that a failure discards whole.
  if (Result<void> set = writer.execute("PRAGMA journal_mode = MEMORY", "cannot set up"); !set) {
    return set;
  }
  if (Result<void> begun = writer.execute("BEGIN", "cannot begin"); !begun) {
    return begun;
  }
  for (const util::Table& table : tables) {
    if (Result<void> filled = writer.fill(table); !filled) {
      return filled;
    }
  }
  if (Result<void> committed = writer.execute("COMMIT", "cannot commit"); !committed) {
    return committed;
  }
  writer.close();
  return {};
}

} // namespace

Result<void> write_table_database(const std::filesystem::path& path,
                                  std::span<const util::Table> tables) {
  Result<util::Temporary> temporary = util::Temporary::create_file(path);
  if (!temporary) {
    return temporary.error();
  }
  temporary->close_descriptor();
  sqlite3* handle = nullptr;
  const int opened =
      sqlite3_open_v2(temporary->path().c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr);
  sqlite::Database db(handle);
  if (opened != SQLITE_OK) {
    return util::make_error(ErrorCode::io, path.string(),
                            "cannot create the database: " + db.message());
  }
  Writer writer(path, std::move(db));
  if (Result<void> written = write_tables(writer, tables); !written) {
    return written;
  }
  std::error_code ec;
  std::filesystem::rename(temporary->path(), path, ec);
  if (ec) {
    return util::make_error(ErrorCode::io, path.string(),
                            "cannot put the database in place: " + ec.message());
  }
  temporary->keep();
  return {};
}

} // namespace reckon::store
