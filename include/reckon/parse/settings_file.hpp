#pragma once

#include "reckon/util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace reckon::parse {

// A settings file (`reckon health --config FILE`): tables of keys whose values are numbers,
// strings, booleans or arrays of strings, written in TOML or JSON. Only the syntax is read
// here, strictly (anything outside the subset is an error naming its line and column); which
// tables and keys mean something is the command's business.

enum class SettingsFormat { toml, json };

struct SettingValue {
  enum class Kind { number, string, boolean, strings };
  Kind kind = Kind::string;
  // A number as written (TOML's `_` separators and a leading `+` dropped; JSON's in its
  // shortest exact form), a string's characters, "true" or "false"; each string of an array.
  std::vector<std::string> items;
};

struct Setting {
  std::string table; // "" for a TOML key above every table header
  std::string key;
  SettingValue value;
  std::string where; // "file:3:1" (TOML: the key's line and column) or "file:$.health.key"
};

struct SettingsFile {
  SettingsFormat format = SettingsFormat::toml;
  std::vector<Setting> settings; // in the file's order
};

// "TOML", "JSON".
std::string_view settings_format_label(SettingsFormat format);

// TOML's subset: `[table]` headers with bare names, `key = value` lines with bare keys, values
// a decimal integer or float, a basic ("...") or literal ('...') single-line string, true or
// false, or an array of such strings (which may span lines); `#` comments; LF or CRLF line
// ends. A table or a key given twice is an error. Errors are bad_input at "origin:line:column".
util::Result<std::vector<Setting>> parse_settings_toml(std::string_view text,
                                                       const std::string& origin);

// The same in JSON: an object whose members are tables (objects) of keys. Errors are
// bad_input at "origin:$.table.key".
util::Result<std::vector<Setting>> parse_settings_json(std::string_view text,
                                                       const std::string& origin);

// Reads `text`, the content of the file `file_name`, as TOML or JSON by the name's extension
// (.toml, .json), else by its content (JSON when it starts with `{`, white space aside); an
// error of a file read by its content says which format it was read as, and why.
util::Result<SettingsFile> parse_settings_file(std::string_view text, const std::string& file_name);

} // namespace reckon::parse
