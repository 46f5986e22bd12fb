#pragma once

#include "support/request_log.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace reckon::test {

struct BanditServerOptions {
  // The key `Authorization: Bearer <key>` or `x-api-key: <key>` must carry.
  std::string api_key = "test-bandit-key";
  // The most events one page holds, whatever `limit` asked: a server returning fewer than asked.
  std::size_t max_page_events = 1000;
  // Serve only the first N events of each experiment (a log that has not grown yet); all when
  // absent.
  std::optional<std::size_t> events_served;
  // Answer the Nth request (from 1) with 429, a body {"success":false,"error":...,
  // "retryAfter":0.05} and Retry-After, X-RateLimit-Remaining and X-RateLimit-Reset headers.
  std::vector<std::uint64_t> rate_limited_requests;
  // Hold every events request after this many answered ones until the server stops.
  std::optional<std::size_t> stall_after_event_pages;
};

// A local bandit experimentation API (seed 004) answering from a simulated account (the output
// folder of `reckon simulate`, data/demo): the recorded `GET /experiments` and
// `GET /experiments/{id}` bytes as recorded, `GET /events/{id}?limit&offset` made from the
// recorded event pages joined in offset order (each page {"success":true,"data":[events],
// "timestamp"}), and `GET /funnels` (an empty list; the simulator records none).
//
// In order: 401 {"success":false,"error":"Unauthorized"} unless a key header matches; a
// planned 429; 400 with the error envelope for a limit that is not a whole number from 1 or an
// offset that is not a whole number; 404 for unknown ids and paths. Every request that
// contract::bandit::has_side_effects (POST /assignments, GET /assignments/..., event writes,
// /refresh, /generate-variant, any non-GET) is answered as the API would and recorded as a
// violation: a re-analysis test asserts there are none.
class BanditServer {
public:
  explicit BanditServer(const std::filesystem::path& account_dir, BanditServerOptions options = {});
  ~BanditServer();
  BanditServer(const BanditServer&) = delete;
  BanditServer& operator=(const BanditServer&) = delete;

  void start();
  void stop();
  std::string base_url() const;

  const RequestLog& log() const;
  // "METHOD target" of every request with side effects.
  std::vector<std::string> violations() const;
  // The body sent for each answered 200 request, by "path?query".
  std::map<std::string, std::string> sent_bodies() const;
  // How many events experiment `id` has in all.
  std::size_t event_count(const std::string& id) const;
  // How many events requests were answered with events (the stalled ones not).
  std::size_t event_pages_answered() const;
  // How many events requests are being held (stall_after_event_pages).
  std::size_t stalled() const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace reckon::test
