#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <thread>

#include <httplib.h>

namespace reckon::test {

// How a handler can end its connection without answering.
enum class ConnectionDrop {
  none,
  // close at once with SO_LINGER 0: the client sees a TCP reset (curl: "Recv failure").
  reset,
  // close in order without a byte of response (curl: "Empty reply from server").
  empty_reply,
};

struct LoopbackHttpOptions {
  // How long an idle keep-alive connection is held open for the client's next request.
  std::chrono::milliseconds keep_alive_timeout{1000};
  std::chrono::milliseconds read_timeout{5000};
  std::chrono::milliseconds write_timeout{5000};
  std::size_t worker_threads = 16;
};

// An httplib::Server on 127.0.0.1 for tests, serving on a background thread. It runs each
// connection itself instead of leaving that to httplib, for three reasons: its sockets are
// close-on-exec, so a `reckon` child forked by the test never inherits a connection and keeps it
// open after the server closed it; idle keep-alive connections notice stop() within
// milliseconds, so destruction does not wait out keep-alive timeouts; and a handler can drop its
// connection without any response (drop_current_connection).
class LoopbackHttpServer : public httplib::Server {
public:
  explicit LoopbackHttpServer(LoopbackHttpOptions options = {});
  ~LoopbackHttpServer() override;
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  // Binds a free port of 127.0.0.1 and serves until stop_serving(); throws std::runtime_error
  // when no port can be bound. Register handlers before.
  void start_serving();
  // Stops accepting, ends idle connections and joins the serving thread. Idempotent.
  void stop_serving();
  // True once stop_serving() began: long handlers should give up early.
  bool stopping() const { return m_stopping.load(); }

  int port() const { return m_port; }
  std::string base_url() const;

  // From inside a handler: the connection of the request being handled ends as `how` says,
  // and whatever the handler put in the response is never sent.
  static void drop_current_connection(ConnectionDrop how);

private:
  bool process_and_close_socket(socket_t sock) override;
  // Waits until `sock` has bytes (or end of stream) to read; false on timeout or stop.
  bool wait_for_request(socket_t sock) const;

  LoopbackHttpOptions m_options;
  std::atomic<bool> m_stopping{false};
  int m_port = 0;
  std::thread m_thread;
};

} // namespace reckon::test
