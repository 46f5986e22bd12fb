#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "support/request_log.hpp"

namespace reckon::test {

struct PlatformServerOptions {
  // The key `Authorization: Bearer <key>` must carry.
  std::string api_key = "test-platform-key";
  // The most experiments a list page holds, whatever `limit` asks: a server may cut pages
  // smaller than asked, and says so in meta.limit.
  std::size_t max_page_size = 100;
  // The largest `limit` accepted (the API documents 100); above it a 422, as a stricter server
  // would answer.
  std::size_t max_limit = 100;
  // Requests allowed per one-second window (epoch-aligned); beyond them a 429. 0: no limit.
  std::size_t requests_per_window = 0;
  // Arrival numbers (from 1, counting authorised requests) answered 429 whatever the window.
  std::set<std::uint64_t> rate_limited_arrivals;
  // Seconds from the current window's start to the X-RateLimit-Reset it announces.
  long long reset_after_s = 1;
  // Paths answered 403 FORBIDDEN, as for a key not allowed to read them.
  std::set<std::string> forbidden_paths;
  // A careless server: every error envelope's details, and every list page's meta, quote the
  // Authorization header it was sent.
  bool echo_key = false;
};

// A local experimentation platform API (seed 003, /api/v1) answering from a simulated account:
// the output folder of `reckon simulate`, whose manifest entries of source "platform" give each
// experiment's details and results, sent byte for byte as recorded.
//
// Every request goes through, in order: 401 {"error":{"code":"UNAUTHORIZED",...}} unless the
// bearer key matches; for anything but GET a 405 METHOD_NOT_ALLOWED, counted as a write (a
// re-analysis must never change what it analyses); 403 FORBIDDEN for a forbidden path; 422
// VALIDATION_ERROR for a list query with
// page < 1, limit outside 1..max_limit, a status not of the API, or non-numbers (details:
// {"field"}); the rate window (429 RATE_LIMIT_EXCEEDED with X-RateLimit-Limit, -Remaining 0 and
// -Reset in epoch seconds); then the answer:
//   GET /api/v1/experiments            a page cut from every recorded list item (status filter,
//                                      page 1 and limit 20 by default, at most max_page_size),
//                                      meta {total, page, limit, pages}
//   GET /api/v1/experiments/{id}       the recorded details, else 404 NOT_FOUND
//   GET /api/v1/experiments/{id}/results  the recorded results, else 404 NOT_FOUND
// Answers carry X-RateLimit-* headers when a window is set. Thread-safe.
class PlatformServer {
public:
  explicit PlatformServer(const std::filesystem::path& account_dir,
                          PlatformServerOptions options = {});
  ~PlatformServer();
  PlatformServer(const PlatformServer&) = delete;
  PlatformServer& operator=(const PlatformServer&) = delete;

  void start();
  std::string base_url() const; // http://127.0.0.1:PORT
  // Every answered request; never holds the key.
  const RequestLog& log() const;
  // Requests other than GET: each is a failure of the client under test.
  std::size_t writes() const;
  // How many experiments the recorded list pages hold.
  std::size_t experiments() const;
  // The body sent for each answered 200 request, by "path?query" (the query's fields sorted).
  std::map<std::string, std::string> sent_bodies() const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace reckon::test
