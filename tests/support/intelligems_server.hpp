#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "support/fault_plan.hpp"
#include "support/rate_limiter.hpp"
#include "support/request_log.hpp"

namespace reckon::test {

// How x-ratelimit-reset is written.
enum class ResetHeader {
  ms_until_full, // milliseconds until the bucket is full again, as observed in the field
  epoch_ms,      // the Unix time in milliseconds when it is, as the docs claim
};

struct IntelligemsServerOptions {
  // The value the `intelligems-access-token` header must carry.
  std::string api_key = "test-intelligems-key";
  // Multiplies every refill period and cooldown, and so every advertised wait (0.01: a 30 s
  // period lasts 0.3 s and a 429 says {"retryAfter":0.3}).
  double time_scale = 1.0;
  RateLimitOptions rate_limits;
  ResetHeader reset_header = ResetHeader::ms_until_full;
  // Switches to test a client's fallbacks: a 429 without retryAfter in its body ({}), and one
  // without x-ratelimit-* headers.
  bool retry_after_in_429_body = true;
  bool rate_headers_on_429 = true;
  std::chrono::milliseconds keep_alive_timeout{1000};
  std::size_t worker_threads = 16;
};

// A local Intelligems External API (paths under contract::intelligems::k_prefix) answering from a
// simulated account: the output folder of `reckon simulate` (data/demo is one), whose manifest.json
// entries of source "intelligems" give each recorded request and its response file. Recorded
// responses are sent byte for byte, never compressed, as application/json; charset=utf-8.
//
// Routes:
//   GET  /experiences-list              the recorded page when the query equals a recorded
//                                       query exactly; otherwise a page made from every
//                                       recorded item (filters status, category; limit 20 and
//                                       page 1 by default)
//   GET  /experiences/{id}              the recorded detail (any query)
//   POST /analytics/resource/{id}       the response whose recorded body has the same fields
//   GET  /analytics/resource/{id}       deprecated form: query view, audience, start, end
//                                       read as body fields view, audience, startTs, endTs; the
//                                       recorded POST bodies' testResult and topN (which the GET
//                                       lacks) are left out of the comparison
//   POST /analytics/experience/{id}/timeseries, .../export
//   POST /analytics/sitewide            legacy: a body other than exactly {start, end} gives a
//                                       bare 500 with an empty body, as the API did
//   POST /analytics/sitewide/{snapshot|timeseries|order-distribution|conversion-funnel}
// Bodies match when their top-level fields are equal as canonical JSON (spacing and key order
// do not matter, types and values do: "1790294400" is not 1790294400); an absent `view` is
// `overview`.
//
// Each request goes through, in order: an armed fault (before anything else); 401
// {"error":"Unauthorized"} unless the access token matches; 404 {"error":"Not Found"} for any
// other path or method; 400 validation errors in the documented shape; the endpoint group's
// token bucket (429 {"retryAfter":S}); then the answer: the legacy sitewide 500, or 404
// {"error":"Not Found"} for an unknown experience id and also for a valid request that the
// account did not record (the real API would compute it; a fake cannot), or the recorded
// response. Only 200 answers carry x-ratelimit-limit, -remaining and -reset; 401, 400 and the
// first kind of 404 take no token.
//
// retryAfter is in whole seconds, rounded up; with time_scale < 1 it has millisecond
// precision (0.25). Everything is thread-safe; faults can be armed while clients run.
class IntelligemsServer {
public:
  // Reads the account; throws std::runtime_error when it cannot, std::invalid_argument on bad
  // rate-limit options.
  explicit IntelligemsServer(const std::filesystem::path& account_dir,
                             IntelligemsServerOptions options = {});
  ~IntelligemsServer(); // stops and joins
  IntelligemsServer(const IntelligemsServer&) = delete;
  IntelligemsServer& operator=(const IntelligemsServer&) = delete;

  // Binds a free port of 127.0.0.1 and serves on background threads.
  void start();
  void stop();
  int port() const;
  std::string base_url() const; // http://127.0.0.1:PORT, without the API prefix

  void inject(Fault fault);
  void clear_faults();
  // How many requests the injected faults are still waiting for.
  int pending_faults() const;
  // Every answered request. Never holds the access token.
  const RequestLog& log() const;
  const IntelligemsServerOptions& options() const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace reckon::test
