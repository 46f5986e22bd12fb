#include "reckon/util/temporary_files.hpp"

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace reckon::util {
namespace {

// A temporary's name keeps at most this much of its target's, so that it fits NAME_MAX.
constexpr std::size_t k_kept_name = 200;
// Folders deeper than this inside a temporary folder are left to remove_stale_temporaries.
constexpr int k_max_signal_depth = 32;

// One entry of the table the signal handler reads: a path published once it is complete.
struct Slot {
  std::atomic<bool> claimed{false};
  std::atomic<bool> published{false};
  std::array<char, PATH_MAX> path{};
};

std::array<Slot, k_registered_temporaries> g_slots;
std::atomic<unsigned> g_made{0};

int register_path(const std::string& path) {
  if (path.size() >= PATH_MAX) {
    return -1;
  }
  for (std::size_t i = 0; i < g_slots.size(); ++i) {
    bool expected = false;
    if (g_slots[i].claimed.compare_exchange_strong(expected, true)) {
      std::memcpy(g_slots[i].path.data(), path.c_str(), path.size() + 1);
      g_slots[i].published.store(true, std::memory_order_release);
      return static_cast<int>(i);
    }
  }
  return -1; // a full table: a signal leaves this one to the next write's clean-up
}

void unregister_path(int slot) {
  if (slot >= 0) {
    g_slots[static_cast<std::size_t>(slot)].published.store(false, std::memory_order_release);
    g_slots[static_cast<std::size_t>(slot)].claimed.store(false, std::memory_order_release);
  }
}

// The Linux directory record getdents64 fills.
struct DirectoryRecord {
  ino64_t inode;
  off64_t offset;
  unsigned short length;
  unsigned char type;
  char name[1];
};

// Removes `name` under `dir_fd`, a folder with everything in it, with system calls only, so
// that a signal handler may call it.
void remove_signal_safe(int dir_fd, const char* name, int depth) {
  if (::unlinkat(dir_fd, name, 0) == 0 || (errno != EISDIR && errno != EPERM) || depth == 0) {
    return;
  }
  const int fd = ::openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    return;
  }
  // Entries removed while reading may hide others, so read again until a pass removes none.
  for (bool removed = true; removed;) {
    removed = false;
    ::lseek(fd, 0, SEEK_SET);
    alignas(8) char buffer[1024];
    long got = 0;
    while ((got = ::syscall(SYS_getdents64, fd, buffer, sizeof buffer)) > 0) {
      for (long at = 0; at < got;) {
        const auto* record = reinterpret_cast<const DirectoryRecord*>(buffer + at);
        at += record->length;
        if (std::strcmp(record->name, ".") != 0 && std::strcmp(record->name, "..") != 0) {
          remove_signal_safe(fd, record->name, depth - 1);
          removed = true;
        }
      }
    }
    if (::unlinkat(dir_fd, name, AT_REMOVEDIR) == 0) {
      break;
    }
  }
  ::close(fd);
}

void on_termination_signal(int signal_number) {
  const int saved_errno = errno;
  for (Slot& slot : g_slots) {
    if (slot.published.load(std::memory_order_acquire)) {
      remove_signal_safe(AT_FDCWD, slot.path.data(), k_max_signal_depth);
    }
  }
  errno = saved_errno;
  // SA_RESETHAND restored the default action; the signal, blocked while we run, ends the
  // process as soon as the handler returns, so its status says which signal it was.
  ::raise(signal_number);
}

std::string temporary_prefix(const std::filesystem::path& target) {
  return "." + target.filename().string().substr(0, k_kept_name) + ".reckon-tmp.";
}

// Six letters that differ between the temporaries a process makes and between processes.
std::string unique_letters() {
  static constexpr char k_letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uint64_t state =
      static_cast<std::uint64_t>(::getpid()) * 0x9E3779B97F4A7C15ULL +
      (std::uint64_t{++g_made} << 32) +
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  state ^= state >> 31;
  state *= 0xBF58476D1CE4E5B9ULL;
  state ^= state >> 29;
  std::string letters(6, 'a');
  for (char& letter : letters) {
    letter = k_letters[state % 36];
    state /= 36;
  }
  return letters;
}

Error io_error(const std::filesystem::path& target, const std::string& what) {
  return make_error(ErrorCode::io, target.string(), what + ": " + std::strerror(errno));
}

// Makes a temporary beside `target` with `make` (which creates the path it is given, failing
// with EEXIST when it exists). The path is registered before it exists, so that no moment
// passes in which a signal would leave it behind.
struct Made {
  std::string path;
  int fd = -1;
  int slot = -1;
};

template <typename Make>
Result<Made> make_beside(const std::filesystem::path& target, Make make) {
  const std::filesystem::path folder = target.parent_path();
  const std::string stem = temporary_prefix(target) + std::to_string(::getpid()) + ".";
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::string path = (folder / (stem + unique_letters())).string();
    const int slot = register_path(path);
    const int fd = make(path);
    if (fd >= 0) {
      return Made{path, fd, slot};
    }
    const int error = errno;
    unregister_path(slot);
    errno = error;
    if (error != EEXIST) {
      break;
    }
  }
  return io_error(target, "cannot create a temporary beside it");
}

bool process_runs(long pid) {
  return pid > 0 && pid <= INT_MAX && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

} // namespace

Temporary::Temporary(std::filesystem::path path, int fd, int slot)
    : m_path(std::move(path)), m_fd(fd), m_slot(slot) {}

Result<Temporary> Temporary::create_file(const std::filesystem::path& target) {
  auto made = make_beside(target, [](const std::string& path) {
    return ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  });
  if (!made) {
    return made.error();
  }
  return Temporary(made->path, made->fd, made->slot);
}

Result<Temporary> Temporary::create_folder(const std::filesystem::path& target) {
  auto made = make_beside(
      target, [](const std::string& path) { return ::mkdir(path.c_str(), 0777) == 0 ? 0 : -1; });
  if (!made) {
    return made.error();
  }
  return Temporary(made->path, -1, made->slot);
}

Temporary::Temporary(Temporary&& other) noexcept
    : m_path(std::move(other.m_path)), m_fd(other.m_fd), m_slot(other.m_slot),
      m_kept(other.m_kept) {
  other.m_fd = -1;
  other.m_slot = -1;
  other.m_kept = true;
}

Temporary::~Temporary() {
  close_descriptor();
  if (!m_kept) {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  unregister_path(m_slot);
}

bool Temporary::close_descriptor() {
  if (m_fd < 0) {
    return true;
  }
  const int fd = m_fd;
  m_fd = -1;
  return ::close(fd) == 0;
}

void Temporary::keep() {
  m_kept = true;
  unregister_path(m_slot);
  m_slot = -1;
}

void remove_temporaries_on_signals() {
  for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction current {};
    if (::sigaction(signal_number, nullptr, &current) != 0 || current.sa_handler == SIG_IGN) {
      continue;
    }
    struct sigaction handler {};
    handler.sa_handler = on_termination_signal;
    handler.sa_flags = SA_RESETHAND;
    sigemptyset(&handler.sa_mask);
    ::sigaction(signal_number, &handler, nullptr);
  }
}

void remove_stale_temporaries(const std::filesystem::path& target) {
  const std::string prefix = temporary_prefix(target);
  const std::filesystem::path folder =
      target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  std::error_code error;
  std::filesystem::directory_iterator entries(folder, error);
  if (error) {
    return;
  }
  const auto now = std::filesystem::file_time_type::clock::now();
  for (const std::filesystem::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) {
      continue;
    }
    // "<pid>.<6 letters>" follows the prefix; anything else is not ours.
    const std::string rest = name.substr(prefix.size());
    const std::size_t dot = rest.find('.');
    if (dot == std::string::npos || dot == 0 || rest.size() != dot + 7 ||
        rest.find_first_not_of("0123456789") != dot) {
      continue;
    }
    const long pid = std::strtol(rest.substr(0, dot).c_str(), nullptr, 10);
    const auto written = entry.last_write_time(error);
    const bool old = !error && now - written > k_stale_temporary_age;
    if (!process_runs(pid) || old) {
      std::filesystem::remove_all(entry.path(), error);
    }
  }
}

} // namespace reckon::util
