#include "commands.hpp"

#include "reckon/parse/counts_csv.hpp"
#include "reckon/parse/saved_responses.hpp"
#include "reckon/store/export.hpp"
#include "reckon/store/store.hpp"
#include "reckon/util/file.hpp"

#include <chrono>
#include <filesystem>

namespace reckon::app {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A counts CSV is kept whole, as the one response of source "counts_csv", after checking that
// it parses: a store never holds input that analysis would reject.
util::Result<std::vector<contract::ApiExchange>> read_counts_csv(const std::string& file) {
  auto text = util::read_file(file);
  if (!text) {
    return text.error();
  }
  if (auto parsed = parse::parse_counts_csv(*text, file); !parsed) {
    return parsed.error();
  }
  const std::string name = std::filesystem::path(file).filename().string();
  std::vector<contract::ApiExchange> exchanges;
  exchanges.push_back(
      {{"counts_csv", "FILE", name, {}, {}}, 200, now_ms(), std::move(*text), file});
  return exchanges;
}

} // namespace

util::Result<void> run_import(const std::string& input, const std::string& store_path,
                              const Console& console) {
  const bool folder = std::filesystem::is_directory(input);
  auto exchanges = folder ? parse::read_saved_responses(input) : read_counts_csv(input);
  if (!exchanges) {
    return exchanges.error();
  }
  auto store = store::Store::open(store_path);
  if (!store) {
    return store.error();
  }
  if (auto saved = store->save(*exchanges); !saved) {
    return saved.error();
  }
  console.info("imported " + std::to_string(exchanges->size()) +
               (folder ? " saved responses from " : " counts CSV ") + input + " into " +
               store_path);
  return {};
}

util::Result<void> run_export(const std::string& store_path, const std::string& out_dir,
                              const Console& console) {
  auto store = store::Store::open_existing(store_path);
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

} // namespace reckon::app
