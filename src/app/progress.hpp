#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace reckon::app {

// A one-line progress bar redrawn in place on a terminal: requests done of the total, the
// current wait and its reason, and the time left estimated from the pace so far. Draws
// nothing when disabled (stderr is not a terminal, or --quiet).
class ProgressBar {
public:
  ProgressBar(std::ostream& err, bool enabled);
  ~ProgressBar();

  void set_total(std::uint64_t total);
  void advance(std::string_view label);
  void waiting(std::chrono::milliseconds wait, std::string_view reason);
  // Clears the line so that the next message starts on a clean one.
  void finish();

private:
  void draw(std::string_view status);

  std::ostream& m_err;
  bool m_enabled;
  bool m_drawn = false;
  std::uint64_t m_total = 0;
  std::uint64_t m_done = 0;
  std::chrono::steady_clock::time_point m_start;
};

// "1 h 02 min", "3 min 05 s", "12.5 s".
std::string format_duration(std::chrono::milliseconds duration);

} // namespace reckon::app
