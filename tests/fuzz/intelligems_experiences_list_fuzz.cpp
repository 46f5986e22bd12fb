// A page of `GET experiences-list`.
#include "intelligems_exchange.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace reckon;
  contract::ApiRequest request =
      fuzz::intelligems_request("GET", contract::intelligems::experiences_list_path());
  request.query = {{"page", "1"}, {"limit", "5"}};
  fuzz::parse_intelligems_body(std::move(request), fuzz::as_text(data, size), false);
  return 0;
}
