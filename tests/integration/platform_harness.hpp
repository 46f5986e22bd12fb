#pragma once

// A temporary folder and a local experimentation platform server serving the demo account, and
// `reckon fetch --source platform` run against it, for the platform's integration tests.
#include "support/paths.hpp"
#include "support/platform_server.hpp"
#include "support/process.hpp"

#include "reckon/store/store.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace reckon::test {

inline const std::filesystem::path k_platform_binary = RECKON_BINARY;
inline constexpr const char* k_platform_key = "test-platform-key";

inline ProcessOptions with_platform_key(const std::string& key) {
  ProcessOptions options;
  options.environment["PLATFORM_API_KEY"] = key;
  options.environment["INTELLIGEMS_API_KEY"] = std::nullopt;
  return options;
}

struct PlatformHarness {
  explicit PlatformHarness(const char* purpose, PlatformServerOptions options = {})
      : dir(fresh_temp_dir(purpose)), server(data_dir() / "demo", std::move(options)) {
    server.start();
  }

  ProcessResult fetch(std::vector<std::string> extra = {},
                      const std::string& key = k_platform_key) const {
    std::vector<std::string> args{
        "fetch",   "--source",  "platform", "--base-url", server.base_url(),
        "--store", "reckon.db", "--rate",   "0",          "--first-backoff",
        "0.01",    "--timeout", "10"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_process(k_platform_binary, args, dir, with_platform_key(key));
  }

  ProcessResult run(const std::vector<std::string>& args) const {
    return run_process(k_platform_binary, args, dir);
  }

  // The newest stored version of every platform response.
  std::vector<contract::ApiExchange> stored() const {
    auto store = store::Store::open_existing(dir / "reckon.db");
    EXPECT_TRUE(store) << store.error().describe();
    if (!store) {
      return {};
    }
    auto all = store->latest_all("platform");
    EXPECT_TRUE(all) << all.error().describe();
    return all ? *all : std::vector<contract::ApiExchange>{};
  }

  // The stored bodies by "path?query", the query's fields sorted as the server logs them.
  std::map<std::string, std::string> stored_bodies() const {
    std::map<std::string, std::string> bodies;
    for (const contract::ApiExchange& exchange : stored()) {
      std::multimap<std::string, std::string> fields(exchange.request.query.begin(),
                                                     exchange.request.query.end());
      std::string query;
      for (const auto& [name, value] : fields) {
        query += (query.empty() ? "" : "&") + name + "=" + value;
      }
      bodies[exchange.request.path + (query.empty() ? "" : "?" + query)] = exchange.body;
    }
    return bodies;
  }

  std::filesystem::path dir;
  PlatformServer server;
};

} // namespace reckon::test
