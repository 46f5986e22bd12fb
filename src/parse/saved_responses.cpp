#include "reckon/parse/saved_responses.hpp"

#include "iso_time.hpp"
#include "json_reader.hpp"

#include "reckon/contract/saved_responses.hpp"
#include "reckon/util/calendar.hpp"
#include "reckon/util/file.hpp"

#include <string>

namespace reckon::parse {

namespace {

using detail::JsonPath;
using detail::JsonReader;
using simdjson::dom::element;

// A listed file stays inside the folder: relative, and without a ".." step.
bool stays_inside(const std::filesystem::path& file) {
  if (file.empty() || file.is_absolute() || file.has_root_name() || file.has_root_directory()) {
    return false;
  }
  for (const std::filesystem::path& step : file) {
    if (step == "..") {
      return false;
    }
  }
  return true;
}

std::optional<std::string> read_string(JsonReader& r, simdjson::dom::object entry,
                                       std::string_view key, const JsonPath& path) {
  const auto value = r.required(entry, key, path);
  const auto text = value ? r.string(*value, path.key(key)) : std::nullopt;
  return text ? std::optional<std::string>(*text) : std::nullopt;
}

// The day a day window covers, when the entry says (folders written before Reckon kept it,
// and requests that are no day window, do not): `local_date` and `time_zone` go together.
void read_day(JsonReader& r, simdjson::dom::object entry, const JsonPath& path,
              contract::ApiRequest& request) {
  const auto date = r.field(entry, "local_date");
  const auto zone = r.field(entry, "time_zone");
  const bool has_date = date && !date->is_null();
  const bool has_zone = zone && !zone->is_null();
  if (!has_date && !has_zone) {
    return;
  }
  if (has_date != has_zone) {
    r.fail(path.key(has_date ? "time_zone" : "local_date"),
           "expected local_date and time_zone together, got only one");
    return;
  }
  const auto date_text = r.string(*date, path.key("local_date"));
  const auto zone_text = r.string(*zone, path.key("time_zone"));
  if (!date_text || !zone_text) {
    return;
  }
  if (!util::Date::parse(*date_text)) {
    r.fail(path.key("local_date"),
           "expected a date YYYY-MM-DD, got \"" + std::string(*date_text) + "\"");
    return;
  }
  request.day = contract::DayWindow{std::string(*date_text), std::string(*zone_text)};
}

// The request and status of one manifest entry; the body is read afterwards.
std::optional<contract::ApiExchange> read_entry(JsonReader& r, element item, const JsonPath& path,
                                                std::filesystem::path& file) {
  const auto entry = r.object(item, path);
  if (!entry) {
    return std::nullopt;
  }
  contract::ApiExchange exchange;
  const auto file_name = read_string(r, *entry, "file", path);
  const auto source = read_string(r, *entry, "source", path);
  const auto method = read_string(r, *entry, "method", path);
  const auto request_path = read_string(r, *entry, "path", path);
  if (r.failed()) {
    return std::nullopt;
  }
  file = std::filesystem::path(*file_name);
  if (!stays_inside(file)) {
    r.fail(path.key("file"),
           "expected a relative path inside the folder, got \"" + *file_name + "\"");
    return std::nullopt;
  }
  exchange.request.source = *source;
  exchange.request.method = *method;
  exchange.request.path = *request_path;

  if (const auto status = r.required(*entry, "status", path)) {
    const auto code = r.count(*status, path.key("status"));
    if (code && (*code < 100 || *code > 599)) {
      r.fail(path.key("status"),
             "expected an HTTP status from 100 to 599, got " + std::to_string(*code));
    }
    exchange.status = static_cast<int>(code.value_or(0));
  }
  if (const auto query = r.field(*entry, "query"); query && !query->is_null()) {
    const JsonPath query_path = path.key("query");
    if (const auto pairs = r.object(*query, query_path)) {
      for (const auto [key, value] : *pairs) {
        const auto text = r.string(value, query_path.key(key));
        if (!text) {
          return std::nullopt;
        }
        exchange.request.query.emplace_back(std::string(key), std::string(*text));
      }
    }
  }
  if (const auto body = r.field(*entry, "body"); body && !body->is_null()) {
    if (const auto text = r.string(*body, path.key("body"))) {
      exchange.request.body = std::string(*text);
    }
  }
  // `reckon export` records each response's own fetch time; simulated folders share as_of.
  if (const auto fetched = r.field(*entry, "fetched_at_ms"); fetched && !fetched->is_null()) {
    const auto ms = r.count(*fetched, path.key("fetched_at_ms"));
    if (ms && !detail::is_plausible_time_ms(static_cast<std::int64_t>(*ms))) {
      r.fail(path.key("fetched_at_ms"), "expected Unix milliseconds between 2000 and 2100");
    }
    exchange.fetched_at_ms = static_cast<std::int64_t>(ms.value_or(0));
  }
  read_day(r, *entry, path, exchange.request);
  if (r.failed()) {
    return std::nullopt;
  }
  return exchange;
}

} // namespace

util::Result<std::vector<contract::ApiExchange>>
read_saved_responses(const std::filesystem::path& dir) {
  const std::filesystem::path manifest_path = dir / contract::k_manifest_file;
  auto text = util::read_file(manifest_path);
  if (!text) {
    return text.error();
  }
  detail::JsonDocuments documents;
  const auto root = documents.read(*text, manifest_path.string());
  if (!root) {
    return root.error();
  }
  JsonReader r(manifest_path.string(), ":", "$");
  const JsonPath top;
  const auto manifest = r.object(*root, top);
  if (!manifest) {
    return r.error();
  }
  if (const auto schema = r.required(*manifest, "schema", top)) {
    const auto name = r.string(*schema, top.key("schema"));
    if (name && *name != contract::k_manifest_schema) {
      r.fail(top.key("schema"), "expected \"" + std::string(contract::k_manifest_schema) +
                                    "\", got \"" + std::string(*name) + "\"");
    }
  }
  std::int64_t as_of_ms = 0;
  // An exported empty store has no fetch time: as_of is null.
  if (const auto as_of = r.required(*manifest, "as_of", top); as_of && !as_of->is_null()) {
    if (const auto stamp = r.string(*as_of, top.key("as_of"))) {
      const auto parsed = detail::parse_iso8601_ms(*stamp);
      if (!parsed || !detail::is_plausible_time_ms(*parsed)) {
        r.fail(top.key("as_of"), "expected an ISO 8601 time between 2000 and 2100 such as "
                                 "\"2026-09-29T06:00:00Z\", got \"" +
                                     std::string(*stamp) + "\"");
      }
      as_of_ms = parsed.value_or(0);
    }
  }
  const auto responses = r.required(*manifest, "responses", top);
  const auto list = responses ? r.array(*responses, top.key("responses")) : std::nullopt;
  if (r.failed()) {
    return r.error();
  }
  // Every entry is read before any file, since each later parse would invalidate the
  // manifest's document; the files are read afterwards.
  std::vector<contract::ApiExchange> exchanges;
  std::vector<std::filesystem::path> files;
  exchanges.reserve(list->size());
  files.reserve(list->size());
  const JsonPath list_path = top.key("responses");
  std::size_t index = 0;
  for (const element item : *list) {
    const JsonPath item_path = list_path.index(index++);
    std::filesystem::path file;
    auto exchange = read_entry(r, item, item_path, file);
    if (!exchange) {
      return r.error();
    }
    if (exchange->fetched_at_ms == 0) {
      exchange->fetched_at_ms = as_of_ms;
    }
    exchanges.push_back(std::move(*exchange));
    files.push_back(std::move(file));
  }
  for (std::size_t i = 0; i < exchanges.size(); ++i) {
    const std::filesystem::path file = dir / files[i];
    auto body = util::read_file(file);
    if (!body) {
      return body.error();
    }
    exchanges[i].body = std::move(*body);
    exchanges[i].origin = file.string();
  }
  return exchanges;
}

} // namespace reckon::parse
