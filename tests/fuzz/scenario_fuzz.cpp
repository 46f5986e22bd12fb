// A scenario file (`reckon simulate --scenario`).
#include "fuzz_input.hpp"

#include "reckon/parse/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)reckon::parse::parse_scenario(reckon::fuzz::as_text(data, size), "fuzz.json");
  return 0;
}
