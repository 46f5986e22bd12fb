#include "reckon/store/export.hpp"

#include "reckon/util/calendar.hpp"
#include "reckon/util/file.hpp"
#include "reckon/util/json_writer.hpp"
#include "reckon/util/stable_hash.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <string>
#include <system_error>
#include <vector>

namespace reckon::store {
namespace {

// Long segments are cut: the hash in the file name tells requests apart, not the folders.
constexpr std::size_t k_max_segment = 100;

// A path segment safe as a folder name on any file system: letters, digits, '-', '_' and
// '.', never a hidden or special name.
std::string safe_segment(std::string_view segment) {
  std::string safe;
  for (const char c : segment.substr(0, k_max_segment)) {
    const bool keep =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    safe.push_back(keep ? c : '_');
  }
  if (safe.empty() || safe.front() == '.') {
    safe.insert(safe.begin(), '_');
  }
  return safe;
}

// The request's canonical text hashed: method, path, every query pair in order, body.
std::string request_hash(const util::ApiRequest& request) {
  std::uint64_t state = util::stable_hash({request.source, request.method, request.path});
  for (const auto& [name, value] : request.query) {
    state = util::stable_hash(name, state);
    state = util::stable_hash(std::string_view("\x1e", 1), state);
    state = util::stable_hash(value, state);
    state = util::stable_hash(std::string_view("\x1f", 1), state);
  }
  state = util::stable_hash(std::string_view("\x1d", 1), state);
  state = util::stable_hash(request.body, state);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string hex(16, '0');
  for (std::size_t i = 0; i < 16; ++i) {
    hex[15 - i] = k_hex[(state >> (4 * i)) & 0xF];
  }
  return hex;
}

// "<source>/<segments>/<method>-<hash>", relative to the export folder, without ".json".
std::string file_stem(const util::ApiRequest& request) {
  std::string name = safe_segment(request.source);
  std::size_t start = 0;
  const std::string_view path = request.path;
  while (start < path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    if (end > start) {
      name.push_back('/');
      name += safe_segment(path.substr(start, end - start));
    }
    start = end + 1;
  }
  std::string method = safe_segment(request.method);
  std::transform(method.begin(), method.end(), method.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  name.push_back('/');
  name += method;
  name.push_back('-');
  name += request_hash(request);
  return name;
}

// 2026-09-29T06:00:00Z, the manifest's as_of.
std::string utc_seconds_text(std::int64_t unix_ms) {
  const std::int64_t seconds = unix_ms >= 0 ? unix_ms / 1000 : -((-unix_ms + 999) / 1000);
  const std::int64_t days = seconds >= 0 ? seconds / 86'400 : -((-seconds + 86'399) / 86'400);
  const std::int64_t clock = seconds - days * 86'400;
  std::string text = util::Date{days}.to_string() + "T";
  for (const std::int64_t part : {clock / 3600, clock / 60 % 60, clock % 60}) {
    text.push_back(static_cast<char>('0' + part / 10));
    text.push_back(static_cast<char>('0' + part % 10));
    text.push_back(':');
  }
  text.back() = 'Z';
  return text;
}

} // namespace

util::Result<std::size_t> export_responses(const Store& store, const std::filesystem::path& dir) {
  util::Result<std::vector<util::ApiExchange>> exchanges = store.latest_all();
  if (!exchanges) {
    return exchanges.error();
  }
  std::error_code created;
  std::filesystem::create_directories(dir, created);
  if (created) {
    return util::make_error(util::ErrorCode::io, dir.string(),
                            "cannot create the folder: " + created.message());
  }
  std::set<std::string> used;
  util::JsonWriter manifest;
  manifest.begin_object();
  manifest.key("schema").value("reckon.simulated-responses/v1");
  manifest.key("as_of");
  if (exchanges->empty()) {
    manifest.null();
  } else {
    const auto newest =
        std::max_element(exchanges->begin(), exchanges->end(), [](const auto& a, const auto& b) {
          return a.fetched_at_ms < b.fetched_at_ms;
        });
    manifest.value(utc_seconds_text(newest->fetched_at_ms));
  }
  manifest.key("responses").begin_array();
  for (const util::ApiExchange& exchange : *exchanges) {
    const std::string stem = file_stem(exchange.request);
    std::string name = stem;
    name += ".json";
    // Two requests whose 64-bit hashes collide still get files of their own.
    for (int n = 2; !used.insert(name).second; ++n) {
      name = stem;
      name.push_back('-');
      name += std::to_string(n);
      name += ".json";
    }
    const std::filesystem::path file = dir / name;
    std::error_code error;
    std::filesystem::create_directories(file.parent_path(), error);
    if (error) {
      return util::make_error(util::ErrorCode::io, file.parent_path().string(),
                              "cannot create the folder: " + error.message());
    }
    if (util::Result<void> written = util::write_file_atomically(file, exchange.body); !written) {
      return written.error();
    }
    const util::ApiRequest& request = exchange.request;
    manifest.begin_object();
    manifest.key("file").value(name);
    manifest.key("source").value(request.source);
    manifest.key("status").value(exchange.status);
    manifest.key("method").value(request.method);
    manifest.key("path").value(request.path);
    manifest.key("query").begin_object();
    for (const auto& [key, value] : request.query) {
      manifest.key(key).value(value);
    }
    manifest.end_object();
    manifest.key("body");
    request.body.empty() ? manifest.null() : manifest.value(request.body);
    manifest.key("fetched_at_ms");
    exchange.fetched_at_ms >= 0 ? manifest.value(static_cast<std::uint64_t>(exchange.fetched_at_ms))
                                : manifest.value(static_cast<double>(exchange.fetched_at_ms));
    manifest.end_object();
  }
  manifest.end_array();
  manifest.end_object();
  if (util::Result<void> written =
          util::write_file_atomically(dir / "manifest.json", manifest.finish());
      !written) {
    return written.error();
  }
  return exchanges->size();
}

} // namespace reckon::store
