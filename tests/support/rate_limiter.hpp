#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

namespace reckon::test {

// One token bucket: `capacity` requests in a burst, then `refill_tokens` more every
// `refill_period` (added in steps at the end of each period, counted from the request that
// first took the bucket below full).
struct BucketLimits {
  int capacity = 50;
  int refill_tokens = 25;
  std::chrono::milliseconds refill_period{30'000};
};

// The early (Jan-Feb 2026) behaviour: `burst` requests, then nothing until a cooldown drawn
// uniformly from [min_cooldown, max_cooldown] by a generator seeded with `seed` has passed,
// then the bucket is full again. The cooldown starts when the last token is taken.
struct HarshLimits {
  bool enabled = false;
  int burst = 4;
  std::chrono::milliseconds min_cooldown{25'000};
  std::chrono::milliseconds max_cooldown{60'000};
  std::uint64_t seed = 1;
};

// The endpoint groups that have a bucket each.
enum class RateGroup { experiences, export_data, sitewide };

// The documented mid-2026 limits by default; a harsh mode replaces every group's bucket by the
// early behaviour.
struct RateLimitOptions {
  bool enabled = true;
  BucketLimits experiences{50, 25, std::chrono::milliseconds{30'000}};
  BucketLimits export_data{20, 10, std::chrono::milliseconds{30'000}};
  BucketLimits sitewide{10, 5, std::chrono::milliseconds{30'000}};
  HarshLimits harsh;
};

// The outcome of one request's attempt to take a token.
struct RateDecision {
  bool allowed = true;
  int limit = 0;     // the bucket's capacity
  int remaining = 0; // tokens left after this request
  // Time until the bucket is full again (zero when it is full; in harsh mode zero until the
  // cooldown starts), and, when refused, until the next token.
  std::chrono::nanoseconds until_full{0};
  std::chrono::nanoseconds retry_after{0};
};

// Token buckets per endpoint group, safe to share between threads. Every period and cooldown
// is multiplied by `time_scale`, so tests can run an hour of limits in a second; the clock is
// the caller's, for the same reason.
class RateLimiter {
public:
  using Clock = std::chrono::steady_clock;

  // Throws std::invalid_argument on a non-positive capacity, refill, period or time scale, or
  // on a cooldown range that is empty.
  RateLimiter(const RateLimitOptions& options, double time_scale);

  RateDecision take(RateGroup group, Clock::time_point now);

private:
  struct Bucket {
    int capacity = 0;
    int refill_tokens = 0;
    Clock::duration period{};
    int tokens = 0;
    // When the current refill period began (refill mode) or the cooldown ends (harsh mode);
    // meaningful only while the bucket is not full.
    Clock::time_point mark{};
    bool cooling = false;
  };

  RateDecision take_refilling(Bucket& bucket, Clock::time_point now) const;
  RateDecision take_harsh(Bucket& bucket, Clock::time_point now);

  HarshLimits m_harsh;
  double m_time_scale;
  std::mutex m_mutex;
  std::array<Bucket, 3> m_buckets;
  std::mt19937_64 m_cooldowns;
};

} // namespace reckon::test
