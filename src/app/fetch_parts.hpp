#pragma once

#include "commands.hpp"

#include "reckon/fetch/http_client.hpp"
#include "reckon/fetch/session.hpp"
#include "reckon/util/result.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

// What the fetch of each source shares: how its API takes the key, the timeouts and the retry
// policy.
namespace reckon::app {

// How one source's API takes its key. Every source has one row in the table behind
// `source_access`, so adding a source is one line there.
struct SourceAccess {
  std::string_view source;
  std::string_view key_variable; // the environment variable the key is read from
  std::string_view header;       // the header the key is sent in
  std::string_view scheme;       // what precedes the key there ("Bearer ")
  // Where `--auth-header x-api-key` sends the key instead (bare); empty: the API takes no other.
  std::string_view x_api_key_header;
  // An API with no public address needs --base-url (the default names Intelligems').
  bool needs_base_url = false;
};

// The row of `source` (one of `fetch_sources()`, which --source checks).
const SourceAccess& source_access(std::string_view source);
std::vector<std::string> fetch_sources();
// "INTELLIGEMS_API_KEY, BANDIT_API_KEY or PLATFORM_API_KEY", for the options' help.
std::string key_variables();

std::chrono::milliseconds from_seconds(double seconds);

// The client of the source's API: its address, the key from --api-key-file or the source's
// variable (hidden from every diagnostic once read) in the header --auth-header chooses, and
// the timeouts. A usage error when the key is missing or unsendable, when --base-url is needed
// and not given, or when --auth-header names a header the source's API does not take.
util::Result<fetch::HttpSettings> http_settings(const FetchSettings& settings,
                                                const Console& console);

// Pacing and retries from the options; `check_body` decides whether a 200 can be stored.
fetch::SessionSettings session_settings(const FetchSettings& settings, fetch::BodyCheck check_body);

// `reckon fetch --source platform`: the experimentation platform's experiments and results.
util::Result<void> run_platform_fetch(const FetchSettings& settings, fetch::HttpSettings http,
                                      const Console& console);

} // namespace reckon::app
