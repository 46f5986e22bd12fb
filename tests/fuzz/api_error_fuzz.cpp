// An API error body (parse/api_error): whatever a failing server sends back.
#include "fuzz_input.hpp"

#include "reckon/parse/api_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)reckon::parse::describe_api_error(reckon::fuzz::as_text(data, size));
  return 0;
}
