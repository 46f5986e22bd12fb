#include "support/paths.hpp"

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include <unistd.h>

namespace reckon::test {

std::filesystem::path data_dir() {
  return RECKON_DATA_DIR;
}

namespace {

// The directories this process made, removed when it exits: a whole suite writes gigabytes of
// stores and simulated accounts, which would otherwise pile up in /tmp run after run.
// RECKON_KEEP_TEST_DIRS=1 keeps them for a look after a failure.
class TempDirs {
public:
  void add(const std::filesystem::path& dir) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_dirs.push_back(dir);
  }
  ~TempDirs() {
    if (std::getenv("RECKON_KEEP_TEST_DIRS") != nullptr) {
      return;
    }
    for (const std::filesystem::path& dir : m_dirs) {
      std::error_code ignored; // a test that made a folder unwritable may leave it behind
      std::filesystem::remove_all(dir, ignored);
    }
  }

private:
  std::mutex m_mutex;
  std::vector<std::filesystem::path> m_dirs;
};

TempDirs& temp_dirs() {
  static TempDirs dirs;
  return dirs;
}

} // namespace

std::filesystem::path fresh_temp_dir(const char* purpose) {
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("reckon-test-" + std::string(purpose) + "-" + std::to_string(::getpid()) + "-" +
                    std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  temp_dirs().add(dir);
  return dir;
}

} // namespace reckon::test
