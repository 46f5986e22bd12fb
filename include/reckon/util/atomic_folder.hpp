#pragma once

#include "reckon/util/file.hpp"
#include "reckon/util/result.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace reckon::util {

// One file of a folder written whole: its plain name and what creates it at the path given
// (which does not exist yet).
struct FolderFile {
  std::string name;
  std::function<Result<void>(const std::filesystem::path& path)> write;
};

// A FolderFile holding text that `content` produces when the folder is written.
FolderFile text_file(std::string name, std::function<std::string()> content);
// A FolderFile whose text `produce` makes piece by piece as it is written, never whole in memory
// (a report's results.json of a large account).
FolderFile produced_file(std::string name, ContentProducer produce);

// Writes `files` into a temporary folder beside `target`, then puts it in place at once
// (replace_folder): readers see the old folder or the new one, never a mix, and on any failure
// `target` is as it was. An existing `target` is replaced only when it is a folder holding
// nothing but files of these names (an earlier run's output); anything else in it is a usage
// error naming the first such entry, so that `--out ~` never deletes a home folder.
Result<void> write_folder(const std::filesystem::path& target,
                          const std::vector<FolderFile>& files);

} // namespace reckon::util
