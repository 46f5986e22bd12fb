// A sitewide analytics body. No parser reads these yet (the sitewide views describe the store,
// not an experiment, and are skipped by their request), so today this target checks that the
// skip holds whatever the body; it starts finding more the day a parser reads them.
#include "intelligems_exchange.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace reckon;
  fuzz::parse_intelligems_body(
      fuzz::intelligems_request("POST", contract::intelligems::sitewide_path("snapshot"),
                                R"({"view":"overview"})"),
      fuzz::as_text(data, size), true);
  return 0;
}
