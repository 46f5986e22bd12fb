#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace reckon::model {

// The whole store's traffic, one row per store-local day, as the vendor's sitewide analytics
// give it (Intelligems `POST analytics/sitewide/timeseries`, day granularity): the context a
// test ran in. Visitors are distinct within a day only, so days do not sum to distinct
// visitors of a window; they sum to visitor-days, as a test's day counts do.
struct SitewideDay {
  std::string date; // YYYY-MM-DD
  std::uint64_t visitors = 0;
  std::uint64_t orders = 0;
  double revenue = 0.0; // net revenue, in `currency`
};

struct SitewideSeries {
  std::string currency;          // "USD"; empty when the response does not say
  std::vector<SitewideDay> days; // ascending dates
  std::string origin;            // the stored response, for messages
};

} // namespace reckon::model
