// The README's table "What bad input gets", checked row by row: each row's example runs in a
// folder holding the fixtures of tests/integration/bad_input/, and must exit with the row's
// code and print the row's message as the first line on stderr (a message ending in "…" is a
// prefix). Adding a row is one line in the README plus its fixture file; a fixture no row uses
// fails the suite, so the two stay one to one.
//
// Fixtures: every file is copied (mode 0600). A file NAME.db.edit builds the store NAME.db: the
// demo account's saved responses (data/demo), with the response file named on its first line
// altered once, its second line's text replaced by its third's. The store is written directly,
// not through `reckon import`, so that a response import would refuse can still be stored.
//
// A row whose example names $DISK gets a small tmpfs of its own at that path (a full disk is
// what a folder cannot show to root); where this process cannot mount one, the row is skipped
// and says why.
#include "fetch_harness.hpp"

#include "support/sanitizers.hpp"
#include "support/scratch_mount.hpp"

namespace reckon::test {
namespace {

using fetch_tests::RecordedExchange;

const std::filesystem::path k_project = data_dir().parent_path();
const std::filesystem::path k_fixtures = k_project / "tests" / "integration" / "bad_input";

struct TableRow {
  std::string bad_input; // the class of bad input
  std::string example;   // a shell command line
  int exit_code = 0;
  std::string message; // the first line on stderr, or its beginning when it ended in "…"
  bool prefix = false;
  std::size_t line = 0; // in the README
};

// How gtest names a row in its listings and failures.
void PrintTo(const TableRow& row, std::ostream* out) {
  *out << "README.md:" << row.line << ": " << row.example;
}

// The cells of a Markdown table row, `\|` read as a bar inside a cell, code spans unwrapped.
std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells(1);
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cells.back() += '|';
      ++i;
    } else if (line[i] == '|') {
      cells.emplace_back();
    } else {
      cells.back() += line[i];
    }
  }
  cells.pop_back(); // after the closing bar
  for (std::string& cell : cells) {
    // Plain trimming: GCC 12 warns inside <regex> under the sanitizers (maybe-uninitialized).
    const std::size_t first = cell.find_first_not_of(' ');
    cell = first == std::string::npos ? ""
                                      : cell.substr(first, cell.find_last_not_of(' ') - first + 1);
    if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') {
      cell = cell.substr(1, cell.size() - 2);
    }
  }
  return cells;
}

// Every row of every table in the README section "What bad input gets".
std::vector<TableRow> readme_rows() {
  std::vector<TableRow> rows;
  std::ifstream readme(k_project / "README.md");
  std::size_t section_level = 0; // of the section's heading; 0 outside it
  std::size_t number = 0;
  const std::string ellipsis = "…";
  for (std::string line; std::getline(readme, line);) {
    ++number;
    // The section runs to the next heading of its level or above, over any subheadings.
    if (const std::size_t level = line.find_first_not_of('#'); level > 0 && level != line.npos) {
      if (line.ends_with(" What bad input gets")) {
        section_level = level;
      } else if (level <= section_level) {
        section_level = 0;
      }
      continue;
    }
    const std::vector<std::string> cells =
        section_level > 0 && line.starts_with("| ") ? cells_of(line) : std::vector<std::string>{};
    if (cells.size() != 4 || cells[2] == "exit" || cells[2].starts_with("---")) {
      continue;
    }
    TableRow row{cells[0], cells[1], std::stoi(cells[2]), cells[3], false, number};
    if (row.message.ends_with(ellipsis)) {
      row.message.resize(row.message.size() - ellipsis.size());
      row.prefix = true;
    }
    rows.push_back(row);
  }
  return rows;
}

void build_store(const std::filesystem::path& edit_file, const std::filesystem::path& store_file) {
  std::ifstream edit(edit_file);
  std::string response_file, find, replacement;
  std::getline(edit, response_file);
  std::getline(edit, find);
  std::getline(edit, replacement);
  std::vector<contract::ApiExchange> exchanges;
  bool edited = false;
  for (const RecordedExchange& recorded : fetch_tests::demo_account()) {
    std::string body = recorded.bytes;
    if (recorded.file == response_file) {
      const std::size_t at = body.find(find);
      ASSERT_NE(at, std::string::npos) << edit_file << ": " << find;
      body.replace(at, find.size(), replacement);
      edited = true;
    }
    exchanges.push_back({recorded.request, 200, 1'790'000'000'000, std::move(body), {}});
  }
  ASSERT_TRUE(edited) << edit_file << ": no response " << response_file;
  auto store = store::Store::open(store_file);
  ASSERT_TRUE(store) << store.error().describe();
  ASSERT_TRUE(store->save(exchanges));
}

// A fresh folder holding every fixture, and the stores the .edit files describe.
std::filesystem::path prepared_folder() {
  const std::filesystem::path dir = fresh_temp_dir("bad-input");
  for (const auto& entry : std::filesystem::directory_iterator(k_fixtures)) {
    const std::filesystem::path copy = dir / entry.path().filename();
    std::filesystem::copy_file(entry.path(), copy);
    std::filesystem::permissions(copy, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write);
    if (entry.path().extension() == ".edit") {
      build_store(entry.path(), dir / entry.path().stem());
    }
  }
  return dir;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

class BadInputTable : public ::testing::TestWithParam<TableRow> {};

TEST_P(BadInputTable, ExitsWithTheRowsCodeAndMessage) {
  const TableRow& row = GetParam();
  SCOPED_TRACE("README.md:" + std::to_string(row.line) + ": " + row.bad_input);
  if (k_address_sanitizer && row.example.find("ulimit -v") != std::string::npos) {
    GTEST_SKIP() << "AddressSanitizer reserves more address space than any ulimit -v leaves";
  }
  ProcessOptions options;
  options.environment["PATH"] =
      fetch_tests::k_binary.parent_path().string() + ":/usr/local/bin:/usr/bin:/bin";
  options.environment["INTELLIGEMS_API_KEY"] = std::nullopt;
  std::optional<ScratchMount> disk;
  if (row.example.find("$DISK") != std::string::npos) {
    constexpr std::size_t k_disk_bytes = 256 * 1024;
    disk.emplace(k_disk_bytes);
    if (!disk->available()) {
      GTEST_SKIP() << "the row needs a small tmpfs at $DISK: " << disk->why_not();
    }
    options.environment["DISK"] = disk->path().string();
  }
  const ProcessResult result =
      run_process("/bin/sh", {"-c", row.example}, prepared_folder(), options);
  EXPECT_EQ(result.exit_code, row.exit_code) << row.example << "\n" << result.err;
  const std::string line = first_line(result.err);
  if (row.prefix) {
    EXPECT_THAT(line, ::testing::StartsWith(row.message)) << row.example;
  } else {
    EXPECT_EQ(line, row.message) << row.example;
  }
}

// The row's class in letters and digits, cut to a readable length; the fixture test holds
// these names unique.
std::string name_of(const TableRow& row) {
  constexpr std::size_t k_longest = 48;
  std::string name;
  for (const char c : row.bad_input) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 && name.size() < k_longest) {
      name += c;
    }
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Readme, BadInputTable, ::testing::ValuesIn(readme_rows()),
                         [](const ::testing::TestParamInfo<TableRow>& row_info) {
                           return name_of(row_info.param);
                         });

TEST(BadInputTableFixtures, EveryFixtureServesARowAndTheTableIsThere) {
  const std::vector<TableRow> rows = readme_rows();
  EXPECT_GE(rows.size(), 40U);
  std::set<std::string> names;
  for (const TableRow& row : rows) {
    EXPECT_TRUE(names.insert(name_of(row)).second) << "two rows of class " << row.bad_input;
  }
  for (const auto& entry : std::filesystem::directory_iterator(k_fixtures)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".edit")) {
      name = entry.path().stem().string(); // the store it builds
    }
    EXPECT_TRUE(std::any_of(
        rows.begin(), rows.end(),
        [&name](const TableRow& row) { return row.example.find(name) != std::string::npos; }))
        << "no README row uses the fixture " << name;
  }
}

} // namespace
} // namespace reckon::test
