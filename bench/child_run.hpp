#pragma once

// Runs a child process and reports what the kernel measured of it: its peak resident memory
// (ru_maxrss from wait4, the figure getrusage(RUSAGE_CHILDREN) reports for that child), its
// wall time and its exit status. The benchmarks that run `reckon` itself share it.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

namespace reckon::bench {

struct ChildRun {
  long peak_kib = -1;
  double seconds = 0.0;
  double cpu_seconds = 0.0; // user + system
  int status = -1;          // the exit code, -1 when killed by a signal
};

// Runs `binary` with `arguments`; its stdout goes to `stdout_file` when one is given (a table
// of 500 tests is not for the terminal), else to ours.
inline ChildRun run_child(const std::string& binary, const std::vector<std::string>& arguments,
                          const std::string& stdout_file = "") {
  const auto start = std::chrono::steady_clock::now();
  const pid_t child = ::fork();
  if (child == 0) {
    if (!stdout_file.empty()) {
      const int fd = ::open(stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd < 0 || ::dup2(fd, STDOUT_FILENO) < 0) {
        std::_Exit(126);
      }
    }
    std::vector<char*> argv{const_cast<char*>(binary.c_str())};
    for (const std::string& argument : arguments) {
      argv.push_back(const_cast<char*>(argument.c_str()));
    }
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    std::_Exit(127);
  }
  ChildRun run;
  rusage usage{};
  int status = 0;
  if (child > 0 && ::wait4(child, &status, 0, &usage) == child) {
    run.peak_kib = usage.ru_maxrss;
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    const auto seconds = [](const timeval& t) {
      return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    run.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

} // namespace reckon::bench
