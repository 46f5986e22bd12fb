#include "support/paths.hpp"

#include <atomic>
#include <string>

#include <unistd.h>

namespace reckon::test {

std::filesystem::path data_dir() {
  return RECKON_DATA_DIR;
}

std::filesystem::path fresh_temp_dir(const char* purpose) {
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("reckon-test-" + std::string(purpose) + "-" + std::to_string(::getpid()) + "-" +
                    std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

} // namespace reckon::test
