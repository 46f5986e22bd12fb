// The overview of `analytics/resource/{id}`: the whole test, one slice.
#include "intelligems_exchange.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace reckon;
  fuzz::parse_intelligems_body(
      fuzz::intelligems_request(
          "POST", contract::intelligems::analytics_resource_path(fuzz::k_experience_id),
          R"({"view":"overview","testResult":true})"),
      fuzz::as_text(data, size), true);
  return 0;
}
