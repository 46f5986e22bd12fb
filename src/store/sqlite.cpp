#include "sqlite.hpp"

#include <utility>

namespace reckon::store::sqlite {

Database& Database::operator=(Database&& other) noexcept {
  std::swap(m_handle, other.m_handle);
  return *this;
}

std::string Database::message() const {
  return m_handle == nullptr ? "out of memory" : sqlite3_errmsg(m_handle);
}

Statement::Statement(Statement&& other) noexcept
    : m_handle(std::exchange(other.m_handle, nullptr)), m_bind_status(other.m_bind_status) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  std::swap(m_handle, other.m_handle);
  std::swap(m_bind_status, other.m_bind_status);
  return *this;
}

int Statement::prepare(sqlite3* db, std::string_view sql) {
  sqlite3_finalize(m_handle);
  m_handle = nullptr;
  return sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                            &m_handle, nullptr);
}

Statement& Statement::bind(int index, std::int64_t value) {
  const int status = sqlite3_bind_int64(m_handle, index, value);
  m_bind_status = m_bind_status == SQLITE_OK ? status : m_bind_status;
  return *this;
}

Statement& Statement::bind_real(int index, std::optional<double> value) {
  const int status =
      value ? sqlite3_bind_double(m_handle, index, *value) : sqlite3_bind_null(m_handle, index);
  m_bind_status = m_bind_status == SQLITE_OK ? status : m_bind_status;
  return *this;
}

// A null pointer would bind SQL NULL, so empty values point at a literal instead.
Statement& Statement::bind_text(int index, std::string_view text) {
  const int status = sqlite3_bind_text64(m_handle, index, text.empty() ? "" : text.data(),
                                         text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  m_bind_status = m_bind_status == SQLITE_OK ? status : m_bind_status;
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  const int status = sqlite3_bind_blob64(m_handle, index, bytes.empty() ? "" : bytes.data(),
                                         bytes.size(), SQLITE_TRANSIENT);
  m_bind_status = m_bind_status == SQLITE_OK ? status : m_bind_status;
  return *this;
}

int Statement::step() {
  if (m_bind_status != SQLITE_OK) {
    return m_bind_status;
  }
  return sqlite3_step(m_handle);
}

void Statement::reset() {
  sqlite3_reset(m_handle);
  sqlite3_clear_bindings(m_handle);
  m_bind_status = SQLITE_OK;
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(m_handle, column);
}

std::optional<double> Statement::real(int column) const {
  if (sqlite3_column_type(m_handle, column) == SQLITE_NULL) {
    return std::nullopt;
  }
  return sqlite3_column_double(m_handle, column);
}

std::string Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_handle, column));
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(m_handle, column));
  return data == nullptr ? std::string() : std::string(data, size);
}

std::string Statement::blob(int column) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(m_handle, column));
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(m_handle, column));
  return data == nullptr ? std::string() : std::string(data, size);
}

} // namespace reckon::store::sqlite
