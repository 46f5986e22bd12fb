#pragma once

// The Intelligems targets: each feeds one fuzzed response body to parse::parse_intelligems
// under the request that shape answers. Analytics bodies arrive beside a fixed experience
// detail, so that their rows meet the variations they name and the parser goes past its
// first lookup; the seeds of those targets are the demo account's responses for that same
// experience (CMakeLists.txt).

#include "fuzz_input.hpp"

#include "reckon/contract/api_exchange.hpp"
#include "reckon/contract/intelligems.hpp"
#include "reckon/parse/intelligems.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace reckon::fuzz {

// The demo account's "Cart upsell drawer" (data/demo/intelligems/experiences/), cut down to
// what the parser reads.
inline constexpr std::string_view k_experience_id = "10238c92-794f-4eb0-9dc1-a075e7efe593";
inline constexpr std::string_view k_experience_detail =
    R"({"experience":{"id":"10238c92-794f-4eb0-9dc1-a075e7efe593","name":"Cart upsell drawer",)"
    R"("status":"started","startedAtTs":1788825600000,"endedAtTs":null,"variations":[)"
    R"({"id":"075b45f4-7d25-4431-a8b2-2b008c7e3c4a","name":"Control","percentage":50,)"
    R"("isControl":true,"order":0},{"id":"716f417b-fe1c-4687-8db8-1b85063801f2",)"
    R"("name":"Upsell drawer","percentage":50,"isControl":false,"order":1}],)"
    R"("experienceKeyMetrics":[{"order":0,"isPrimary":true,)"
    R"("standardEventId":"netRevenuePerVisitor"}]}})";

inline contract::ApiRequest intelligems_request(std::string method, std::string path,
                                                std::string body = {}) {
  contract::ApiRequest request;
  request.source = std::string(contract::intelligems::k_source);
  request.method = std::move(method);
  request.path = std::move(path);
  request.body = std::move(body);
  return request;
}

// Parses `body` as the answer to `request`, after the fixed detail when `with_detail`.
// Whatever the outcome, only a crash, a leak or undefined behaviour is a finding.
inline void parse_intelligems_body(contract::ApiRequest request, std::string_view body,
                                   bool with_detail) {
  std::vector<contract::ApiExchange> exchanges;
  if (with_detail) {
    exchanges.push_back(
        {intelligems_request("GET", contract::intelligems::experience_path(k_experience_id)), 200,
         1, std::string(k_experience_detail), "detail"});
  }
  exchanges.push_back({std::move(request), 200, 2, std::string(body), "fuzzed"});
  (void)parse::parse_intelligems(exchanges, {[](std::string_view, std::string_view) {}});
}

} // namespace reckon::fuzz
