#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace reckon::util {

// A typed table as plain data: `report` builds them from results and `store` writes them to a
// database, so neither module needs the other (the store may not depend on analysis, and only
// the store may speak SQLite).

enum class ColumnType { integer, real, text };

struct Column {
  std::string name;
  ColumnType type = ColumnType::text;
};

// A cell: SQL NULL, an integer, a real or a text. A real must be finite (NaN is written NULL).
using TableValue = std::variant<std::monostate, std::int64_t, double, std::string>;

struct Table {
  std::string name;
  std::vector<Column> columns;
  // Names of the columns that identify a row; empty: no primary key.
  std::vector<std::string> primary_key;
  // Each entry indexes these columns, in this order.
  std::vector<std::vector<std::string>> indexes;
  // Each row holds one value per column, in column order.
  std::vector<std::vector<TableValue>> rows;
};

} // namespace reckon::util
