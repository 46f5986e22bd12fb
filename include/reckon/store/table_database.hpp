#pragma once

#include "reckon/util/result.hpp"
#include "reckon/util/table.hpp"

#include <filesystem>
#include <span>

namespace reckon::store {

// Writes `tables` as a new SQLite database at `path`, for BI tools: one table each with typed
// columns (INTEGER, REAL, TEXT), its primary key and its indexes, filled in one transaction.
// The database is built in a temporary file beside `path` and renamed over it, so a reader
// never sees half of it and a failure leaves `path` as it was. Table and column names are
// quoted as SQL identifiers; a row whose value count differs from its table's columns, or a
// duplicate primary key, is an io error naming the table.
util::Result<void> write_table_database(const std::filesystem::path& path,
                                        std::span<const util::Table> tables);

} // namespace reckon::store
