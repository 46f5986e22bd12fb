#include "store_fixture.hpp"

#include "reckon/util/file.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <sqlite3.h>

#include <cstdlib>
#include <stdexcept>

namespace reckon::store::test {

Store must_open(const std::filesystem::path& file) {
  util::Result<Store> store = Store::open(file);
  if (!store) {
    ADD_FAILURE() << store.error().describe();
    std::abort();
  }
  return std::move(store).value();
}

contract::ApiExchange exchange(std::string source, std::string path,
                               std::vector<std::pair<std::string, std::string>> query,
                               std::string body, std::int64_t fetched_at_ms, int status) {
  contract::ApiExchange result;
  result.request.source = std::move(source);
  result.request.method = "GET";
  result.request.path = std::move(path);
  result.request.query = std::move(query);
  result.status = status;
  result.fetched_at_ms = fetched_at_ms;
  result.body = std::move(body);
  return result;
}

namespace {

std::string escaped(std::string_view bytes) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string text = "\"";
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
      text += "\\x";
      text.push_back(k_hex[byte >> 4]);
      text.push_back(k_hex[byte & 0xf]);
    } else {
      text.push_back(c);
    }
  }
  return text + "\"";
}

} // namespace

std::string contents(const contract::ApiExchange& exchange) {
  const contract::ApiRequest& request = exchange.request;
  std::string text =
      escaped(request.source) + " " + escaped(request.method) + " " + escaped(request.path) + " [";
  for (const auto& [name, value] : request.query) {
    text += escaped(name) + "=" + escaped(value) + " ";
  }
  text += "] " + escaped(request.body);
  if (request.day) {
    text += " (day " + escaped(request.day->local_date) + " in " + escaped(request.day->time_zone) +
            ")";
  }
  return text + " -> " + std::to_string(exchange.status) + " at " +
         std::to_string(exchange.fetched_at_ms) + ": " + escaped(exchange.body);
}

std::vector<std::string> contents(const std::vector<contract::ApiExchange>& exchanges) {
  std::vector<std::string> texts;
  for (const contract::ApiExchange& exchange : exchanges) {
    texts.push_back(contents(exchange));
  }
  return texts;
}

namespace {

struct Connection {
  sqlite3* db = nullptr;
  explicit Connection(const std::filesystem::path& file) {
    if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) {
      throw std::runtime_error("cannot open " + file.string());
    }
    sqlite3_busy_timeout(db, 5'000);
  }
  ~Connection() { sqlite3_close(db); }
};

} // namespace

void execute_sql(const std::filesystem::path& file, const std::string& sql) {
  Connection connection(file);
  char* message = nullptr;
  if (sqlite3_exec(connection.db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message ? message : "?";
    sqlite3_free(message);
    throw std::runtime_error(sql + ": " + text);
  }
}

std::string query_sql(const std::filesystem::path& file, const std::string& sql) {
  Connection connection(file);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(connection.db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    throw std::runtime_error(sql + ": " + sqlite3_errmsg(connection.db));
  }
  std::string text;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    text = data ? data : "";
  }
  sqlite3_finalize(statement);
  return text;
}

WriteLock::WriteLock(const std::filesystem::path& file) {
  if (sqlite3_open(file.c_str(), &m_db) != SQLITE_OK ||
      sqlite3_exec(m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    throw std::runtime_error("cannot lock " + file.string());
  }
  m_held = true;
}

WriteLock::~WriteLock() {
  release();
  sqlite3_close(m_db);
}

void WriteLock::release() {
  if (m_held) {
    sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
    m_held = false;
  }
}

std::vector<contract::ApiExchange> read_response_folder(const std::filesystem::path& dir,
                                                        std::int64_t default_fetched_at_ms) {
  simdjson::dom::parser parser;
  const simdjson::dom::element manifest = parser.load((dir / "manifest.json").string());
  EXPECT_EQ(std::string_view(manifest["schema"]), "reckon.simulated-responses/v1");
  std::vector<contract::ApiExchange> exchanges;
  for (const simdjson::dom::element entry : manifest["responses"].get_array()) {
    contract::ApiExchange exchange;
    exchange.request.source = std::string(std::string_view(entry["source"]));
    exchange.request.method = std::string(std::string_view(entry["method"]));
    exchange.request.path = std::string(std::string_view(entry["path"]));
    for (const auto field : entry["query"].get_object()) {
      exchange.request.query.emplace_back(std::string(field.key),
                                          std::string(std::string_view(field.value)));
    }
    if (!entry["body"].is_null()) {
      exchange.request.body = std::string(std::string_view(entry["body"]));
    }
    exchange.status = static_cast<int>(std::int64_t(entry["status"]));
    std::int64_t fetched_at_ms = default_fetched_at_ms;
    if (entry["fetched_at_ms"].get(fetched_at_ms) != simdjson::SUCCESS) {
      fetched_at_ms = default_fetched_at_ms;
    }
    exchange.fetched_at_ms = fetched_at_ms;
    std::string_view local_date;
    std::string_view time_zone;
    if (entry["local_date"].get(local_date) == simdjson::SUCCESS &&
        entry["time_zone"].get(time_zone) == simdjson::SUCCESS) {
      exchange.request.day = contract::DayWindow{std::string(local_date), std::string(time_zone)};
    }
    const std::string file{std::string_view(entry["file"])};
    util::Result<std::string> body = util::read_file(dir / file);
    EXPECT_TRUE(body) << file;
    exchange.body = body ? *body : std::string();
    exchange.origin = file;
    exchanges.push_back(std::move(exchange));
  }
  return exchanges;
}

} // namespace reckon::store::test
