#pragma once

#include "reckon/util/file.hpp"

namespace reckon::util {

// write_new_file for content made piece by piece (ContentProducer), never whole in memory: the
// files of a report folder too large to hold (atomic_folder.cpp's produced_file). The
// producer's error when it fails.
Result<void> write_new_file(const std::filesystem::path& path, const ContentProducer& produce);

} // namespace reckon::util
