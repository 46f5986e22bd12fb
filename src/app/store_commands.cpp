#include "analysis_run.hpp"
#include "commands.hpp"

#include "reckon/parse/counts_csv.hpp"
#include "reckon/parse/intelligems.hpp"
#include "reckon/parse/platform.hpp"
#include "reckon/parse/saved_responses.hpp"
#include "reckon/store/export.hpp"
#include "reckon/store/store.hpp"
#include "reckon/util/file.hpp"
#include "reckon/util/number_format.hpp"
#include "reckon/util/time_zone.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <sstream>

namespace reckon::app {
namespace {

// When the file was last written, in Unix ms: the time its figures stand for. Importing the
// same file twice finds every experiment unchanged; a refreshed file is newer.
util::Result<std::int64_t> modified_ms(const std::string& file) {
  std::error_code error;
  const auto written = std::filesystem::last_write_time(file, error);
  if (error) {
    return util::make_error(util::ErrorCode::io, file, "cannot read its time: " + error.message());
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::file_clock::to_sys(written).time_since_epoch())
      .count();
}

// A counts CSV is kept as one response of source "counts_csv" per experiment, keyed by the
// experiment's id, after checking that it parses: a store never holds input that analysis
// would reject, and a refreshed file under any name adds a new version of the experiments it
// carries rather than a second copy of them.
util::Result<std::vector<contract::ApiExchange>> read_counts_csv(const std::string& file) {
  auto text = util::read_file(file);
  if (!text) {
    return text.error();
  }
  auto parts = parse::split_counts_csv(*text, file);
  if (!parts) {
    return parts.error();
  }
  auto written_ms = modified_ms(file);
  if (!written_ms) {
    return written_ms.error();
  }
  std::vector<contract::ApiExchange> exchanges;
  for (parse::CountsCsvPart& part : *parts) {
    exchanges.push_back({{"counts_csv", "FILE", part.experiment_id, {}, {}},
                         200,
                         *written_ms,
                         std::move(part.text),
                         file});
  }
  return exchanges;
}

std::string megabytes(std::int64_t bytes) {
  return util::format_fixed(static_cast<double>(bytes) / 1e6, 1) + " MB";
}

// The kept runs as a table, oldest first, and the file's size below it.
std::string render_runs(const std::vector<store::StoredRun>& runs, const std::string& store_path,
                        std::int64_t file_bytes) {
  std::ostringstream text;
  text << std::left << std::setw(6) << "run" << std::setw(27) << "when (UTC)" << std::setw(16)
       << "label" << std::right << std::setw(8) << "cells" << std::setw(10) << "figures"
       << std::setw(12) << "size" << '\n';
  const util::TimeZone utc = util::TimeZone::utc();
  for (const store::StoredRun& run : runs) {
    text << std::left << std::setw(6) << run.id << std::setw(27) << utc.iso8601(run.at_ms / 1000)
         << std::setw(16) << run.label << std::right << std::setw(8) << run.cells << std::setw(10)
         << run.figures << std::setw(12) << megabytes(run.size_bytes) << '\n';
  }
  text << runs.size() << " check runs in " << store_path << " (" << megabytes(file_bytes)
       << "); sizes are estimates of each run's share\n";
  return text.str();
}

// An export replaces its whole folder, so a store inside it would be destroyed with it.
util::Result<void> refuse_store_in_export(const std::string& store_path,
                                          const std::string& out_dir) {
  std::error_code error;
  const std::filesystem::path store = std::filesystem::weakly_canonical(store_path, error);
  const std::filesystem::path folder = std::filesystem::weakly_canonical(out_dir, error);
  if (error) {
    return {}; // the export itself reports what cannot be resolved
  }
  if (std::mismatch(folder.begin(), folder.end(), store.begin(), store.end()).first !=
      folder.end()) {
    return {};
  }
  return util::make_error(util::ErrorCode::usage, "--out " + out_dir,
                          "holds --store " + store_path +
                              ", which an export would replace with the folder; name a folder "
                              "outside the store's");
}

// Every saved response analysis could not read, one line each on stderr: an import takes
// the whole folder or nothing, so that the store never holds what a later analysis rejects.
util::Result<void> refuse_unreadable(const std::string& input,
                                     const std::vector<contract::ApiExchange>& exchanges,
                                     const Console& console) {
  std::size_t refused = 0;
  for (const contract::ApiExchange& exchange : exchanges) {
    if (exchange.status != 200) {
      continue;
    }
    util::Result<void> usable;
    if (exchange.request.source == "intelligems") {
      usable = parse::check_intelligems_response(exchange.request, exchange.body, exchange.origin);
    }
    if (exchange.request.source == "platform") {
      usable = parse::check_platform_response(exchange.request, exchange.body, exchange.origin);
    }
    if (!usable) {
      console.err << "reckon: " << usable.error().describe() << '\n';
      ++refused;
    }
  }
  if (refused == 0) {
    return {};
  }
  return util::make_error(util::ErrorCode::bad_input, input,
                          std::to_string(refused) + (refused == 1 ? " response" : " responses") +
                              " cannot be read (above): nothing was imported; fix or remove " +
                              (refused == 1 ? "it" : "them") + " and import again");
}

} // namespace

util::Result<store::SaveCounts>
import_responses(const std::string& input, const std::string& store_path, const Console& console) {
  const bool folder = std::filesystem::is_directory(input);
  auto exchanges = folder ? parse::read_saved_responses(input) : read_counts_csv(input);
  if (!exchanges) {
    return exchanges.error();
  }
  if (auto sound = refuse_unreadable(input, *exchanges, console); !sound) {
    return sound.error();
  }
  auto store = store::Store::open(store_path);
  if (!store) {
    return store.error();
  }
  return store->save(*exchanges);
}

util::Result<void> run_import(const std::string& input, const std::string& store_path,
                              const Console& console) {
  auto saved = import_responses(input, store_path, console);
  if (!saved) {
    return saved.error();
  }
  console.info("imported " + input + " into " + store_path + ": " + std::to_string(saved->fresh) +
               " new, " + std::to_string(saved->replaced) + " replaced, " +
               std::to_string(saved->unchanged) + " unchanged");
  return {};
}

util::Result<void> run_export(const std::string& store_path, const std::string& out_dir,
                              const Console& console) {
  if (util::Result<void> apart = refuse_store_in_export(store_path, out_dir); !apart) {
    return apart;
  }
  auto store = store::Store::open_read_only(store_path);
  if (!store) {
    return store.error();
  }
  auto written = store::export_responses(*store, out_dir);
  if (!written) {
    return written.error();
  }
  console.info("exported " + std::to_string(*written) + " responses from " + store_path + " to " +
               out_dir);
  return {};
}

util::Result<void> run_store_runs(const std::string& store_path, const Console& console) {
  auto store = store::Store::open_read_only(store_path);
  if (!store) {
    return store.error();
  }
  auto runs = store->runs();
  if (!runs) {
    return runs.error();
  }
  auto size = store->size_bytes();
  if (!size) {
    return size.error();
  }
  return write_stdout(console, render_runs(*runs, store_path, *size));
}

util::Result<void> run_store_prune(const std::string& store_path, std::int64_t keep,
                                   const Console& console) {
  auto store = store::Store::open_existing(store_path);
  if (!store) {
    return store.error();
  }
  auto pruned = store->prune(keep);
  if (!pruned) {
    return pruned.error();
  }
  console.info("pruned " + std::to_string(pruned->runs) + " check runs from " + store_path + " (" +
               std::to_string(pruned->figures) + " figures, " + std::to_string(pruned->cells) +
               " cells no run uses); the store went from " + megabytes(pruned->bytes_before) +
               " to " + megabytes(pruned->bytes_after));
  return {};
}

} // namespace reckon::app
