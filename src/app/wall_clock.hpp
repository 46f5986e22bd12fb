#pragma once

#include <chrono>
#include <cstdint>

namespace reckon::app {

// Now, in Unix milliseconds: when a check run, a fetch, an alert or a pause happened.
inline std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

} // namespace reckon::app
