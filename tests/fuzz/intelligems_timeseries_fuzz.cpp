// The daily, non-cumulative timeseries of `analytics/experience/{id}/timeseries`.
#include "intelligems_exchange.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace reckon;
  fuzz::parse_intelligems_body(
      fuzz::intelligems_request("POST",
                                contract::intelligems::timeseries_path(fuzz::k_experience_id),
                                R"({"granularity":"day","mode":"noncumulative"})"),
      fuzz::as_text(data, size), true);
  return 0;
}
