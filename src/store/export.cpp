#include "reckon/store/export.hpp"

#include "reckon/contract/saved_responses.hpp"
#include "reckon/util/file.hpp"
#include "reckon/util/stable_hash.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <optional>
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
std::string request_hash(const contract::ApiRequest& request) {
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
std::string file_stem(const contract::ApiRequest& request) {
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

// Whether `dir` may be replaced by an export: absent, empty, or an earlier export (it holds a
// manifest). Anything else is someone's folder, which an export must not sweep away.
util::Result<void> check_replaceable(const std::filesystem::path& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error) || std::filesystem::is_empty(dir, error) ||
      std::filesystem::exists(dir / contract::k_manifest_file, error)) {
    return {};
  }
  return util::make_error(util::ErrorCode::usage, dir.string(),
                          "holds files but no " + std::string(contract::k_manifest_file) +
                              ", so it is no earlier export; an export replaces its folder "
                              "whole: name a new or empty folder for --out");
}

// Writes every exchange and the manifest into the fresh folder `dir`.
util::Result<void> write_export(const std::vector<contract::ApiExchange>& exchanges,
                                const std::filesystem::path& dir) {
  std::set<std::string> used;
  std::vector<contract::ManifestEntry> entries;
  std::optional<std::int64_t> as_of_ms;
  for (const contract::ApiExchange& exchange : exchanges) {
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
    if (util::Result<void> written = util::write_new_file(file, exchange.body); !written) {
      return written;
    }
    entries.push_back({name, &exchange.request, exchange.status, exchange.fetched_at_ms});
    as_of_ms = std::max(as_of_ms.value_or(exchange.fetched_at_ms), exchange.fetched_at_ms);
  }
  return util::write_new_file(dir / contract::k_manifest_file,
                              contract::render_manifest(as_of_ms, entries));
}

} // namespace

util::Result<std::size_t> export_responses(const Store& store, const std::filesystem::path& dir) {
  util::Result<std::vector<contract::ApiExchange>> exchanges = store.latest_all();
  if (!exchanges) {
    return exchanges.error();
  }
  if (util::Result<void> replaceable = check_replaceable(dir); !replaceable) {
    return replaceable.error();
  }
  if (util::Result<void> written = util::replace_folder(
          dir, [&](const std::filesystem::path& fresh) { return write_export(*exchanges, fresh); });
      !written) {
    return written.error();
  }
  return exchanges->size();
}

} // namespace reckon::store
