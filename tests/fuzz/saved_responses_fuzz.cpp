// The manifest of a folder of saved responses (`reckon import DIR`). The reader takes a folder,
// so each input becomes manifest.json in a scratch folder of this process, removed at exit.
// The files it lists do not exist there unless the manifest names itself: reading them is
// util's, and the manifest's own checks all come first.
#include "fuzz_input.hpp"

#include "reckon/contract/saved_responses.hpp"
#include "reckon/parse/saved_responses.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

std::filesystem::path g_folder;

void remove_folder() {
  std::error_code ignored;
  std::filesystem::remove_all(g_folder, ignored);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string folder = (std::filesystem::temp_directory_path() / "reckon-fuzz.XXXXXX").string();
  if (mkdtemp(folder.data()) == nullptr) {
    std::abort();
  }
  g_folder = folder;
  std::atexit(remove_folder);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream manifest(g_folder / reckon::contract::k_manifest_file,
                           std::ios::binary | std::ios::trunc);
    manifest << reckon::fuzz::as_text(data, size);
    if (!manifest.flush()) {
      std::abort();
    }
  }
  (void)reckon::parse::read_saved_responses(g_folder);
  return 0;
}
