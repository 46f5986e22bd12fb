#include "reckon/util/file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace reckon::util {
namespace {

Error io_error(const std::filesystem::path& path, const std::string& what) {
  return make_error(ErrorCode::io, path.string(), what + ": " + std::strerror(errno));
}

// Writes every byte, retrying on short writes and signals.
bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

} // namespace

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return io_error(path, "cannot open for reading");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return io_error(path, "cannot read");
  }
  return buffer.str();
}

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  std::string temporary = path.string() + ".tmp.XXXXXX";
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    return io_error(path, "cannot create a temporary file beside it");
  }
  const bool written = write_all(fd, content) && ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    Error error = io_error(path, "cannot write");
    ::unlink(temporary.c_str());
    return error;
  }
  ::chmod(temporary.c_str(), 0644);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    Error error = io_error(path, "cannot replace");
    ::unlink(temporary.c_str());
    return error;
  }
  return {};
}

} // namespace reckon::util
