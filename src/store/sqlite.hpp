#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Thin owners of SQLite handles for the store: they close and finalise, nothing more.
namespace reckon::store::sqlite {

class Database {
public:
  Database() = default;
  explicit Database(sqlite3* handle) : m_handle(handle) {}
  Database(Database&& other) noexcept : m_handle(other.m_handle) { other.m_handle = nullptr; }
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  // close_v2 defers the close until every statement is finalised, so order does not matter.
  ~Database() { sqlite3_close_v2(m_handle); }

  sqlite3* get() const { return m_handle; }
  // SQLite's message for the last failure on this connection.
  std::string message() const;

private:
  sqlite3* m_handle = nullptr;
};

// A prepared statement. Binding failures (a value over SQLite's size limit) surface at the
// next step, so callers check one result.
class Statement {
public:
  Statement() = default;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(m_handle); }

  // SQLITE_OK or the error; `sql` is a single statement.
  int prepare(sqlite3* db, std::string_view sql);

  // Parameters count from 1. Text and blobs are copied, byte for byte, embedded NULs included.
  Statement& bind(int index, std::int64_t value);
  // An absent value binds NULL.
  Statement& bind_real(int index, std::optional<double> value);
  Statement& bind_text(int index, std::string_view text);
  Statement& bind_blob(int index, std::string_view bytes);
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  // Ends this use: resets the statement (releasing its read snapshot) and clears bindings.
  void reset();

  std::int64_t integer(int column) const;
  // Absent for NULL.
  std::optional<double> real(int column) const;
  std::string text(int column) const;
  std::string blob(int column) const;

private:
  sqlite3_stmt* m_handle = nullptr;
  int m_bind_status = SQLITE_OK;
};

// Resets a statement when the scope using it ends, however it ends, so that no statement
// keeps a read transaction open between calls.
class Use {
public:
  explicit Use(Statement& statement) : m_statement(statement) {}
  ~Use() { m_statement.reset(); }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;

private:
  Statement& m_statement;
};

} // namespace reckon::store::sqlite
