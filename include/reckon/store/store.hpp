#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/util/result.hpp"

#include <compare>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::store {

// The cell a kept figure belongs to: an experiment, a slice (segment type, segment and date,
// empty where the slice has none), a metric and a variation. Stored once, shared by the runs.
struct CellKey {
  std::string experiment;
  std::string segment_type;
  std::string segment;
  std::string date;
  std::string metric;
  std::string variation;

  auto operator<=>(const CellKey&) const = default;
};

// One number of a cell as the source reported it and as Reckon recomputed it, under the
// caller's name for it ("p2bb", "uplift.ci_low" ...); either side may be absent.
struct KeptFigure {
  std::string field;
  std::optional<double> reported;
  std::optional<double> recomputed;
};

// A cell of a check run with its figures.
struct KeptCell {
  CellKey key;
  std::vector<KeptFigure> figures;
};

// A `check` run as listed: which command made it, when (Unix ms), a label of the caller's
// choosing, and what it keeps. `size_bytes` estimates the bytes its rows take in the file.
struct StoredRun {
  std::int64_t id = 0;
  std::string command;
  std::int64_t at_ms = 0;
  std::string label;
  std::int64_t cells = 0;
  std::int64_t figures = 0;
  std::int64_t size_bytes = 0;
};

// A run read back whole. A run kept by schema version 1 has no cells but its whole results
// document, as that version stored it.
struct KeptRun {
  StoredRun summary;
  std::vector<KeptCell> cells; // in the order the store first kept each cell, by any run
  std::optional<std::string> document;
};

// What Store::save did with each exchange: stored a request never seen (fresh), added a
// version of a stored request (replaced), or found this very version there (unchanged).
struct SaveCounts {
  std::size_t fresh = 0;
  std::size_t replaced = 0;
  std::size_t unchanged = 0;
};

// What Store::prune removed, and the file's size before and after it reclaimed the space.
struct PruneSummary {
  std::int64_t runs = 0;
  std::int64_t figures = 0;
  std::int64_t cells = 0; // cell keys no kept run uses any more
  std::int64_t bytes_before = 0;
  std::int64_t bytes_after = 0;
};

// A change Reckon made, or would have made, to a vendor's state: the guardrail's pause of a
// test. Kept so that every such call can be accounted for afterwards.
struct StoredAction {
  std::int64_t id = 0;
  std::int64_t at_ms = 0; // Unix ms
  std::string action;     // "pause"
  std::string experiment; // the vendor's id
  std::string reason;     // the rules that called for it: "conversion_drop, srm"
  std::string outcome;    // "done", "dry run" or "failed: <why>"
};

// One rule that set a test's health status, as a health run keeps it.
struct KeptHealthReason {
  std::string rule;     // "conversion_drop", "srm", ...
  std::string severity; // "watch" or "critical"

  bool operator==(const KeptHealthReason&) const = default;
};

// One test as a health run found it: the words `reckon health` prints, kept as text so that the
// store need not know the analysis.
struct KeptHealthStatus {
  std::string experiment; // the vendor's id
  std::string name;
  std::string status; // "healthy", "watch", "critical"
  std::string verdict;
  std::optional<std::int64_t> runtime_days;
  std::vector<KeptHealthReason> reasons; // worst first, as reported
  std::string milestone;                 // the milestone reported ("7_days", ...); "" for none

  bool operator==(const KeptHealthStatus&) const = default;
};

// A `reckon health` run: when it ran (Unix ms), the day it judged, and its tests.
struct KeptHealthRun {
  std::int64_t id = 0;
  std::int64_t at_ms = 0;
  std::string as_of; // YYYY-MM-DD
  std::vector<KeptHealthStatus> tests;
};

// The SQLite store (SPEC §3): every API exchange ever saved, kept as history, and the
// figures of check runs. The file is in WAL mode with synchronous=NORMAL, so a process
// killed at any instant loses at most the transaction in flight and never corrupts the file
// (NORMAL may lose the last commits on power loss, never consistency; a re-run refetches
// them). Other processes may use the same file at once: writers wait for each other up to a
// busy timeout. One Store object must be used by one thread at a time.
//
// The store holds exactly what it is given: requests without headers, so no credentials,
// as long as callers keep keys out of paths, queries and bodies (the APIs take them in
// headers). Every error is ErrorCode::io naming the store file and what went wrong, in words
// for the usual causes (read-only, disk full, not a Reckon store), else SQLite's message.
class Store {
public:
  // Opens the store, creating the file and its schema when missing.
  static util::Result<Store> open(const std::filesystem::path& file);
  // Opens a store that must already exist: "no store at F (run `reckon fetch` or `reckon
  // import` first)" otherwise.
  static util::Result<Store> open_existing(const std::filesystem::path& file);
  // Opens a store that must already exist for reading only, as the commands that only read
  // do: it works on a read-only mount or folder and on a full disk, where SQLite is told the
  // file is immutable (unless its write-ahead log holds commits: then the message says how to
  // read them). Saving through it fails with "the store is read-only".
  static util::Result<Store> open_read_only(const std::filesystem::path& file);

  Store(Store&& other) noexcept;
  Store& operator=(Store&& other) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  const std::filesystem::path& file() const;

  // Saves the exchanges in one transaction: all or none. History is kept: saving a request
  // that is already stored adds a version; nothing is overwritten. An exchange identical to
  // a stored version (same request, fetch time, status and body) is already there and is
  // skipped, so importing the same folder twice changes nothing. `origin` is not stored. A
  // request's day window (ApiRequest::day) is not part of its identity: the request keeps the
  // last one saved with it, and an exchange without one leaves the stored day alone.
  util::Result<SaveCounts> save(std::span<const contract::ApiExchange> exchanges);

  // The newest stored exchange (latest fetch time, then latest saved) for exactly this
  // request: source, method, path, query in order, and body. Its origin names the request,
  // never a row id: "<store file>: METHOD PATH[?QUERY][ (day DATE, ZONE)]".
  util::Result<std::optional<contract::ApiExchange>>
  latest(const contract::ApiRequest& request) const;
  // The newest exchange of every distinct request of a source, in the order the requests
  // were first stored.
  util::Result<std::vector<contract::ApiExchange>> latest_all(std::string_view source) const;
  // The same over every source.
  util::Result<std::vector<contract::ApiExchange>> latest_all() const;
  // Every stored exchange, all versions, oldest fetch first (ties in the order saved).
  util::Result<std::vector<contract::ApiExchange>> all() const;

  // Keeps a check run's cells in one transaction; returns the run's id.
  util::Result<std::int64_t> add_run(std::string_view command, std::int64_t at_ms,
                                     std::string_view label, std::span<const KeptCell> cells);
  util::Result<std::optional<KeptRun>> run(std::int64_t id) const;
  // Every run, oldest first.
  util::Result<std::vector<StoredRun>> runs() const;
  // Deletes all but the newest `keep` runs with their figures, and the cell keys no run uses
  // any more, in one transaction; then rebuilds the file (VACUUM) to give the space back.
  util::Result<PruneSummary> prune(std::int64_t keep);
  // Records an action in its own transaction; returns its id.
  util::Result<std::int64_t> add_action(const StoredAction& action);
  // Every recorded action, oldest first (none in a store that never acted).
  util::Result<std::vector<StoredAction>> actions() const;

  // Keeps a health run with its tests in one transaction; returns the run's id.
  util::Result<std::int64_t> add_health_run(const KeptHealthRun& run);
  // Every health run, oldest first (by run time, then as kept), with its tests; only those of
  // `experiment` when it is given (a run without that test is left out). A store of schema
  // version 2 read where it cannot be migrated has none.
  util::Result<std::vector<KeptHealthRun>>
  health_runs(std::optional<std::string_view> experiment = std::nullopt) const;

  // The file's size in bytes as SQLite counts it (pages times page size).
  util::Result<std::int64_t> size_bytes() const;

  // The connection and its statements; complete only inside the store module's sources.
  struct Impl;

private:
  explicit Store(std::unique_ptr<Impl> impl);
  enum class Access { create, existing, read_only };
  static util::Result<Store> open_file(const std::filesystem::path& file, Access access);

  std::unique_ptr<Impl> m_impl;
};

} // namespace reckon::store
