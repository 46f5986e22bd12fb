#pragma once

#include <filesystem>

namespace reckon::test {

// The project's data/ folder: the demo account, fixtures and the statistical anchor vectors.
std::filesystem::path data_dir();
// A fresh, empty directory under the system temporary directory, unique to this call, removed
// with its contents when the process exits (kept when RECKON_KEEP_TEST_DIRS is set).
std::filesystem::path fresh_temp_dir(const char* purpose);

} // namespace reckon::test
