// A counts CSV (SPEC §3), read both ways the application reads one: parsed into the model and
// split per experiment for the store. Both walk the same rows, so they must agree on whether
// the file is sound.
#include "fuzz_input.hpp"

#include "reckon/parse/counts_csv.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = reckon::fuzz::as_text(data, size);
  const auto dataset = reckon::parse::parse_counts_csv(text, "fuzz.csv");
  const auto parts = reckon::parse::split_counts_csv(text, "fuzz.csv");
  if (dataset.has_value() != parts.has_value()) {
    std::abort();
  }
  return 0;
}
