#pragma once

#include "reckon/util/result.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace reckon::util {

// The whole content of a file, or an io error naming it.
Result<std::string> read_file(const std::filesystem::path& path);

// Writes `content` to `path` as each kind of target asks, so that nothing is destroyed and no
// reader sees half a file:
// - a missing or regular file: written to a temporary beside it (temporary_files.hpp),
//   flushed and renamed over it; a replaced file keeps its mode and owner. When the owner
//   cannot be kept (we may not give a file away), the file is written in place instead.
// - a file with other hard links: written in place, so that every name keeps showing the
//   same file. The room is reserved first (fallocate), so a full disk fails before a byte
//   changes; a crash during the write itself can leave it partly written.
// - a symlink: followed; its target is written as above and the link stays.
// - a device, FIFO or socket: opened and written through (`/dev/null`, `/dev/full` reports
//   its error, a FIFO's reader gets the content).
// - a folder: an io error.
// After a successful write the stale temporaries of the same target are removed.
Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Content made piece by piece: calls `put` with each piece in order, stopping at its first
// error, and returns the outcome.
using ContentProducer =
    std::function<Result<void>(const std::function<Result<void>(std::string_view)>& put)>;

// The same for content that never exists whole in memory: it is written to the temporary as
// it comes (for a file with other hard links, to a temporary beside it, then copied in). When
// `produce` fails, the target is as it was and its error is returned.
Result<void> write_file_atomically(const std::filesystem::path& path,
                                   const ContentProducer& produce);

// Creates `path`, which must not exist, with `content`, flushed: for the files of a temporary
// folder that replace_folder puts in place whole.
Result<void> write_new_file(const std::filesystem::path& path, std::string_view content);

// Fills a temporary folder beside `target` with `fill`, then puts it in place of `target`
// (following a symlink to a folder); an existing folder is kept until the new one is
// complete, then exchanged with it and removed; the new folder takes the old one's mode and,
// where we may give it away, its owner. When `fill` or any step fails, `target` is as it was
// and the temporary folder is gone.
Result<void> replace_folder(const std::filesystem::path& target,
                            const std::function<Result<void>(const std::filesystem::path&)>& fill);

// Whether two paths name the same existing file (device and inode, through links).
bool same_file(const std::filesystem::path& first, const std::filesystem::path& second);

// `path` with its symlinks followed to what they finally name (which may not exist yet);
// `path` itself when it is no link. An io error for a loop or an unreadable link.
Result<std::filesystem::path> follow_links(const std::filesystem::path& path);

} // namespace reckon::util
