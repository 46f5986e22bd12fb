#pragma once

#include "reckon/util/result.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>

namespace reckon::util {

// Temporaries are made beside their target and named `.<target name>.reckon-tmp.<pid>.<6
// letters>`: hidden, recognisably ours, and telling whether their writer still runs.
//
// While one lives it is registered (in a fixed table of k_registered_temporaries entries, so
// that a signal handler can read it): SIGINT, SIGTERM and SIGHUP remove every registered
// temporary, then end the process by the same signal. After SIGKILL nothing can run, so the
// next successful write to the same target removes the stale ones (remove_stale_temporaries).
inline constexpr std::size_t k_registered_temporaries = 64;

// A temporary older than this is stale even when a process of its pid runs: no write of ours
// takes a day, so that pid has been reused.
inline constexpr std::chrono::hours k_stale_temporary_age{24};

// A temporary file or folder beside a target. Destroying it removes it (a folder with all it
// holds) unless it was kept; it is removed on the signals above while it lives.
class Temporary {
public:
  // An empty file beside `target`, open for writing as `descriptor()`, with the mode a new
  // file gets (0666 less the umask).
  static Result<Temporary> create_file(const std::filesystem::path& target);
  // An empty folder beside `target`.
  static Result<Temporary> create_folder(const std::filesystem::path& target);

  Temporary(Temporary&& other) noexcept;
  Temporary& operator=(Temporary&&) = delete;
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;
  ~Temporary();

  const std::filesystem::path& path() const { return m_path; }
  int descriptor() const { return m_fd; }
  // Closes the descriptor; false (errno set) when the close reports a failed write.
  bool close_descriptor();
  // Once renamed into place: nothing is removed any more.
  void keep();

private:
  Temporary(std::filesystem::path path, int fd, int slot);

  std::filesystem::path m_path;
  int m_fd = -1;
  int m_slot = -1; // its entry in the signal handler's table, -1 when none was free
  bool m_kept = false;
};

// Installs the handler that removes registered temporaries on SIGINT, SIGTERM and SIGHUP; a
// signal the process was started ignoring stays ignored. Called once, by the program.
void remove_temporaries_on_signals();

// Removes the temporaries of `target` (named as above) whose pid runs no process, or that are
// older than k_stale_temporary_age. Never fails: what cannot be removed is left.
void remove_stale_temporaries(const std::filesystem::path& target);

} // namespace reckon::util
