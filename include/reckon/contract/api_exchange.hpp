#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace reckon::contract {

// What was asked of an API: enough to repeat the request and to recognise it again.
struct ApiRequest {
  std::string source; // "intelligems", "platform", "bandit"
  std::string method; // "GET", "POST"
  std::string path;   // "<API prefix>/analytics/resource/<id>", without host or query
  std::vector<std::pair<std::string, std::string>> query; // in the order sent
  std::string body;                                       // the JSON request body; empty for GET

  bool operator==(const ApiRequest&) const = default;
};

// One recorded exchange: the request and what came back. Fetch writes these to the store,
// import reads them from a folder of saved responses, and parse turns their bodies into the
// model. Never carries credentials.
struct ApiExchange {
  ApiRequest request;
  int status = 200;
  std::int64_t fetched_at_ms = 0; // Unix milliseconds
  std::string body;
  // Where the exchange can be found again, for messages: "reckon.db response 42" or a file.
  std::string origin;
};

} // namespace reckon::contract
