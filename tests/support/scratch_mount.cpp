#include "support/scratch_mount.hpp"

#include "support/paths.hpp"

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace reckon::test {

ScratchMount::ScratchMount(std::size_t size_bytes) : m_path(fresh_temp_dir("scratch-mount")) {
  const std::string options = "size=" + std::to_string(size_bytes) + ",mode=0755";
  if (mount("tmpfs", m_path.c_str(), "tmpfs", 0, options.c_str()) != 0) {
    m_why_not = "cannot mount a tmpfs at " + m_path.string() + " (" + std::strerror(errno) +
                "): needs root and a kernel that allows it";
    return;
  }
  m_mounted = true;
}

ScratchMount::~ScratchMount() {
  if (m_mounted) {
    umount2(m_path.c_str(), MNT_DETACH);
  }
}

bool ScratchMount::set_read_only(bool read_only) {
  const unsigned long flags =
      MS_REMOUNT | (read_only ? static_cast<unsigned long>(MS_RDONLY) : 0UL);
  if (mount("tmpfs", m_path.c_str(), "tmpfs", flags, nullptr) != 0) {
    m_why_not = "cannot remount " + m_path.string() + (read_only ? " read-only (" : " writable (") +
                std::strerror(errno) + ")";
    return false;
  }
  return true;
}

void ScratchMount::fill() {
  std::ofstream filler(m_path / "filler", std::ios::binary);
  const std::vector<char> block(64 * 1024, 'x');
  while (filler.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    filler.flush();
  }
  // What is left is smaller than a block: fill it byte by byte.
  filler.clear();
  while (filler.put('x') && filler.flush()) {
  }
}

} // namespace reckon::test
