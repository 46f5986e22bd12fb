#pragma once

#include "reckon/util/result.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace reckon::util {

// The whole content of a file, or an io error naming it.
Result<std::string> read_file(const std::filesystem::path& path);

// Writes `content` to a temporary file beside `path`, flushes it and renames it over `path`,
// so that a reader sees either the old file or the new one, never half of one.
Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content);

} // namespace reckon::util
