// Settings files in JSON, and the choice between JSON and TOML (settings_toml.cpp).
#include "reckon/parse/settings_file.hpp"

#include "json_reader.hpp"

#include "reckon/util/number_format.hpp"

#include <cstdint>
#include <set>

namespace reckon::parse {
namespace {

using detail::JsonPath;
using detail::JsonReader;

// A value of a table. Messages say what was expected, never the value itself: a secret put
// under a wrong key must not be echoed.
std::optional<SettingValue> read_value(JsonReader& r, simdjson::dom::element value,
                                       const JsonPath& path) {
  switch (value.type()) {
  case simdjson::dom::element_type::STRING:
    return SettingValue{SettingValue::Kind::string, {std::string(*r.string(value, path))}};
  case simdjson::dom::element_type::BOOL:
    return SettingValue{SettingValue::Kind::boolean, {*r.boolean(value, path) ? "true" : "false"}};
  case simdjson::dom::element_type::INT64: {
    std::int64_t number = 0;
    [[maybe_unused]] const auto read = value.get_int64().get(number);
    return SettingValue{SettingValue::Kind::number, {std::to_string(number)}};
  }
  case simdjson::dom::element_type::UINT64: {
    std::uint64_t number = 0;
    [[maybe_unused]] const auto read = value.get_uint64().get(number);
    return SettingValue{SettingValue::Kind::number, {std::to_string(number)}};
  }
  case simdjson::dom::element_type::DOUBLE: {
    const std::optional<double> number = r.number(value, path); // simdjson reads only finite ones
    if (!number) {
      return std::nullopt;
    }
    return SettingValue{SettingValue::Kind::number, {util::format_round_trip(*number)}};
  }
  case simdjson::dom::element_type::ARRAY: {
    SettingValue strings{SettingValue::Kind::strings, {}};
    std::size_t index = 0;
    const std::optional<simdjson::dom::array> items = r.array(value, path);
    for (const simdjson::dom::element item : *items) {
      const JsonPath item_path = path.index(index++);
      if (!item.is_string()) {
        r.fail(item_path, "an array holds strings only here");
        return std::nullopt;
      }
      strings.items.emplace_back(*r.string(item, item_path));
    }
    return strings;
  }
  case simdjson::dom::element_type::OBJECT:
  case simdjson::dom::element_type::NULL_VALUE:
    break;
  }
  r.fail(path, "expected a number, a string, true, false or an array of strings (tables hold "
               "no tables, and null is no value: leave the key out)");
  return std::nullopt;
}

// The keys of one table, in order; a key given twice is an error, as in TOML.
void read_table(JsonReader& r, std::string_view table, simdjson::dom::element body,
                const JsonPath& path, std::vector<Setting>& settings) {
  if (!body.is_object()) {
    r.fail(path, "expected a table of settings (an object such as {\"min_runtime\": 10})");
    return;
  }
  std::set<std::string_view> seen;
  const std::optional<simdjson::dom::object> keys = r.object(body, path);
  for (const auto [key, value] : *keys) {
    const JsonPath key_path = path.key(key);
    if (!seen.insert(key).second) {
      r.fail(key_path, "the key appears twice in the table; give each key once");
      return;
    }
    std::optional<SettingValue> parsed = read_value(r, value, key_path);
    if (!parsed) {
      return;
    }
    settings.push_back(
        {std::string(table), std::string(key), std::move(*parsed), r.where(key_path)});
  }
}

bool ends_with(const std::string& name, std::string_view suffix) {
  return name.size() >= suffix.size() &&
         std::equal(suffix.rbegin(), suffix.rend(), name.rbegin(), [](char a, char b) {
           return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
         });
}

} // namespace

std::string_view settings_format_label(SettingsFormat format) {
  return format == SettingsFormat::json ? "JSON" : "TOML";
}

util::Result<std::vector<Setting>> parse_settings_json(std::string_view text,
                                                       const std::string& origin) {
  detail::JsonDocuments documents;
  const auto root = documents.read(text, origin);
  if (!root) {
    return root.error();
  }
  JsonReader r(origin, ":", "$");
  const JsonPath top;
  const auto tables = r.object(*root, top);
  if (!tables) {
    return r.error();
  }
  std::vector<Setting> settings;
  std::set<std::string_view> seen;
  for (const auto [table, body] : *tables) {
    const JsonPath table_path = top.key(table);
    if (!seen.insert(table).second) {
      r.fail(table_path, "the table appears twice; give each table once");
    } else {
      read_table(r, table, body, table_path, settings);
    }
    if (r.failed()) {
      return r.error();
    }
  }
  return settings;
}

util::Result<SettingsFile> parse_settings_file(std::string_view text,
                                               const std::string& file_name) {
  const bool named_json = ends_with(file_name, ".json");
  SettingsFile file;
  std::string guessed; // why the content decided, when the name did not
  if (named_json) {
    file.format = SettingsFormat::json;
  } else if (!ends_with(file_name, ".toml")) {
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    file.format = first != std::string_view::npos && text[first] == '{' ? SettingsFormat::json
                                                                        : SettingsFormat::toml;
    guessed = file.format == SettingsFormat::json
                  ? " (read as JSON: the name ends in neither .toml nor .json, and the text "
                    "starts with {)"
                  : " (read as TOML: the name ends in neither .toml nor .json, and the text does "
                    "not start with {)";
  }
  auto settings = file.format == SettingsFormat::json ? parse_settings_json(text, file_name)
                                                      : parse_settings_toml(text, file_name);
  if (!settings) {
    util::Error error = settings.error();
    error.message += guessed;
    return error;
  }
  file.settings = std::move(*settings);
  return file;
}

} // namespace reckon::parse
