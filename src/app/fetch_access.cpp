#include "fetch_parts.hpp"
#include "option_checks.hpp"
#include "wall_clock.hpp"

#include "reckon/contract/bandit.hpp"
#include "reckon/contract/intelligems.hpp"
#include "reckon/contract/platform.hpp"
#include "reckon/util/file.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <sstream>

namespace reckon::app {
namespace {

using util::ErrorCode;

// Each source's key variable and header, in one place: the seeds say Intelligems takes its own
// header, the platform (003) and the bandit (004) a Bearer key, the bandit `x-api-key` too.
constexpr std::array k_sources{
    SourceAccess{contract::intelligems::k_source, "INTELLIGEMS_API_KEY",
                 contract::intelligems::k_key_header, "", "", false},
    SourceAccess{contract::bandit::k_source, "BANDIT_API_KEY", "Authorization", "Bearer ",
                 contract::bandit::k_api_key_header, true},
    SourceAccess{contract::platform::k_source, "PLATFORM_API_KEY", "Authorization", "Bearer ", "",
                 true},
};

// A key file others can read leaks the key to them: said once, on the one read of the file.
void warn_if_shared(const std::string& path, const Console& console) {
  struct stat status {};
  if (::stat(path.c_str(), &status) == 0 && (status.st_mode & (S_IRGRP | S_IROTH)) != 0) {
    std::ostringstream mode;
    mode << std::oct << (status.st_mode & 0777U);
    console.warn("--api-key-file " + path + " is readable by other users (mode 0" + mode.str() +
                 "); chmod 600 " + path);
  }
}

// The key comes from a file named on the command line or from the environment, never from an
// argument, so that it stays out of shell history and process listings. Once read it is hidden
// from every diagnostic.
util::Result<fetch::Secret> read_api_key(const FetchSettings& settings, const Console& console,
                                         const std::string& variable) {
  const bool from_file = !settings.api_key_file.empty();
  const std::string origin = from_file ? "--api-key-file " + settings.api_key_file : variable;
  std::string key;
  if (from_file) {
    auto text = util::read_file(settings.api_key_file);
    if (!text) {
      return util::make_error(text.error().code, origin, text.error().message);
    }
    warn_if_shared(settings.api_key_file, console);
    key = std::move(*text);
  } else if (const char* value = std::getenv(variable.c_str())) {
    key = value;
  }
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' ')) {
    key.pop_back();
  }
  console.hide(key);
  if (key.empty()) {
    return util::make_error(ErrorCode::usage, origin,
                            from_file ? "the file holds no API key"
                                      : "no API key: set " + variable + " or pass --api-key-file");
  }
  if (const auto bad = first_unsendable(key)) {
    return util::make_error(ErrorCode::usage, origin,
                            "the API key holds a control character, a space or a non-ASCII "
                            "byte at byte " +
                                std::to_string(*bad + 1) +
                                "; a key is one line of printable ASCII characters");
  }
  return fetch::Secret(std::move(key));
}

// --auth-header x-api-key for an API that takes no such header.
util::Result<void> check_auth_header(const FetchSettings& settings, const SourceAccess& access) {
  if (settings.auth_header == "x-api-key" && access.x_api_key_header.empty()) {
    return util::make_error(ErrorCode::usage, "--auth-header",
                            "the " + std::string(access.source) + " API takes its key only in " +
                                std::string(access.header) + "; drop --auth-header x-api-key");
  }
  return {};
}

} // namespace

const SourceAccess& source_access(std::string_view source) {
  const auto* found =
      std::find_if(k_sources.begin(), k_sources.end(),
                   [source](const SourceAccess& row) { return row.source == source; });
  return found == k_sources.end() ? k_sources.front() : *found;
}

std::vector<std::string> fetch_sources() {
  std::vector<std::string> names;
  for (const SourceAccess& row : k_sources) {
    names.emplace_back(row.source);
  }
  return names;
}

std::string key_variables() {
  std::string text;
  for (std::size_t i = 0; i < k_sources.size(); ++i) {
    text.append(i == 0                      ? ""
                : i + 1 == k_sources.size() ? " or "
                                            : ", ")
        .append(k_sources[i].key_variable);
  }
  return text;
}

std::chrono::milliseconds from_seconds(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

util::Result<fetch::HttpSettings> http_settings(const FetchSettings& settings,
                                                const Console& console) {
  const SourceAccess& access = source_access(settings.source);
  if (auto checked = check_auth_header(settings, access); !checked) {
    return checked.error();
  }
  auto key = read_api_key(settings, console, std::string(access.key_variable));
  if (!key) {
    return key.error();
  }
  if (access.needs_base_url && settings.base_url == FetchSettings{}.base_url) {
    return util::make_error(ErrorCode::usage, "--base-url",
                            "the " + std::string(access.source) +
                                " API has no public address: pass --base-url URL");
  }
  const bool x_api_key = settings.auth_header == "x-api-key";
  return fetch::HttpSettings{
      settings.base_url,
      std::string(x_api_key ? access.x_api_key_header : access.header),
      std::move(*key).with_scheme(std::string(x_api_key ? "" : access.scheme)),
      from_seconds(settings.connect_timeout_s),
      from_seconds(settings.timeout_s),
      settings.max_response_mb * 1'000'000};
}

fetch::SessionSettings session_settings(const FetchSettings& settings,
                                        fetch::BodyCheck check_body) {
  fetch::RetryPolicy retry;
  retry.max_attempts = settings.max_attempts;
  retry.first_backoff = from_seconds(settings.first_backoff_s);
  retry.max_wait = from_seconds(settings.max_wait_s);
  return {settings.requests_per_second, retry, static_cast<std::uint64_t>(now_ms()),
          std::move(check_body)};
}

} // namespace reckon::app
