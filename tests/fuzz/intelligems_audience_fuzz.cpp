// An audience view of `analytics/resource/{id}`: one slice per segment of a dimension.
#include "intelligems_exchange.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace reckon;
  fuzz::parse_intelligems_body(
      fuzz::intelligems_request(
          "POST", contract::intelligems::analytics_resource_path(fuzz::k_experience_id),
          R"({"view":"audience","audience":"device_type"})"),
      fuzz::as_text(data, size), true);
  return 0;
}
