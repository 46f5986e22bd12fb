// An experience's details, `GET experiences/{id}`.
#include "intelligems_exchange.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace reckon;
  fuzz::parse_intelligems_body(
      fuzz::intelligems_request("GET",
                                contract::intelligems::experience_path(fuzz::k_experience_id)),
      fuzz::as_text(data, size), false);
  return 0;
}
