#pragma once

#include "reckon/util/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::parse {

// "file:line:column", the place every CSV error points at (1-based line and field index).
std::string csv_location(std::string_view file_name, std::size_t line, std::size_t column);

// One CSV record and the 1-based line on which it starts (a quoted field may span lines).
struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;
};

// Reads RFC 4180 records one at a time, so a large file never exists twice in memory.
// Accepts LF, CRLF or a lone CR as the line break and skips a UTF-8 byte order mark at the
// start. A stray quote inside an unquoted field is kept as data, as spreadsheets write it. A
// field that is not well-formed UTF-8 is an error: its text would reach JSON output.
// The text and file name must outlive the reader.
class CsvReader {
public:
  CsvReader(std::string_view text, std::string_view file_name);

  // Fills `record` with the next record and returns true, or returns false at the end of the
  // text. Fails on an unterminated quoted field, on text after a closing quote, or on a field
  // that is not UTF-8.
  util::Result<bool> next(CsvRecord& record);

  // The byte offset of the next record, and the line it starts on.
  std::size_t position() const { return m_pos; }
  // Goes on from a record's offset and line that position() and CsvRecord::line gave.
  void seek(std::size_t position, std::size_t line) {
    m_pos = position;
    m_line = line;
  }

private:
  // Appends the quoted field starting at the opening quote, advancing past the closing one.
  util::Result<void> read_quoted(std::string& field, std::size_t column);
  // Counts the line breaks in `text`, a CRLF pair as one.
  void count_lines(std::string_view text);

  std::string_view m_text;
  std::string_view m_file_name;
  std::size_t m_pos = 0;
  std::size_t m_line = 1;
};

} // namespace reckon::parse
