#include "support/process.hpp"
#include "support/text_files.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char** environ;

namespace reckon::test {
namespace {

// Our environment with the options' changes, as NAME=VALUE lines.
std::vector<std::string> child_environment(const ProcessOptions& options) {
  std::vector<std::string> lines;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string line = *entry;
    const std::string name = line.substr(0, line.find('='));
    if (!options.environment.contains(name)) {
      lines.push_back(line);
    }
  }
  for (const auto& [name, value] : options.environment) {
    if (value) {
      lines.push_back(name + "=" + *value);
    }
  }
  return lines;
}

std::vector<char*> pointers_to(std::vector<std::string>& texts) {
  std::vector<char*> pointers;
  for (std::string& text : texts) {
    pointers.push_back(text.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

// A pseudo-terminal pair, both ends closed on exec; output processing off, so that the
// child's bytes arrive as written ("\n" stays "\n").
struct Terminal {
  int master = -1;
  int slave = -1;
};

Terminal open_terminal() {
  Terminal terminal;
  terminal.master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  char name[128] = {};
  if (terminal.master < 0 || ::grantpt(terminal.master) != 0 || ::unlockpt(terminal.master) != 0 ||
      ::ptsname_r(terminal.master, name, sizeof name) != 0) {
    throw std::runtime_error("cannot open a pseudo-terminal");
  }
  terminal.slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  termios settings{};
  if (terminal.slave < 0 || ::tcgetattr(terminal.slave, &settings) != 0) {
    throw std::runtime_error("cannot open a pseudo-terminal's slave side");
  }
  settings.c_oflag &= ~static_cast<tcflag_t>(OPOST);
  ::tcsetattr(terminal.slave, TCSANOW, &settings);
  return terminal;
}

std::atomic<unsigned> g_children{0};

} // namespace

ChildProcess::ChildProcess(const std::filesystem::path& program,
                           const std::vector<std::string>& args,
                           const std::filesystem::path& working_dir,
                           const ProcessOptions& options) {
  // Output goes through files (or a drained terminal) rather than pipes, so a chatty child can
  // never block on a full pipe while the parent waits for it. Everything the child needs is
  // made before fork: the child of a threaded parent should only call async-signal-safe code.
  const std::string stem =
      ".process." + std::to_string(::getpid()) + "." + std::to_string(++g_children);
  m_out_path = working_dir / (stem + ".out");
  m_err_path = working_dir / (stem + ".err");
  std::vector<std::string> argv_texts{program.string()};
  argv_texts.insert(argv_texts.end(), args.begin(), args.end());
  std::vector<std::string> env_texts = child_environment(options);
  std::vector<char*> argv = pointers_to(argv_texts);
  std::vector<char*> envp = pointers_to(env_texts);
  const Terminal terminal = options.stderr_on_terminal ? open_terminal() : Terminal{};
  const std::filesystem::path stdout_path =
      options.stdout_to.empty() ? m_out_path : options.stdout_to;
  const bool close_stdout = options.close_stdout;

  m_pid = ::fork();
  if (m_pid == 0) {
    const int in_fd = ::open("/dev/null", O_RDONLY);
    const int out_fd = ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = terminal.slave >= 0
                           ? terminal.slave
                           : ::open(m_err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in_fd < 0 || out_fd < 0 || err_fd < 0 || ::chdir(working_dir.c_str()) != 0) {
      ::_exit(127);
    }
    ::dup2(in_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    if (close_stdout) {
      ::close(1);
      ::close(out_fd);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  if (terminal.slave >= 0) {
    ::close(terminal.slave); // the child holds it now; its exit ends the reader's reads
    m_terminal_fd = terminal.master;
    m_reader = std::thread([this] {
      char buffer[4096];
      for (;;) {
        const ssize_t got = ::read(m_terminal_fd, buffer, sizeof buffer);
        if (got <= 0) {
          break; // EIO once every slave descriptor is closed
        }
        m_terminal.append(buffer, static_cast<std::size_t>(got));
      }
    });
  }
  if (m_pid < 0) {
    m_reaped = true;
  }
}

ChildProcess::~ChildProcess() {
  if (!m_reaped) {
    kill(SIGKILL);
  }
  wait();
}

void ChildProcess::kill(int signal) {
  if (!m_reaped && m_pid > 0) {
    ::kill(m_pid, signal);
  }
}

ProcessResult ChildProcess::wait() {
  ProcessResult result;
  int status = 0;
  if (!m_reaped && m_pid > 0 && ::waitpid(m_pid, &status, 0) == m_pid) {
    if (WIFEXITED(status)) {
      result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      result.signal = WTERMSIG(status);
    }
  }
  m_reaped = true;
  if (m_reader.joinable()) {
    m_reader.join();
  }
  if (m_terminal_fd >= 0) {
    ::close(m_terminal_fd);
    m_terminal_fd = -1;
  }
  // A child that failed before opening its output files wrote nothing.
  const auto written = [](const std::filesystem::path& path) {
    return std::filesystem::exists(path) ? read_text(path) : std::string();
  };
  result.out = written(m_out_path);
  result.err = m_terminal.empty() ? written(m_err_path) : std::move(m_terminal);
  m_terminal.clear();
  std::error_code ignored;
  std::filesystem::remove(m_out_path, ignored);
  std::filesystem::remove(m_err_path, ignored);
  return result;
}

ProcessResult run_process(const std::filesystem::path& program,
                          const std::vector<std::string>& args,
                          const std::filesystem::path& working_dir, const ProcessOptions& options) {
  ChildProcess child(program, args, working_dir, options);
  return child.wait();
}

} // namespace reckon::test
