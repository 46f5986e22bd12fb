#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reckon::test {

enum class FaultKind {
  status_500,       // answer 500 {"error":"Internal Server Error"} instead
  status_503,       // answer 503 {"error":"Service Unavailable"} instead
  status_429,       // answer 429 {"retryAfter":S} instead, S being `delay` in seconds
  rejected_start,   // answer the documented 400 for a bad startTs (as if sent ISO or 13 digits)
  truncated_body,   // declare the full Content-Length, send half the body, close
  stalled_body,     // declare the full Content-Length, send half the body, then nothing for
                    // `delay` (the connection stays open), then close
  reset_mid_body,   // declare the full Content-Length, send half the body, reset
  slow_response,    // wait `delay` before answering normally: a stall before any byte
  connection_reset, // close with a TCP reset, no response
  empty_reply,      // close in order, no response
  cut_json_body,    // answer normally, but only the first half of the body, as a whole body
  non_json_body,    // answer 200 with an HTML page, as a proxy in the way might
  wrong_shape_body, // answer 200 {"error":"try again"}: JSON, but not the endpoint's shape
};

// A fault that hits the next `count` requests that arrive as the `at_request`-th request or
// later (requests are numbered from 1 in arrival order; 0 means any) and whose path contains
// `path_contains` (empty: any path). Built fluently:
//   Fault(FaultKind::status_503).times(3).on_paths_containing("/sitewide")
struct Fault {
  explicit Fault(FaultKind fault_kind) : kind(fault_kind) {}

  Fault& times(int requests) {
    count = requests;
    return *this;
  }
  Fault& from_request(std::uint64_t number) {
    at_request = number;
    return *this;
  }
  Fault& on_paths_containing(std::string part) {
    path_contains = std::move(part);
    return *this;
  }
  Fault& lasting(std::chrono::milliseconds wait) {
    delay = wait;
    return *this;
  }

  FaultKind kind;
  int count = 1;
  std::uint64_t at_request = 0;
  std::string path_contains;
  // slow_response, stalled_body: how long the server is silent; status_429: the wait it
  // advertises. Not time-scaled.
  std::chrono::milliseconds delay{0};
};

// Faults waiting for their requests; safe to arm from a test while server threads take them.
class FaultPlan {
public:
  void arm(Fault fault);
  void clear();
  // The first armed fault (in arming order) that request `number` on `path` triggers, counted
  // down; nullopt when none does.
  std::optional<Fault> take(std::uint64_t number, std::string_view path);
  // How many requests the armed faults are still waiting for.
  int pending() const;

private:
  mutable std::mutex m_mutex;
  std::vector<Fault> m_faults;
};

} // namespace reckon::test
