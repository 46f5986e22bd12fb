#include "reckon/util/file.hpp"
#include "new_file.hpp"

#include "reckon/util/temporary_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace reckon::util {
namespace {

// As many links as the kernel follows before it says ELOOP.
constexpr int k_max_links = 40;

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

// Writes a file's whole content to a descriptor; false (errno set) when a write failed.
using Filler = std::function<bool(int fd)>;

Filler filler(std::string_view content) {
  return [content](int fd) { return write_all(fd, content); };
}

// Copies the first `size` bytes of the file `from` to the descriptor it is given.
Filler copy_of(const std::filesystem::path& from, std::uint64_t size) {
  return [from, size](int to) {
    constexpr std::size_t k_chunk = std::size_t{1} << 20;
    const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) {
      return false;
    }
    std::string buffer(k_chunk, '\0');
    bool copied = true;
    for (std::uint64_t offset = 0; copied && offset < size;) {
      const ssize_t got =
          ::pread(in, buffer.data(),
                  static_cast<std::size_t>(std::min<std::uint64_t>(k_chunk, size - offset)),
                  static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) {
        continue;
      }
      copied =
          got > 0 && write_all(to, std::string_view(buffer.data(), static_cast<std::size_t>(got)));
      offset += copied ? static_cast<std::uint64_t>(got) : 0;
    }
    ::close(in);
    return copied;
  };
}

// Writes `size` bytes that `fill` writes to a descriptor over the file `shown` names, keeping
// its inode: its links, mode and owner.
Result<void> write_in_place(const std::filesystem::path& shown, const std::filesystem::path& file,
                            std::uint64_t size, const Filler& fill) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return io_error(shown, "cannot open for writing");
  }
  const auto length = static_cast<off_t>(size);
  const int reserved = size == 0 ? 0 : ::posix_fallocate(fd, 0, length);
  if (reserved != 0 && reserved != EOPNOTSUPP && reserved != EINVAL) {
    ::close(fd);
    errno = reserved;
    return io_error(shown, "no room for the new content (the file is unchanged)");
  }
  const bool written = fill(fd) && ::ftruncate(fd, length) == 0 && ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    return io_error(shown, "cannot write");
  }
  return {};
}

// Writes to a device, FIFO or socket as it is: no temporary, no rename.
Result<void> write_through(const std::filesystem::path& shown, const std::filesystem::path& file,
                           const Filler& fill) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return io_error(shown, "cannot open for writing");
  }
  const bool written = fill(fd);
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    return io_error(shown, "cannot write");
  }
  return {};
}

// Renames the temporary `written`, holding `size` bytes, over `file`. `existing` is the replaced
// file's status, whose owner and mode the new file takes; when the owner cannot be kept, the
// content is copied into the file itself instead.
Result<void> put_in_place(const std::filesystem::path& shown, const std::filesystem::path& file,
                          Temporary& written, std::uint64_t size,
                          const std::optional<struct stat>& existing) {
  const int fd = written.descriptor();
  if (existing) {
    const bool other_owner = existing->st_uid != ::geteuid() || existing->st_gid != ::getegid();
    if (other_owner && ::fchown(fd, existing->st_uid, existing->st_gid) != 0) {
      return write_in_place(shown, file, size,
                            copy_of(written.path(), size)); // only the file keeps its owner
    }
    if (::fchmod(fd, existing->st_mode & 07777) != 0) {
      return io_error(shown, "cannot give the new file the mode of the old");
    }
  }
  const bool synced = ::fsync(fd) == 0;
  if (!written.close_descriptor() || !synced) {
    return io_error(shown, "cannot write");
  }
  if (::rename(written.path().c_str(), file.c_str()) != 0) {
    return io_error(shown, "cannot replace");
  }
  written.keep();
  remove_stale_temporaries(file);
  return {};
}

// A temporary beside `file`, filled by `fill`, and how many bytes that wrote.
Result<std::pair<Temporary, std::uint64_t>>
spool(const std::filesystem::path& shown, const std::filesystem::path& file, const Filler& fill) {
  Result<Temporary> temporary = Temporary::create_file(file);
  if (!temporary) {
    return make_error(ErrorCode::io, shown.string(), temporary.error().message);
  }
  const int fd = temporary->descriptor();
  const off_t size = fill(fd) ? ::lseek(fd, 0, SEEK_CUR) : -1;
  if (size < 0) {
    return io_error(shown, "cannot write");
  }
  return std::pair<Temporary, std::uint64_t>{std::move(*temporary),
                                             static_cast<std::uint64_t>(size)};
}

// Writes `fill`'s content to `path` as write_file_atomically describes: `size` is its length
// when known before it is written (nullopt: written to a temporary first wherever that is
// needed to learn it).
Result<void> write_target(const std::filesystem::path& path, const Filler& fill,
                          std::optional<std::uint64_t> size) {
  Result<std::filesystem::path> file = follow_links(path);
  if (!file) {
    return file.error();
  }
  struct stat status {};
  std::optional<struct stat> existing;
  if (::stat(file->c_str(), &status) == 0) {
    existing = status;
  } else if (errno != ENOENT) {
    return io_error(path, "cannot write");
  }
  if (existing && S_ISDIR(status.st_mode)) {
    return make_error(ErrorCode::io, path.string(), "is a folder: name a file to write");
  }
  if (existing && !S_ISREG(status.st_mode)) {
    return write_through(path, *file, fill);
  }
  if (existing && status.st_nlink > 1 && size) {
    return write_in_place(path, *file, *size, fill);
  }
  auto spooled = spool(path, *file, fill);
  if (!spooled) {
    return spooled.error();
  }
  auto& [temporary, length] = *spooled;
  if (existing && status.st_nlink > 1) {
    return write_in_place(path, *file, length, copy_of(temporary.path(), length));
  }
  return put_in_place(path, *file, temporary, length, existing);
}

// Puts the complete folder `built` in place of the existing folder `folder`. The old folder
// ends at `built`'s path, whose Temporary removes it.
Result<void> exchange_folders(const std::filesystem::path& shown, Temporary& built,
                              const std::filesystem::path& folder) {
  if (::renameat2(AT_FDCWD, built.path().c_str(), AT_FDCWD, folder.c_str(), RENAME_EXCHANGE) == 0) {
    return {};
  }
  if (errno != EINVAL && errno != ENOSYS) {
    return io_error(shown, "cannot put the new folder in place");
  }
  // A file system without exchange: the old folder moves over an empty temporary one (rename
  // replaces an empty folder), then the new one takes its name.
  Result<Temporary> old = Temporary::create_folder(folder);
  if (!old) {
    return make_error(ErrorCode::io, shown.string(), old.error().message);
  }
  if (::rename(folder.c_str(), old->path().c_str()) != 0) {
    return io_error(shown, "cannot move the old folder aside");
  }
  if (::rename(built.path().c_str(), folder.c_str()) != 0) {
    Error error = io_error(shown, "cannot put the new folder in place");
    ::rename(old->path().c_str(), folder.c_str());
    return error;
  }
  built.keep();
  return {};
}

} // namespace

Result<std::string> read_file(const std::filesystem::path& path) {
  if (std::error_code ignored; std::filesystem::is_directory(path, ignored)) {
    return make_error(ErrorCode::io, path.string(), "is a directory, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return io_error(path, "cannot open for reading");
  }
  // A regular file is read straight into a string of its size: a stream buffer would grow by
  // doubling and then be copied, three times the file at the peak.
  std::error_code unknown;
  if (const auto size = std::filesystem::file_size(path, unknown); !unknown && size > 0) {
    std::string content(size, '\0');
    in.read(content.data(), static_cast<std::streamsize>(size));
    content.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) {
      return io_error(path, "cannot read");
    }
    if (in.peek() == std::char_traits<char>::eof()) {
      return content;
    }
    in.clear(); // it grew while read: the rest below
    std::ostringstream rest;
    rest << in.rdbuf();
    return content + rest.str();
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return io_error(path, "cannot read");
  }
  return buffer.str();
}

Result<std::filesystem::path> follow_links(const std::filesystem::path& path) {
  std::filesystem::path file = path;
  for (int links = 0; links < k_max_links; ++links) {
    std::error_code error;
    if (!std::filesystem::is_symlink(file, error)) {
      return file;
    }
    const std::filesystem::path target = std::filesystem::read_symlink(file, error);
    if (error) {
      return make_error(ErrorCode::io, path.string(), "cannot read the link: " + error.message());
    }
    file = target.is_absolute() ? target : file.parent_path() / target;
  }
  return make_error(ErrorCode::io, path.string(), "too many levels of symbolic links");
}

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  return write_target(path, filler(content), content.size());
}

Result<void> write_file_atomically(const std::filesystem::path& path,
                                   const ContentProducer& produce) {
  std::optional<Error> failed;
  const Filler fill = [&](int fd) {
    Result<void> produced = produce([&](std::string_view piece) -> Result<void> {
      if (!write_all(fd, piece)) {
        return io_error(path, "cannot write");
      }
      return {};
    });
    if (!produced) {
      failed = produced.error();
    }
    return produced.has_value();
  };
  Result<void> written = write_target(path, fill, std::nullopt);
  if (failed) {
    return *failed; // what the producer said, not that the file could not be written
  }
  return written;
}

Result<void> write_new_file(const std::filesystem::path& path, std::string_view content) {
  return write_new_file(path, [content](const auto& put) { return put(content); });
}

Result<void> write_new_file(const std::filesystem::path& path, const ContentProducer& produce) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    return io_error(path, "cannot create");
  }
  Result<void> produced = produce([&](std::string_view piece) -> Result<void> {
    if (!write_all(fd, piece)) {
      return io_error(path, "cannot write");
    }
    return {};
  });
  const bool written = produced.has_value() && ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!produced) {
    return produced; // what the producer said, not that the file could not be written
  }
  if (!written || !closed) {
    return io_error(path, "cannot write");
  }
  return {};
}

Result<void> replace_folder(const std::filesystem::path& target,
                            const std::function<Result<void>(const std::filesystem::path&)>& fill) {
  // "out/" and "." name folders whose names are lost to filename(); the temporary goes beside
  // the folder they name, never inside it.
  std::filesystem::path named = std::filesystem::absolute(target).lexically_normal();
  if (!named.has_filename()) {
    named = named.parent_path();
  }
  Result<std::filesystem::path> folder = follow_links(named);
  if (!folder) {
    return folder.error();
  }
  std::error_code error;
  const bool exists = std::filesystem::exists(*folder, error);
  if (exists && !std::filesystem::is_directory(*folder, error)) {
    errno = ENOTDIR;
    return io_error(target, "cannot write the folder");
  }
  if (!folder->parent_path().empty()) {
    std::filesystem::create_directories(folder->parent_path(), error);
    if (error) {
      return make_error(ErrorCode::io, folder->parent_path().string(),
                        "cannot create the folder: " + error.message());
    }
  }
  Result<Temporary> built = Temporary::create_folder(*folder);
  if (!built) {
    return make_error(ErrorCode::io, target.string(), built.error().message);
  }
  // The new folder keeps the old one's mode (a private folder stays private) and, where we may
  // give it away, its owner.
  struct stat old {};
  if (exists && ::stat(folder->c_str(), &old) == 0) {
    if (old.st_uid != ::geteuid() || old.st_gid != ::getegid()) {
      static_cast<void>(::chown(built->path().c_str(), old.st_uid, old.st_gid));
    }
    if (::chmod(built->path().c_str(), old.st_mode & 07777) != 0) {
      return io_error(target, "cannot give the new folder the mode of the old");
    }
  }
  if (Result<void> filled = fill(built->path()); !filled) {
    // Named where the file would have been: the temporary folder is gone by now.
    Error failure = filled.error();
    const std::string inside = built->path().string();
    if (failure.where.rfind(inside, 0) == 0) {
      failure.where = target.string() + failure.where.substr(inside.size());
    }
    failure.message += " (the folder is unchanged)";
    return failure;
  }
  if (exists) {
    if (Result<void> exchanged = exchange_folders(target, *built, *folder); !exchanged) {
      return exchanged;
    }
  } else if (::rename(built->path().c_str(), folder->c_str()) == 0) {
    built->keep();
  } else {
    return io_error(target, "cannot put the new folder in place");
  }
  remove_stale_temporaries(*folder);
  return {};
}

bool same_file(const std::filesystem::path& first, const std::filesystem::path& second) {
  struct stat one {};
  struct stat two {};
  return ::stat(first.c_str(), &one) == 0 && ::stat(second.c_str(), &two) == 0 &&
         one.st_dev == two.st_dev && one.st_ino == two.st_ino;
}

} // namespace reckon::util
