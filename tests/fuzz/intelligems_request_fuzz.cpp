// What a saved request says (a manifest's `body`, `local_date`): the window an analytics
// answer covers. The input's first line is the carried local date (empty: none), the rest the
// POST body; the answer is a fixed overview row per variation.
#include "intelligems_exchange.hpp"

#include <algorithm>

namespace {

constexpr std::string_view k_answer =
    R"({"metrics":[{"variation_id":"075b45f4-7d25-4431-a8b2-2b008c7e3c4a","n_visitors":)"
    R"({"value":100},"n_orders":{"value":3},"net_revenue":{"value":240.5}},)"
    R"({"variation_id":"716f417b-fe1c-4687-8db8-1b85063801f2","n_visitors":{"value":90},)"
    R"("n_orders":{"value":4},"net_revenue":{"value":310.25}}]})";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace reckon;
  const std::string_view input = fuzz::as_text(data, size);
  const std::size_t line_end = std::min(input.find('\n'), input.size());
  contract::ApiRequest request = fuzz::intelligems_request(
      "POST", contract::intelligems::analytics_resource_path(fuzz::k_experience_id),
      std::string(input.substr(std::min(line_end + 1, input.size()))));
  if (line_end > 0) {
    request.day = contract::DayWindow{std::string(input.substr(0, line_end)), "UTC"};
  }
  fuzz::parse_intelligems_body(std::move(request), k_answer, true);
  return 0;
}
