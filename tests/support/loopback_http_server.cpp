#include "support/loopback_http_server.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace reckon::test {
namespace {

// What the connection being served on this thread should do once the handler returns.
thread_local ConnectionDrop* t_current_drop = nullptr;

void set_close_on_exec(int fd) {
  const int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0) {
    ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

// Polls `fd` for `events` up to `timeout`; true when it is ready (or in error, so that the
// next read or write reports it).
bool poll_ready(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd entry{fd, events, 0};
  while (true) {
    const int ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
    if (ready >= 0) {
      return ready > 0;
    }
    if (errno != EINTR) {
      return false;
    }
  }
}

void address_of(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  if ((peer ? ::getpeername(fd, generic, &length) : ::getsockname(fd, generic, &length)) != 0 ||
      address.ss_family != AF_INET) {
    return;
  }
  const auto* inet = reinterpret_cast<const sockaddr_in*>(&address);
  std::array<char, INET_ADDRSTRLEN> text{};
  if (::inet_ntop(AF_INET, &inet->sin_addr, text.data(), text.size()) != nullptr) {
    ip = text.data();
  }
  port = ntohs(inet->sin_port);
}

// A buffered stream over one accepted socket, the part of httplib's own SocketStream the
// server needs, with one addition: once the handler dropped the connection, every write fails,
// so httplib abandons the response without sending a byte.
class SocketStream final : public httplib::Stream {
public:
  SocketStream(int fd, const LoopbackHttpOptions& options, const ConnectionDrop& drop)
      : m_fd(fd), m_options(options), m_drop(drop) {}

  bool is_readable() const override {
    return m_begin < m_end || poll_ready(m_fd, POLLIN, m_options.read_timeout);
  }
  bool is_writable() const override {
    return m_drop == ConnectionDrop::none && poll_ready(m_fd, POLLOUT, m_options.write_timeout);
  }

  ssize_t read(char* ptr, size_t size) override {
    if (m_begin == m_end) {
      if (!poll_ready(m_fd, POLLIN, m_options.read_timeout)) {
        return -1;
      }
      const ssize_t got = receive(m_buffer.data(), m_buffer.size());
      if (got <= 0) {
        return got;
      }
      m_begin = 0;
      m_end = static_cast<std::size_t>(got);
    }
    const std::size_t count = std::min(size, m_end - m_begin);
    std::memcpy(ptr, m_buffer.data() + m_begin, count);
    m_begin += count;
    return static_cast<ssize_t>(count);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) {
      return -1;
    }
    while (true) {
      const ssize_t sent = ::send(m_fd, ptr, size, MSG_NOSIGNAL);
      if (sent >= 0 || errno != EINTR) {
        return sent;
      }
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    address_of(m_fd, true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address_of(m_fd, false, ip, port);
  }
  socket_t socket() const override { return m_fd; }

private:
  ssize_t receive(char* ptr, std::size_t size) const {
    while (true) {
      const ssize_t got = ::recv(m_fd, ptr, size, 0);
      if (got >= 0 || errno != EINTR) {
        return got;
      }
    }
  }

  int m_fd;
  const LoopbackHttpOptions& m_options;
  const ConnectionDrop& m_drop;
  std::array<char, 4096> m_buffer{};
  std::size_t m_begin = 0;
  std::size_t m_end = 0;
};

} // namespace

LoopbackHttpServer::LoopbackHttpServer(LoopbackHttpOptions options) : m_options(options) {
  const std::size_t threads = std::max<std::size_t>(m_options.worker_threads, 2);
  new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Only the Keep-Alive header reads these; process_and_close_socket applies the timeout.
  set_keep_alive_timeout(std::max<time_t>(
      1, static_cast<time_t>((m_options.keep_alive_timeout.count() + 999) / 1000)));
  set_keep_alive_max_count(100);
  set_socket_options([](socket_t sock) {
    httplib::default_socket_options(sock);
    set_close_on_exec(sock);
  });
}

LoopbackHttpServer::~LoopbackHttpServer() {
  stop_serving();
}

void LoopbackHttpServer::start_serving() {
  if (m_thread.joinable()) {
    return;
  }
  m_port = bind_to_any_port("127.0.0.1");
  if (m_port <= 0) {
    throw std::runtime_error("loopback server: cannot bind a port of 127.0.0.1");
  }
  m_thread = std::thread([this] { listen_after_bind(); });
  // stop() only acts on a running server, so do not return before it runs.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("loopback server: did not start listening");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void LoopbackHttpServer::stop_serving() {
  m_stopping = true;
  if (m_thread.joinable()) {
    stop();
    m_thread.join();
  }
}

std::string LoopbackHttpServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(m_port);
}

void LoopbackHttpServer::drop_current_connection(ConnectionDrop how) {
  if (t_current_drop != nullptr) {
    *t_current_drop = how;
  }
}

bool LoopbackHttpServer::wait_for_request(socket_t sock) const {
  constexpr std::chrono::milliseconds k_slice{10};
  auto left = m_options.keep_alive_timeout;
  while (!m_stopping) {
    const auto slice = std::min(left, k_slice);
    if (poll_ready(sock, POLLIN, slice)) {
      return true;
    }
    if (left <= slice) {
      return false;
    }
    left -= slice;
  }
  return false;
}

bool LoopbackHttpServer::process_and_close_socket(socket_t sock) {
  // accept() does not set close-on-exec; this narrows the window in which a fork inherits the
  // socket to the moments before the worker picks the connection up.
  set_close_on_exec(sock);
  // Headers and body go out in separate writes; without this, Nagle's algorithm holds the body
  // back until the client's delayed acknowledgement, some 40 ms per response.
  const int no_delay = 1;
  ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &no_delay, sizeof(no_delay));
  ConnectionDrop drop = ConnectionDrop::none;
  SocketStream stream(sock, m_options, drop);
  t_current_drop = &drop;
  bool ok = false;
  for (std::size_t left = keep_alive_max_count_; left > 0 && wait_for_request(sock); --left) {
    bool connection_closed = false;
    ok = process_request(stream, left == 1, connection_closed, nullptr);
    if (!ok || connection_closed || drop != ConnectionDrop::none) {
      break;
    }
  }
  t_current_drop = nullptr;
  if (drop == ConnectionDrop::reset) {
    const linger abort_on_close{1, 0};
    ::setsockopt(sock, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
  } else {
    ::shutdown(sock, SHUT_RDWR);
  }
  ::close(sock);
  return ok;
}

} // namespace reckon::test
