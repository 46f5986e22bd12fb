#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace reckon::test {

// The whole file, byte for byte. Throws std::runtime_error naming the file when it cannot be
// read, so that a test reading a missing output fails with that name rather than on "".
std::string read_text(const std::filesystem::path& path);
// Replaces the file with `text`, byte for byte; throws std::runtime_error when it cannot.
void write_text(const std::filesystem::path& path, std::string_view text);
// Every byte of every file under `dir`, in directory order (a store and any journal beside it):
// what a test searches for a secret that must never be written.
std::string bytes_under(const std::filesystem::path& dir);
// How many times `needle` occurs in `text`, counting non-overlapping occurrences.
std::size_t count_of(std::string_view text, std::string_view needle);

} // namespace reckon::test
