#include "reckon/util/atomic_folder.hpp"

#include "new_file.hpp"
#include "reckon/util/file.hpp"

#include <algorithm>
#include <cassert>

namespace reckon::util {
namespace {

bool listed(const std::vector<FolderFile>& files, const std::string& name) {
  return std::any_of(files.begin(), files.end(),
                     [&name](const FolderFile& file) { return file.name == name; });
}

// A usage error when `target` exists and holds an entry that is none of `files`.
Result<void> refuse_foreign_folder(const std::filesystem::path& target,
                                   const std::vector<FolderFile>& files) {
  std::error_code error;
  if (!std::filesystem::is_directory(target, error)) {
    return {}; // missing (created), or not a folder (replace_folder says so)
  }
  for (const auto& entry : std::filesystem::directory_iterator(target, error)) {
    const std::string name = entry.path().filename().string();
    if (!listed(files, name)) {
      return make_error(ErrorCode::usage, target.string(),
                        "the folder holds \"" + name +
                            "\", which Reckon did not write there; name a new or empty folder "
                            "(an earlier report folder is replaced whole)");
    }
  }
  if (error) {
    return make_error(ErrorCode::io, target.string(), "cannot list the folder: " + error.message());
  }
  return {};
}

} // namespace

FolderFile text_file(std::string name, std::function<std::string()> content) {
  return {std::move(name), [content = std::move(content)](const std::filesystem::path& path) {
            return write_new_file(path, content());
          }};
}

FolderFile produced_file(std::string name, ContentProducer produce) {
  return {std::move(name), [produce = std::move(produce)](const std::filesystem::path& path) {
            return write_new_file(path, produce);
          }};
}

Result<void> write_folder(const std::filesystem::path& target,
                          const std::vector<FolderFile>& files) {
  // Names are the program's own, never the user's: a path in one is a bug.
  assert(std::all_of(files.begin(), files.end(), [](const FolderFile& file) {
    return !file.name.empty() && file.name.find('/') == std::string::npos;
  }));
  Result<std::filesystem::path> followed = follow_links(target);
  if (!followed) {
    return followed.error();
  }
  if (Result<void> ours = refuse_foreign_folder(*followed, files); !ours) {
    return ours;
  }
  return replace_folder(target, [&files](const std::filesystem::path& fresh) -> Result<void> {
    for (const FolderFile& file : files) {
      if (Result<void> written = file.write(fresh / file.name); !written) {
        return written;
      }
    }
    return {};
  });
}

} // namespace reckon::util
