// What the `reckon fetch` end-to-end tests share: the demo account as the local Intelligems
// server serves it, the request keys that settle, the command's summary line, and a harness
// that runs the binary against the server and a fresh store.
#pragma once

#include "support/intelligems_server.hpp"
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include "reckon/contract/intelligems.hpp"
#include "reckon/store/store.hpp"
#include "reckon/util/time_zone.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace reckon::test::fetch_tests {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

inline const std::filesystem::path k_binary = RECKON_BINARY;
inline constexpr const char* k_key = "test-intelligems-key";
inline const std::string k_prefix(contract::intelligems::k_prefix);
inline const std::string k_legacy_sitewide = k_prefix + "/analytics/sitewide";
// The experience data/demo/scenario.json plants a vendor error in (its overview p2bc).
inline const std::string k_cart_upsell_drawer = "10238c92-794f-4eb0-9dc1-a075e7efe593";

inline std::string text_of(simdjson::dom::element element, const char* key) {
  std::string_view value;
  EXPECT_EQ(element[key].get_string().get(value), simdjson::SUCCESS) << key;
  return std::string(value);
}

// One Intelligems response of the demo account: the request exactly as recorded (query in
// order, body text as sent) and the response file's bytes.
struct RecordedExchange {
  std::string file;
  contract::ApiRequest request;
  std::string bytes;
};

inline std::vector<RecordedExchange> read_demo_account() {
  const std::filesystem::path dir = data_dir() / "demo";
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array responses;
  const std::string manifest = read_text(dir / "manifest.json");
  EXPECT_EQ(parser.parse(manifest).get(root), simdjson::SUCCESS);
  EXPECT_EQ(root["responses"].get_array().get(responses), simdjson::SUCCESS);
  std::vector<RecordedExchange> exchanges;
  for (const simdjson::dom::element item : responses) {
    if (text_of(item, "source") != "intelligems") {
      continue;
    }
    RecordedExchange exchange;
    exchange.file = text_of(item, "file");
    exchange.request = {"intelligems", text_of(item, "method"), text_of(item, "path"), {}, {}};
    simdjson::dom::object query;
    EXPECT_EQ(item["query"].get_object().get(query), simdjson::SUCCESS);
    for (const simdjson::dom::key_value_pair field : query) {
      std::string_view value;
      EXPECT_EQ(field.value.get_string().get(value), simdjson::SUCCESS);
      exchange.request.query.emplace_back(std::string(field.key), std::string(value));
    }
    simdjson::dom::element body;
    EXPECT_EQ(item["body"].get(body), simdjson::SUCCESS);
    if (!body.is_null()) {
      exchange.request.body = text_of(item, "body");
    }
    exchange.bytes = read_text(dir / exchange.file);
    exchanges.push_back(std::move(exchange));
  }
  return exchanges;
}

inline const std::vector<RecordedExchange>& demo_account() {
  static const std::vector<RecordedExchange> exchanges = read_demo_account();
  return exchanges;
}

// A day window's audience view (day.YYYY-MM-DD.audience.DIM.json), which a fetch asks for
// only when told to (one request per day and dimension).
inline bool is_day_audience(const RecordedExchange& exchange) {
  const std::string name = exchange.file.substr(exchange.file.rfind('/') + 1);
  return name.starts_with("day.") && name.find(".audience.") != std::string::npos;
}

// What a fetch with the current API asks for: everything recorded but the legacy flat sitewide
// and the day windows' audience views.
inline std::vector<RecordedExchange> current_api_exchanges() {
  std::vector<RecordedExchange> chosen;
  for (const RecordedExchange& exchange : demo_account()) {
    if (exchange.request.path != k_legacy_sitewide && !is_day_audience(exchange)) {
      chosen.push_back(exchange);
    }
  }
  return chosen;
}

inline bool is_sitewide(std::string_view path) {
  return path.starts_with(k_legacy_sitewide);
}

inline std::string experience_of(std::string_view path) {
  for (const std::string& part :
       {k_prefix + "/analytics/resource/", k_prefix + "/analytics/experience/",
        k_prefix + "/experiences/"}) {
    if (path.starts_with(part)) {
      const std::string_view rest = path.substr(part.size());
      return std::string(rest.substr(0, rest.find('/')));
    }
  }
  return {};
}

// The demo's experiences by status, from their recorded details.
inline std::set<std::string> experiences_with_status(const std::string& status) {
  std::set<std::string> ids;
  simdjson::dom::parser parser;
  for (const RecordedExchange& exchange : demo_account()) {
    if (!exchange.request.path.starts_with(k_prefix + "/experiences/")) {
      continue;
    }
    simdjson::dom::element experience;
    EXPECT_EQ(parser.parse(exchange.bytes)["experience"].get(experience), simdjson::SUCCESS);
    if (text_of(experience, "status") == status) {
      ids.insert(text_of(experience, "id"));
    }
  }
  return ids;
}

// Whether an answer to this request never changes once fetched now: a closed day window, the
// sitewide window (it ended on 2026-09-28), or any analytics of an ended experience.
inline bool is_settled(const RequestKey& key) {
  static const std::set<std::string> ended = experiences_with_status("ended");
  return key.body.find("\"startTs\"") != std::string::npos || is_sitewide(key.target) ||
         (key.target.find("/analytics/") != std::string::npos &&
          ended.contains(experience_of(key.target)));
}

// The line fetch ends with on stderr.
struct Summary {
  std::uint64_t fetched = 0;
  std::uint64_t reused = 0;
  std::uint64_t waits = 0;
  std::uint64_t rate_limited = 0;
  std::uint64_t sent = 0;
};

// The number right after the next `anchor` at or after `at`, moving `at` past it. (No
// std::regex: GCC 12 misreads it under ASan.)
inline std::optional<std::uint64_t> number_after(const std::string& text, std::size_t& at,
                                                 const std::string& anchor) {
  at = text.find(anchor, at);
  if (at == std::string::npos) {
    return std::nullopt;
  }
  at += anchor.size();
  const std::size_t end = text.find_first_not_of("0123456789", at);
  if (end == at) {
    return std::nullopt;
  }
  const std::uint64_t number = std::stoull(text.substr(at, end - at));
  at = end;
  return number;
}

inline std::optional<Summary> summary_of(const std::string& err) {
  std::size_t at = 0;
  const auto fetched = number_after(err, at, "reckon: fetched ");
  const auto reused = number_after(err, at, ", reused ");
  const auto waits = number_after(err, at, " settled ones; ");
  const auto rate_limited = number_after(err, at, "), ");
  const auto sent = number_after(err, at, " rate-limited answers, ");
  if (!fetched || !reused || !waits || !rate_limited || !sent ||
      err.compare(at, 19, " requests sent, in ") != 0) {
    return std::nullopt;
  }
  return Summary{*fetched, *reused, *waits, *rate_limited, *sent};
}

// Option -> value of a fetch command line; nullopt drops an option, "" makes it a bare flag.
using FetchOptions = std::map<std::string, std::optional<std::string>>;

inline ProcessOptions with_key(const std::string& key) {
  ProcessOptions options;
  options.environment["INTELLIGEMS_API_KEY"] = key;
  return options;
}

inline IntelligemsServerOptions without_rate_limits() {
  IntelligemsServerOptions options;
  options.rate_limits.enabled = false;
  return options;
}

// The demo account served on 127.0.0.1, and a folder to run `reckon` in.
struct Harness {
  explicit Harness(const char* purpose, IntelligemsServerOptions options = without_rate_limits(),
                   const std::filesystem::path& account = data_dir() / "demo")
      : dir(fresh_temp_dir(purpose)), server(account, std::move(options)) {
    server.start();
  }

  // A fetch that asks exactly what the demo account recorded, without pacing and with short
  // backoffs, changed by `changes`; `global` goes before the subcommand (-q, -v).
  std::vector<std::string> fetch_args(const FetchOptions& changes = {},
                                      const std::vector<std::string>& global = {}) const {
    FetchOptions options{{"--base-url", server.base_url()},
                         {"--store", "reckon.db"},
                         {"--page-size", "5"},
                         {"--days", ""},
                         {"--to", "2026-09-28"},
                         {"--tz", "UTC"},
                         {"--rate", "0"},
                         {"--first-backoff", "0.01"},
                         {"--timeout", "10"}};
    for (const auto& [option, value] : changes) {
      options[option] = value;
    }
    std::vector<std::string> args = global;
    args.emplace_back("fetch");
    for (const auto& [option, value] : options) {
      if (value) {
        args.push_back(option);
        if (!value->empty()) {
          args.push_back(*value);
        }
      }
    }
    return args;
  }

  ProcessResult fetch(const FetchOptions& changes = {},
                      const ProcessOptions& process = with_key(k_key)) const {
    return run_process(k_binary, fetch_args(changes), dir, process);
  }

  std::filesystem::path store_path() const { return dir / "reckon.db"; }

  util::Result<store::Store> store() const { return store::Store::open_existing(store_path()); }

  // Every version of every exchange in the store.
  std::size_t stored_count() const {
    auto opened = store();
    if (!opened) {
      ADD_FAILURE() << opened.error().describe();
      return 0;
    }
    auto all = opened->all();
    if (!all) {
      ADD_FAILURE() << all.error().describe();
      return 0;
    }
    return all->size();
  }

  std::filesystem::path dir;
  IntelligemsServer server;
};

// The store's newest answer to each recorded request is the recorded file, byte for byte, and
// the store holds no other Intelligems request.
inline void expect_store_holds_exactly(const Harness& harness,
                                       const std::vector<RecordedExchange>& expected) {
  const auto store = harness.store();
  ASSERT_TRUE(store) << store.error().describe();
  for (const RecordedExchange& exchange : expected) {
    auto latest = store->latest(exchange.request);
    ASSERT_TRUE(latest) << latest.error().describe();
    ASSERT_TRUE(latest->has_value()) << "not stored: " << exchange.file;
    EXPECT_EQ((*latest)->status, 200) << exchange.file;
    EXPECT_TRUE((*latest)->body == exchange.bytes) << "differs: " << exchange.file;
  }
  auto stored = store->latest_all("intelligems");
  ASSERT_TRUE(stored) << stored.error().describe();
  EXPECT_EQ(stored->size(), expected.size());
}

// The requests of a full current-API fetch of the demo account: 2 list pages, 7 details,
// 7 x (overview, 6 audiences, timeseries), 128 day windows and 10 sitewide ones.
inline std::size_t full_fetch_requests() {
  return current_api_exchanges().size();
}

} // namespace reckon::test::fetch_tests
