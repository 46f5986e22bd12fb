#pragma once

#include "reckon/store/store.hpp"
#include "reckon/util/result.hpp"

#include <cstddef>
#include <filesystem>

namespace reckon::store {

// Writes the newest version of every stored exchange to `dir` in the layout `reckon simulate`
// writes (data/README.md): one file per response body, byte for byte, and a `manifest.json`
// (schema reckon.simulated-responses/v1) giving each file's source, status, method, path,
// query (in order), request body, and also its fetch time as `fetched_at_ms` and, for a day
// window, its `local_date` and `time_zone`, so that importing the folder gives back the same
// exchanges. `as_of` is the newest fetch time.
//
// Files are named from their request, `<source>/<path segments>/<method>-<hash>.json` with
// unsafe characters replaced and a stable hash of the whole request, so the same store always
// exports to the same names.
//
// The folder is written whole beside `dir` and renamed into place (util::replace_folder): a
// failure (a full disk) or a signal leaves `dir` as it was, and an earlier export in `dir` is
// kept until the new one is complete, then replaced with every file it held. A `dir` holding
// files but no manifest is no earlier export and is refused (a usage error). Returns the
// number of response files written.
util::Result<std::size_t> export_responses(const Store& store, const std::filesystem::path& dir);

} // namespace reckon::store
