#include "redaction.hpp"

#include "reckon/util/text.hpp"

#include <algorithm>

namespace reckon::app {
namespace {

// The length of the longest tail of `text` that is a proper prefix of `secret`.
std::size_t open_prefix(std::string_view text, std::string_view secret) {
  for (std::size_t length = std::min(text.size(), secret.size() - 1); length > 0; --length) {
    if (text.substr(text.size() - length) == secret.substr(0, length)) {
      return length;
    }
  }
  return 0;
}

} // namespace

// Touches the sink only with something to write: std::cerr is tied to std::cout, so even a
// flush of it would flush stdout, and a failed stdout must be left for its own check to see.
RedactingBuffer::~RedactingBuffer() {
  if (!m_pending.empty()) {
    release(true);
    m_sink.flush();
  }
}

void RedactingBuffer::add_secret(std::string secret) {
  if (secret.empty()) {
    return;
  }
  m_secrets.push_back(std::move(secret));
  std::sort(m_secrets.begin(), m_secrets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

RedactingBuffer::int_type RedactingBuffer::overflow(int_type c) {
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    m_pending += traits_type::to_char_type(c);
    release(false);
  }
  return traits_type::not_eof(c);
}

std::streamsize RedactingBuffer::xsputn(const char* text, std::streamsize count) {
  m_pending.append(text, static_cast<std::size_t>(count));
  release(false);
  return count;
}

int RedactingBuffer::sync() {
  release(false);
  m_sink.flush();
  return m_sink ? 0 : -1;
}

void RedactingBuffer::release(bool everything) {
  for (const std::string& secret : m_secrets) {
    util::redact(m_pending, secret);
  }
  std::size_t kept = 0;
  if (!everything) {
    for (const std::string& secret : m_secrets) {
      kept = std::max(kept, open_prefix(m_pending, secret));
    }
  }
  if (m_pending.size() > kept) {
    m_sink.write(m_pending.data(), static_cast<std::streamsize>(m_pending.size() - kept));
    m_pending.erase(0, m_pending.size() - kept);
  }
}

} // namespace reckon::app
