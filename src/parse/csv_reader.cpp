#include "csv_reader.hpp"

#include "reckon/util/text.hpp"

#include <algorithm>

namespace reckon::parse {
namespace {

constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";

// Reuses the strings of earlier records, so reading a long file allocates little.
std::string& reuse_field(std::vector<std::string>& fields, std::size_t index) {
  if (index < fields.size()) {
    fields[index].clear();
  } else {
    fields.emplace_back();
  }
  return fields[index];
}

} // namespace

std::string csv_location(std::string_view file_name, std::size_t line, std::size_t column) {
  std::string where(file_name);
  where += ':';
  where += std::to_string(line);
  where += ':';
  where += std::to_string(column);
  return where;
}

CsvReader::CsvReader(std::string_view text, std::string_view file_name)
    : m_text(text), m_file_name(file_name) {
  if (m_text.starts_with(k_utf8_bom)) {
    m_pos = k_utf8_bom.size();
  }
}

util::Result<bool> CsvReader::next(CsvRecord& record) {
  if (m_pos >= m_text.size()) {
    return false;
  }
  record.line = m_line;
  std::size_t count = 0;
  while (true) {
    std::string& field = reuse_field(record.fields, count++);
    if (m_text[m_pos] == '"') {
      if (auto quoted = read_quoted(field, count); !quoted) {
        return quoted.error();
      }
    } else {
      const std::size_t end = std::min(m_text.find_first_of(",\r\n", m_pos), m_text.size());
      field.append(m_text.substr(m_pos, end - m_pos));
      m_pos = end;
    }
    if (const auto invalid = util::first_invalid_utf8(field)) {
      return util::make_error(util::ErrorCode::bad_input,
                              csv_location(m_file_name, record.line, count),
                              "not UTF-8: byte " + std::to_string(*invalid + 1) +
                                  " of the field cannot start or continue a UTF-8 character; "
                                  "save the file as UTF-8");
    }
    if (m_pos >= m_text.size()) {
      break;
    }
    const char delimiter = m_text[m_pos++];
    if (delimiter == ',') {
      if (m_pos >= m_text.size()) {
        reuse_field(record.fields, count++);
        break;
      }
      continue;
    }
    if (delimiter == '\r' && m_pos < m_text.size() && m_text[m_pos] == '\n') {
      ++m_pos;
    }
    ++m_line;
    break;
  }
  record.fields.resize(count);
  return true;
}

util::Result<void> CsvReader::read_quoted(std::string& field, std::size_t column) {
  const std::size_t open_line = m_line;
  ++m_pos;
  while (true) {
    const std::size_t close = m_text.find('"', m_pos);
    if (close == std::string_view::npos) {
      return util::make_error(util::ErrorCode::bad_input,
                              csv_location(m_file_name, open_line, column),
                              "unterminated quoted field: the closing quote is missing");
    }
    const std::string_view chunk = m_text.substr(m_pos, close - m_pos);
    field.append(chunk);
    count_lines(chunk);
    m_pos = close + 1;
    // Inside quotes, a doubled quote stands for one quote character.
    if (m_pos < m_text.size() && m_text[m_pos] == '"') {
      field += '"';
      ++m_pos;
      continue;
    }
    break;
  }
  if (m_pos < m_text.size() && m_text[m_pos] != ',' && m_text[m_pos] != '\r' &&
      m_text[m_pos] != '\n') {
    return util::make_error(util::ErrorCode::bad_input, csv_location(m_file_name, m_line, column),
                            "unexpected text after the closing quote of a quoted field");
  }
  return {};
}

void CsvReader::count_lines(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      ++m_line;
    }
  }
}

} // namespace reckon::parse
