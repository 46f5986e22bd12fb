// A results document kept in the store by `reckon check` and read back by `check --since`.
#include "fuzz_input.hpp"

#include "reckon/parse/results_document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)reckon::parse::read_reported_figures(reckon::fuzz::as_text(data, size), "fuzz run");
  return 0;
}
