#include "progress.hpp"

#include <algorithm>
#include <cstdio>

namespace reckon::app {
namespace {

constexpr int k_bar_width = 24;

std::string two_digits(long long value) {
  std::string text = value < 10 ? "0" : "";
  return text.append(std::to_string(value));
}

} // namespace

std::string format_duration(std::chrono::milliseconds duration) {
  const long long ms = std::max<long long>(duration.count(), 0);
  if (ms < 60'000) {
    const long long tenths = (ms + 50) / 100;
    return std::to_string(tenths / 10).append(".").append(std::to_string(tenths % 10)).append(" s");
  }
  const long long seconds = (ms + 500) / 1000;
  if (seconds < 3600) {
    return std::to_string(seconds / 60)
        .append(" min ")
        .append(two_digits(seconds % 60))
        .append(" s");
  }
  return std::to_string(seconds / 3600)
      .append(" h ")
      .append(two_digits(seconds / 60 % 60))
      .append(" min");
}

ProgressBar::ProgressBar(std::ostream& err, bool enabled)
    : m_err(err), m_enabled(enabled), m_start(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::set_total(std::uint64_t total) {
  m_total = total;
  draw({});
}

void ProgressBar::advance(std::string_view label) {
  ++m_done;
  m_total = std::max(m_total, m_done);
  draw(label);
}

void ProgressBar::waiting(std::chrono::milliseconds wait, std::string_view reason) {
  std::string status = "waiting ";
  draw(status.append(format_duration(wait)).append(": ").append(reason));
}

void ProgressBar::finish() {
  if (m_drawn) {
    m_err << "\r\033[2K" << std::flush;
    m_drawn = false;
  }
}

void ProgressBar::draw(std::string_view status) {
  if (!m_enabled) {
    return;
  }
  const double fraction =
      m_total == 0 ? 0.0 : static_cast<double>(m_done) / static_cast<double>(m_total);
  const int filled = static_cast<int>(fraction * k_bar_width);
  std::string line = "\r\033[2K[";
  line.append(static_cast<std::size_t>(filled), '=');
  line.append(static_cast<std::size_t>(k_bar_width - filled), ' ');
  line += "] " + std::to_string(m_done) + "/" + std::to_string(m_total) + " requests";
  if (m_done > 0 && m_done < m_total) {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - m_start);
    const auto left =
        elapsed * static_cast<long long>(m_total - m_done) / static_cast<long long>(m_done);
    line += " · about " + format_duration(left) + " left";
  }
  if (!status.empty()) {
    line += " · ";
    line += status;
  }
  m_err << line << std::flush;
  m_drawn = true;
}

} // namespace reckon::app
