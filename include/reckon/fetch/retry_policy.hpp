#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace reckon::fetch {

// How patiently a client retries. The defaults follow the vendor's guidance: back off from
// 5 s, doubling, to at most 80 s, and give up after six tries.
struct RetryPolicy {
  int max_attempts = 6;
  std::chrono::milliseconds first_backoff{5'000};
  std::chrono::milliseconds max_wait{80'000};
  // Fraction of each backoff that is randomised, so clients do not retry in lockstep.
  double jitter = 0.2;
};

// What a failed response said about when to come back; both come from the server.
struct RetryHints {
  std::optional<std::chrono::milliseconds> retry_after; // a 429 body's retryAfter
  std::optional<std::chrono::milliseconds> reset_in;    // x-ratelimit-reset
  std::optional<std::uint64_t> remaining;               // x-ratelimit-remaining
};

// The outcome of one HTTP attempt, as the retry decision sees it.
struct AttemptOutcome {
  int http_status = 0; // 0 when no response arrived (timeout, reset, DNS)
  RetryHints hints;
};

struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds wait{0};
  std::string reason; // why: "rate limited (429)", "server error 503", "401 is final" ...
};

// Decides whether attempt number `attempt` (1 for the first) should be followed by another,
// and after how long. Rate limits and server errors and transport failures are retried, with
// the server's own hint when it gave one, else exponential backoff; client errors (400, 401,
// 403, 404, ...) never are. `jitter_unit` in [0, 1) supplies the randomness, so the decision
// itself is a pure function.
RetryDecision decide_retry(const AttemptOutcome& outcome, int attempt, const RetryPolicy& policy,
                           double jitter_unit);

} // namespace reckon::fetch
