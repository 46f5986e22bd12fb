#include "reckon/store/store.hpp"

#include "query_text.hpp"
#include "sqlite.hpp"
#include "store_impl.hpp"
#include "store_schema.hpp"

#include <cassert>
#include <utility>

namespace reckon::store {
namespace {

// The columns every exchange query selects, in the order read_exchange reads them.
#define RECKON_EXCHANGE_COLUMNS                                                                    \
  "q.source, q.method, q.path, q.query, q.body, r.status, r.fetched_at_ms, r.body, q.local_date, " \
  "q.time_zone"
#define RECKON_NEWEST_OF_REQUEST                                                                   \
  "r.id = (SELECT id FROM response WHERE request_id = q.id "                                       \
  "ORDER BY fetched_at_ms DESC, id DESC LIMIT 1)"

constexpr const char* k_find_request = "SELECT id FROM request WHERE source = ?1 AND method = ?2 "
                                       "AND path = ?3 AND query = ?4 AND body = ?5";
constexpr const char* k_insert_request =
    "INSERT INTO request (source, method, path, query, body, local_date, time_zone) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr const char* k_annotate_request =
    "UPDATE request SET local_date = ?2, time_zone = ?3 WHERE id = ?1";
constexpr const char* k_find_version = "SELECT 1 FROM response WHERE request_id = ?1 AND "
                                       "fetched_at_ms = ?2 AND status = ?3 AND body = ?4 LIMIT 1";
constexpr const char* k_insert_response =
    "INSERT INTO response (request_id, fetched_at_ms, status, body) VALUES (?1, ?2, ?3, ?4)";
constexpr const char* k_latest =
    "SELECT " RECKON_EXCHANGE_COLUMNS " FROM request q JOIN response r ON r.request_id = q.id "
    "WHERE q.source = ?1 AND q.method = ?2 AND q.path = ?3 AND q.query = ?4 AND q.body = ?5 "
    "ORDER BY r.fetched_at_ms DESC, r.id DESC LIMIT 1";
constexpr const char* k_latest_of_source =
    "SELECT " RECKON_EXCHANGE_COLUMNS " FROM request q JOIN response r ON " RECKON_NEWEST_OF_REQUEST
    " WHERE q.source = ?1 ORDER BY q.id";
constexpr const char* k_latest_of_every_source =
    "SELECT " RECKON_EXCHANGE_COLUMNS " FROM request q JOIN response r ON " RECKON_NEWEST_OF_REQUEST
    " ORDER BY q.id";
constexpr const char* k_all =
    "SELECT " RECKON_EXCHANGE_COLUMNS " FROM response r JOIN request q ON q.id = r.request_id "
    "ORDER BY r.fetched_at_ms, r.id";
#undef RECKON_EXCHANGE_COLUMNS
#undef RECKON_NEWEST_OF_REQUEST

// Binds a request's canonical text to parameters 1-5.
void bind_request(sqlite::Statement& statement, const contract::ApiRequest& request,
                  const std::string& query) {
  statement.bind_text(1, request.source)
      .bind_text(2, request.method)
      .bind_text(3, request.path)
      .bind_text(4, query)
      .bind_blob(5, request.body);
}

// Where an exchange came from, by what was asked rather than a row id that means nothing to a
// user: "reckon.db: POST /v25-10-beta/analytics/resource/ID (day 2026-09-25, UTC)".
std::string origin_of(const std::filesystem::path& file, const contract::ApiRequest& request,
                      std::string_view query) {
  std::string origin = file.string() + ": " + request.method + " " + request.path;
  if (!query.empty()) {
    origin.append("?").append(query);
  }
  if (request.day) {
    origin += " (day " + request.day->local_date + ", " + request.day->time_zone + ")";
  }
  return origin;
}

} // namespace

util::Result<void> Store::Impl::prepare_all() {
  const std::pair<sqlite::Statement*, const char*> statements[] = {
      {&begin, "BEGIN IMMEDIATE"},
      {&commit, "COMMIT"},
      {&rollback, "ROLLBACK"},
      {&find_request, k_find_request},
      {&insert_request, k_insert_request},
      {&annotate_request, k_annotate_request},
      {&find_version, k_find_version},
      {&insert_response, k_insert_response},
      {&latest, k_latest},
      {&latest_of_source, k_latest_of_source},
      {&latest_of_every_source, k_latest_of_every_source},
      {&all, k_all},
  };
  for (const auto& [statement, sql] : statements) {
    if (statement->prepare(db.get(), sql) != SQLITE_OK) {
      return error("cannot prepare the store's statements");
    }
  }
  return {};
}

bool Store::Impl::run_once(sqlite::Statement& statement) {
  const sqlite::Use use(statement);
  return statement.step() == SQLITE_DONE;
}

util::Error Store::Impl::abandon(util::Error error) {
  if (sqlite3_get_autocommit(db.get()) == 0) {
    run_once(rollback);
  }
  return error;
}

util::Result<Store::Impl::Saved> Store::Impl::save_one(const contract::ApiExchange& exchange) {
  const std::string query = encode_query(exchange.request.query);
  std::int64_t request_id = 0;
  {
    const sqlite::Use use(find_request);
    bind_request(find_request, exchange.request, query);
    const int found = find_request.step();
    if (found == SQLITE_ROW) {
      request_id = find_request.integer(0);
    } else if (found != SQLITE_DONE) {
      return error("cannot save a response");
    }
  }
  const Saved saved = request_id == 0 ? Saved::fresh : Saved::replaced;
  const std::optional<contract::DayWindow>& day = exchange.request.day;
  if (request_id == 0) {
    const sqlite::Use use(insert_request);
    bind_request(insert_request, exchange.request, query);
    if (day) {
      insert_request.bind_text(6, day->local_date).bind_text(7, day->time_zone);
    }
    if (insert_request.step() != SQLITE_DONE) {
      return error("cannot save a request");
    }
    request_id = sqlite3_last_insert_rowid(db.get());
  } else if (day) {
    // The newest day given wins; an exchange without one (an old export) keeps the stored.
    const sqlite::Use use(annotate_request);
    annotate_request.bind(1, request_id).bind_text(2, day->local_date).bind_text(3, day->time_zone);
    if (annotate_request.step() != SQLITE_DONE) {
      return error("cannot save a request");
    }
  }
  {
    const sqlite::Use use(find_version);
    find_version.bind(1, request_id)
        .bind(2, exchange.fetched_at_ms)
        .bind(3, exchange.status)
        .bind_blob(4, exchange.body);
    const int found = find_version.step();
    if (found == SQLITE_ROW) {
      return Saved::unchanged; // this very version is stored already
    }
    if (found != SQLITE_DONE) {
      return error("cannot save a response");
    }
  }
  const sqlite::Use use(insert_response);
  insert_response.bind(1, request_id)
      .bind(2, exchange.fetched_at_ms)
      .bind(3, exchange.status)
      .bind_blob(4, exchange.body);
  if (insert_response.step() != SQLITE_DONE) {
    return error("cannot save a response");
  }
  return saved;
}

util::Result<contract::ApiExchange>
Store::Impl::read_exchange(const sqlite::Statement& statement) const {
  contract::ApiExchange exchange;
  exchange.request.source = statement.text(0);
  exchange.request.method = statement.text(1);
  exchange.request.path = statement.text(2);
  const std::string query_text = statement.text(3);
  std::optional<QueryPairs> query = decode_query(query_text);
  if (!query) {
    return util::make_error(util::ErrorCode::io, file.string(),
                            "the stored query of " + exchange.request.method + " " +
                                exchange.request.path + " is malformed");
  }
  exchange.request.query = std::move(*query);
  exchange.request.body = statement.blob(4);
  exchange.status = static_cast<int>(statement.integer(5));
  exchange.fetched_at_ms = statement.integer(6);
  exchange.body = statement.blob(7);
  // NULL reads as empty: a request stored without its day, or before stores kept one.
  if (std::string local_date = statement.text(8); !local_date.empty()) {
    exchange.request.day = contract::DayWindow{std::move(local_date), statement.text(9)};
  }
  exchange.origin = origin_of(file, exchange.request, query_text);
  return exchange;
}

util::Result<std::vector<contract::ApiExchange>>
Store::Impl::read_exchanges(sqlite::Statement& statement) const {
  std::vector<contract::ApiExchange> exchanges;
  int status = SQLITE_ROW;
  while ((status = statement.step()) == SQLITE_ROW) {
    util::Result<contract::ApiExchange> exchange = read_exchange(statement);
    if (!exchange) {
      return exchange.error();
    }
    exchanges.push_back(std::move(exchange).value());
  }
  if (status != SQLITE_DONE) {
    return error("cannot read responses");
  }
  return exchanges;
}

Store::Store(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Store::Store(Store&& other) noexcept = default;
Store& Store::operator=(Store&& other) noexcept = default;
Store::~Store() = default;

util::Result<Store> Store::open(const std::filesystem::path& file) {
  return open_file(file, Access::create);
}

util::Result<Store> Store::open_existing(const std::filesystem::path& file) {
  return open_file(file, Access::existing);
}

util::Result<Store> Store::open_read_only(const std::filesystem::path& file) {
  return open_file(file, Access::read_only);
}

util::Result<Store> Store::open_file(const std::filesystem::path& file, Access access) {
  util::Result<sqlite::Database> db = access == Access::read_only
                                          ? open_store_read_only(file)
                                          : open_store_database(file, access == Access::create);
  if (!db) {
    return db.error();
  }
  auto impl = std::make_unique<Impl>();
  impl->file = file;
  impl->db = std::move(db).value();
  if (auto prepared = impl->prepare_all(); !prepared) {
    return prepared.error();
  }
  return Store(std::move(impl));
}

const std::filesystem::path& Store::file() const {
  assert(m_impl);
  return m_impl->file;
}

util::Result<SaveCounts> Store::save(std::span<const contract::ApiExchange> exchanges) {
  assert(m_impl);
  Impl& impl = *m_impl;
  SaveCounts counts;
  if (exchanges.empty()) {
    return counts;
  }
  if (!impl.run_once(impl.begin)) {
    return impl.error("cannot start saving responses");
  }
  for (const contract::ApiExchange& exchange : exchanges) {
    util::Result<Impl::Saved> saved = impl.save_one(exchange);
    if (!saved) {
      return impl.abandon(saved.error());
    }
    ++(*saved == Impl::Saved::fresh      ? counts.fresh
       : *saved == Impl::Saved::replaced ? counts.replaced
                                         : counts.unchanged);
  }
  if (!impl.run_once(impl.commit)) {
    return impl.abandon(impl.error("cannot commit saved responses"));
  }
  return counts;
}

util::Result<std::optional<contract::ApiExchange>>
Store::latest(const contract::ApiRequest& request) const {
  assert(m_impl);
  Impl& impl = *m_impl;
  const sqlite::Use use(impl.latest);
  bind_request(impl.latest, request, encode_query(request.query));
  util::Result<std::vector<contract::ApiExchange>> found = impl.read_exchanges(impl.latest);
  if (!found) {
    return found.error();
  }
  if (found->empty()) {
    return std::optional<contract::ApiExchange>();
  }
  return std::optional<contract::ApiExchange>(std::move(found->front()));
}

util::Result<std::vector<contract::ApiExchange>> Store::latest_all(std::string_view source) const {
  assert(m_impl);
  Impl& impl = *m_impl;
  const sqlite::Use use(impl.latest_of_source);
  impl.latest_of_source.bind_text(1, source);
  return impl.read_exchanges(impl.latest_of_source);
}

util::Result<std::vector<contract::ApiExchange>> Store::latest_all() const {
  assert(m_impl);
  Impl& impl = *m_impl;
  const sqlite::Use use(impl.latest_of_every_source);
  return impl.read_exchanges(impl.latest_of_every_source);
}

util::Result<std::vector<contract::ApiExchange>> Store::all() const {
  assert(m_impl);
  Impl& impl = *m_impl;
  const sqlite::Use use(impl.all);
  return impl.read_exchanges(impl.all);
}

} // namespace reckon::store
