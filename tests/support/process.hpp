#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace reckon::test {

struct ProcessResult {
  int exit_code = -1; // -1 when the process did not exit by itself
  int signal = 0;     // the signal that ended it, 0 when it exited
  std::string out;
  std::string err;
};

struct ProcessOptions {
  // Variables set (a value) or removed (nullopt) in the child's copy of our environment.
  std::map<std::string, std::optional<std::string>> environment;
  // Gives the child a pseudo-terminal as stderr, so that what draws only on a terminal (the
  // progress bar) draws; `err` then holds what the terminal received.
  bool stderr_on_terminal = false;
  // The child's stdout, when it is not to be captured: a file or device opened for writing
  // (such as /dev/full), or none at all (a closed descriptor) when `close_stdout`.
  std::filesystem::path stdout_to;
  bool close_stdout = false;
};

// Runs `program` with `args` in `working_dir`, no stdin, capturing stdout and stderr.
ProcessResult run_process(const std::filesystem::path& program,
                          const std::vector<std::string>& args,
                          const std::filesystem::path& working_dir,
                          const ProcessOptions& options = {});

// A process running while the test goes on, to be waited for or killed. Destroying one that
// still runs kills it with SIGKILL and reaps it.
class ChildProcess {
public:
  ChildProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
               const std::filesystem::path& working_dir, const ProcessOptions& options = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return m_pid; }
  // Sends `signal` unless the process was already reaped.
  void kill(int signal);
  // Waits for the process to end and returns what it wrote; once only.
  ProcessResult wait();

private:
  pid_t m_pid = -1;
  bool m_reaped = false;
  std::filesystem::path m_out_path;
  std::filesystem::path m_err_path;
  int m_terminal_fd = -1; // the pseudo-terminal's master side, when stderr is one
  std::string m_terminal; // what the reader drained from it
  std::thread m_reader;   // drains the terminal, so the child never blocks on it
};

} // namespace reckon::test
