#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace reckon::test {

// A small tmpfs of the test's own, for what a folder cannot show to root (whom permissions do
// not stop): a file system that is read-only, or full. Mounting needs root and a kernel that
// lets this process mount; where it cannot, `available()` is false and `why_not()` says why,
// for GTEST_SKIP. Unmounted (lazily) when destroyed.
class ScratchMount {
public:
  explicit ScratchMount(std::size_t size_bytes);
  ~ScratchMount();
  ScratchMount(const ScratchMount&) = delete;
  ScratchMount& operator=(const ScratchMount&) = delete;

  bool available() const { return m_mounted; }
  const std::string& why_not() const { return m_why_not; }
  const std::filesystem::path& path() const { return m_path; }

  // Remounts read-only or writable again; false (with why_not) when the kernel refuses.
  bool set_read_only(bool read_only);
  // Writes a filler file until the file system has no space left.
  void fill();

private:
  std::filesystem::path m_path;
  bool m_mounted = false;
  std::string m_why_not;
};

} // namespace reckon::test
