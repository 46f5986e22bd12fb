#pragma once

#include <chrono>
#include <compare>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace reckon::test {

// One request a fake server answered. Headers are not kept, so an access token can never end
// up here; the server also blanks the token should a client put it in the path, query or body.
struct LoggedRequest {
  std::uint64_t number = 0; // arrival order, from 1
  std::string method;
  std::string path;
  std::string query; // the raw query string, without '?'
  std::string body;
  int status = 0; // 0 when the connection was dropped without a response
  std::chrono::steady_clock::time_point received;
};

// What makes two requests the same request: a client that repeats one refetches the same data.
struct RequestKey {
  std::string method;
  std::string target; // path, then '?' and the query when there is one
  std::string body;
  auto operator<=>(const RequestKey&) const = default;
};

// Every request a server answered, in the order the answers were made; safe to read while
// server threads append.
class RequestLog {
public:
  void record(LoggedRequest request);

  std::size_t size() const;
  std::size_t count_status(int status) const;
  std::vector<LoggedRequest> entries() const;
  // How many times each request was made; with `status` non-zero, only answers with it count.
  std::map<RequestKey, std::size_t> counts_per_key(int status = 0) const;
  // The requests made more than once (answered with `status`, when it is non-zero).
  std::vector<RequestKey> repeated(int status = 0) const;
  // Blocks until at least `count` requests were answered; false when `timeout` passed first.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) const;

private:
  mutable std::mutex m_mutex;
  mutable std::condition_variable m_grown;
  std::vector<LoggedRequest> m_entries;
};

RequestKey key_of(const LoggedRequest& request);

} // namespace reckon::test
