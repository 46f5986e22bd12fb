#include "reckon/store/table_database.hpp"

#include "sqlite.hpp"
#include "support/paths.hpp"

#include "reckon/util/file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace reckon::store {
namespace {

using util::ColumnType;

// A table whose names need quoting and whose rows hold every kind of value.
util::Table sample_table() {
  util::Table table{
      "cells \"all\"",
      {{"id", ColumnType::integer}, {"share", ColumnType::real}, {"name", ColumnType::text}},
      {"id"},
      {{"name"}, {"share", "name"}},
      {}};
  table.rows.push_back({std::int64_t{1}, 0.25, std::string("a|b \"c\"")});
  table.rows.push_back({std::int64_t{2}, std::monostate{}, std::string()});
  return table;
}

sqlite::Database open_database(const std::filesystem::path& path) {
  sqlite3* handle = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  return sqlite::Database(handle);
}

// The one value a query gives, as text ("NULL" for NULL).
std::string query(const sqlite::Database& db, const std::string& sql) {
  sqlite::Statement statement;
  EXPECT_EQ(statement.prepare(db.get(), sql), SQLITE_OK) << sql << ": " << db.message();
  EXPECT_EQ(statement.step(), SQLITE_ROW) << sql;
  return statement.real(0) ? statement.text(0) : "NULL";
}

TEST(TableDatabase, WritesTypedColumnsKeysIndexesAndEveryValue) {
  const auto path = test::fresh_temp_dir("table-db") / "results.sqlite";
  const std::vector<util::Table> tables{sample_table()};
  const auto written = write_table_database(path, tables);
  ASSERT_TRUE(written) << written.error().describe();

  const sqlite::Database db = open_database(path);
  EXPECT_EQ(query(db, "SELECT count(*) FROM \"cells \"\"all\"\"\""), "2");
  EXPECT_EQ(query(db, "SELECT typeof(id) || typeof(share) || typeof(name) FROM "
                      "\"cells \"\"all\"\"\" WHERE id = 1"),
            "integerrealtext");
  EXPECT_EQ(query(db, "SELECT name FROM \"cells \"\"all\"\"\" WHERE id = 1"), "a|b \"c\"");
  EXPECT_EQ(query(db, "SELECT share FROM \"cells \"\"all\"\"\" WHERE id = 2"), "NULL");
  EXPECT_EQ(query(db, "SELECT group_concat(name || ':' || type || ':' || pk, ',') FROM "
                      "pragma_table_info('cells \"all\"')"),
            "id:INTEGER:1,share:REAL:0,name:TEXT:0");
  EXPECT_EQ(query(db, "SELECT count(*) FROM pragma_index_list('cells \"all\"') WHERE origin = 'c'"),
            "2");
}

TEST(TableDatabase, ReplacesAnEarlierDatabaseWhole) {
  const auto path = test::fresh_temp_dir("table-db") / "results.sqlite";
  ASSERT_TRUE(util::write_file_atomically(path, "not a database"));
  const std::vector<util::Table> tables{sample_table()};
  ASSERT_TRUE(write_table_database(path, tables));
  EXPECT_EQ(query(open_database(path), "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"),
            "1");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(path.parent_path()),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(TableDatabase, ADuplicateKeyOrAShortRowFailsAndLeavesTheTargetAsItWas) {
  const auto dir = test::fresh_temp_dir("table-db");
  const auto path = dir / "results.sqlite";
  ASSERT_TRUE(util::write_file_atomically(path, "earlier"));

  std::vector<util::Table> tables{sample_table()};
  tables[0].rows.push_back({std::int64_t{1}, 0.5, std::string("again")});
  const auto duplicate = write_table_database(path, tables);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, util::ErrorCode::io);
  EXPECT_NE(duplicate.error().message.find("cannot write row 3 of table cells \"all\""),
            std::string::npos)
      << duplicate.error().message;

  tables[0].rows.back() = {std::int64_t{3}};
  const auto short_row = write_table_database(path, tables);
  ASSERT_FALSE(short_row);
  EXPECT_EQ(short_row.error().describe(),
            path.string() + ": table cells \"all\" row 3 has 1 values for 3 columns");

  EXPECT_EQ(*util::read_file(path), "earlier");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir),
                          std::filesystem::directory_iterator()),
            1);
}

} // namespace
} // namespace reckon::store
