#include "reckon/contract/saved_responses.hpp"

#include "reckon/util/calendar.hpp"
#include "reckon/util/json_writer.hpp"

namespace reckon::contract {

std::string render_manifest(std::optional<std::int64_t> as_of_ms,
                            std::span<const ManifestEntry> entries) {
  util::JsonWriter json;
  json.begin_object();
  json.key("schema").value(k_manifest_schema);
  json.key("as_of");
  as_of_ms ? json.value(util::utc_seconds_text(*as_of_ms)) : json.null();
  json.key("responses").begin_array();
  for (const ManifestEntry& entry : entries) {
    const ApiRequest& request = *entry.request;
    json.begin_object();
    json.key("file").value(entry.file);
    json.key("source").value(request.source);
    json.key("status").value(entry.status);
    json.key("method").value(request.method);
    json.key("path").value(request.path);
    json.key("query").begin_object();
    for (const auto& [name, value] : request.query) {
      json.key(name).value(value);
    }
    json.end_object();
    json.key("body");
    request.body.empty() ? json.null() : json.value(request.body);
    if (entry.fetched_at_ms) {
      json.key("fetched_at_ms");
      *entry.fetched_at_ms >= 0 ? json.value(static_cast<std::uint64_t>(*entry.fetched_at_ms))
                                : json.value(static_cast<double>(*entry.fetched_at_ms));
    }
    if (request.day) {
      json.key("local_date").value(request.day->local_date);
      json.key("time_zone").value(request.day->time_zone);
    }
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.finish();
}

} // namespace reckon::contract
