#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace reckon::contract {

// The local day a one-day analytics window covers, as the client that cut it knew it: days
// cut far from UTC cannot be dated from their instants alone (a window's midpoint may fall on
// the day before in UTC), so the date travels with the request.
struct DayWindow {
  std::string local_date; // YYYY-MM-DD
  std::string time_zone;  // as given to `fetch --tz`: "UTC", "+02:00", "Europe/Berlin"

  bool operator==(const DayWindow&) const = default;
};

// What was asked of an API: enough to repeat the request and to recognise it again.
struct ApiRequest {
  std::string source; // "intelligems", "platform", "bandit"
  std::string method; // "GET", "POST"
  std::string path;   // "<API prefix>/analytics/resource/<id>", without host or query
  std::vector<std::pair<std::string, std::string>> query; // in the order sent
  std::string body;                                       // the JSON request body; empty for GET
  // What the request means, not what was sent: not part of its identity, so the store
  // recognises a request by the fields above alone and keeps the newest day given for it.
  // Absent for every request that is not a day window, and for windows stored before Reckon
  // kept their day.
  std::optional<DayWindow> day = std::nullopt;

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
  // Where the exchange can be found again, for messages: "reckon.db: GET /experiences/ID" or a
  // file.
  std::string origin;
};

} // namespace reckon::contract
