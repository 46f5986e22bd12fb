#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::store {

// One `check` run kept for later comparison: which command made it, when (Unix ms), a label
// of the caller's choosing, and the JSON document the caller produced.
struct StoredRun {
  std::int64_t id = 0;
  std::string command;
  std::int64_t at_ms = 0;
  std::string label;
  std::string document; // empty when listed without documents
};

// Whether a listing of runs carries each run's document, which may be large.
enum class RunContents { summary, with_documents };

// The SQLite store (SPEC §3): every API exchange ever saved, kept as history, and the
// documents of check runs. The file is in WAL mode with synchronous=NORMAL, so a process
// killed at any instant loses at most the transaction in flight and never corrupts the file
// (NORMAL may lose the last commits on power loss, never consistency; a re-run refetches
// them). Other processes may use the same file at once: writers wait for each other up to a
// busy timeout. One Store object must be used by one thread at a time.
//
// The store holds exactly what it is given: requests without headers, so no credentials,
// as long as callers keep keys out of paths, queries and bodies (the APIs take them in
// headers). Every error is ErrorCode::io naming the store file and SQLite's message.
class Store {
public:
  // Opens the store, creating the file and its schema when missing.
  static util::Result<Store> open(const std::filesystem::path& file);
  // Opens a store that must already exist: "no store at F (run `reckon fetch` or `reckon
  // import` first)" otherwise.
  static util::Result<Store> open_existing(const std::filesystem::path& file);

  Store(Store&& other) noexcept;
  Store& operator=(Store&& other) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  const std::filesystem::path& file() const;

  // Saves the exchanges in one transaction: all or none. History is kept: saving a request
  // that is already stored adds a version; nothing is overwritten. An exchange identical to
  // a stored version (same request, fetch time, status and body) is already there and is
  // skipped, so importing the same folder twice changes nothing. `origin` is not stored.
  util::Result<void> save(std::span<const contract::ApiExchange> exchanges);

  // The newest stored exchange (latest fetch time, then latest saved) for exactly this
  // request: source, method, path, query in order, and body. Its origin is
  // "<store file> response <id>".
  util::Result<std::optional<contract::ApiExchange>>
  latest(const contract::ApiRequest& request) const;
  // The newest exchange of every distinct request of a source, in the order the requests
  // were first stored.
  util::Result<std::vector<contract::ApiExchange>> latest_all(std::string_view source) const;
  // The same over every source.
  util::Result<std::vector<contract::ApiExchange>> latest_all() const;
  // Every stored exchange, all versions, oldest fetch first (ties in the order saved).
  util::Result<std::vector<contract::ApiExchange>> all() const;

  // Keeps a check run's document; returns the run's id.
  util::Result<std::int64_t> add_run(std::string_view command, std::int64_t at_ms,
                                     std::string_view label, std::string_view document);
  util::Result<std::optional<StoredRun>> run(std::int64_t id) const;
  // Every run, oldest first.
  util::Result<std::vector<StoredRun>> runs(RunContents contents = RunContents::summary) const;

private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  static util::Result<Store> open_file(const std::filesystem::path& file, bool create);

  std::unique_ptr<Impl> m_impl;
};

} // namespace reckon::store
