#pragma once

#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

namespace reckon::app {

// The one point every diagnostic passes through on its way to stderr: each registered secret
// (the API key) is replaced by "[redacted]" before a byte leaves, whatever carried it — an
// API's error body that echoes the key, a message quoting a file, an internal error. Text is
// held back only while its tail could still be the start of a secret, so progress lines that
// end without a newline still show at once.
class RedactingBuffer : public std::streambuf {
public:
  explicit RedactingBuffer(std::ostream& sink) : m_sink(sink) {}
  ~RedactingBuffer() override;
  RedactingBuffer(const RedactingBuffer&) = delete;
  RedactingBuffer& operator=(const RedactingBuffer&) = delete;

  void add_secret(std::string secret);

protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* text, std::streamsize count) override;
  int sync() override;

private:
  // Writes what is pending with every secret replaced, keeping back a tail that could begin
  // one unless `everything`.
  void release(bool everything);

  std::ostream& m_sink;
  std::string m_pending;
  std::vector<std::string> m_secrets; // longest first, so that no secret's part is left shown
};

} // namespace reckon::app
