#include "fixture.hpp"

#include "reckon/parse/scenario.hpp"

#include <gtest/gtest.h>

namespace reckon::simulate::test {

std::string small_scenario_json() {
  return R"({
  "schema": "reckon.scenario/v1",
  "seed": 42,
  "as_of": "2026-09-29T06:00:00Z",
  "store": {
    "name": "Fixture Store",
    "order_value": {"mean": 60, "cv": 0.8},
    "funnel": {"add_to_cart_rate": 0.09, "checkout_begin_rate": 0.06,
               "checkout_enter_contact_info_rate": 0.05, "checkout_address_submitted_rate": 0.045},
    "weekend_traffic": 1.2,
    "segments": {
      "device_type": {"Desktop": 0.4, "Mobile": 0.5, "Tablet": 0.1},
      "country_code": {"US": 0.4, "CA": 0.1, "GB": 0.1, "AU": 0.05, "DE": 0.05, "FR": 0.05,
                       "NL": 0.05, "IE": 0.05, "NZ": 0.05, "SE": 0.04, "NO": 0.03, "Other": 0.03}
    },
    "conversion_multipliers": {"device_type": {"Desktop": 1.2, "Mobile": 0.9}},
    "sitewide": {"start": "2026-09-22", "end": "2026-09-28", "daily_visitors": 3000,
                 "conversion_rate": 0.03}
  },
  "pagination": {"intelligems_experiences": 2, "platform_experiments": 1, "bandit_events": 40},
  "experiments": [
    {"id": "two-arm", "name": "Two arms", "status": "ended", "start": "2026-09-10",
     "end": "2026-09-19", "daily_visitors": 2000, "primary_metric": "conversion_rate",
     "variations": [
       {"id": "control", "name": "Control", "control": true, "allocation": 50,
        "conversion_rate": 0.03},
       {"id": "better", "name": "Better", "allocation": 50, "conversion_rate": 0.036,
        "conversion_multipliers": {"day_type": {"weekend": 1.2}}}
     ],
     "vendor_errors": [{"response": "day.2026-09-12", "variation": "better",
                        "metric": "net_revenue_per_visitor", "field": "ci_high", "offset": 0.5}]},
    {"id": "three-arm", "name": "Three arms", "type": "pricing", "status": "started",
     "start": "2026-09-20", "end": "2026-09-26", "daily_visitors": 1500,
     "variations": [
       {"id": "control", "name": "Control", "control": true, "allocation": 34,
        "conversion_rate": 0.03},
       {"id": "plus-5", "name": "Plus 5", "allocation": 33, "conversion_rate": 0.029,
        "order_value": {"mean": 63, "cv": 0.8}},
       {"id": "plus-10", "name": "Plus 10", "allocation": 33, "conversion_rate": 0.026,
        "order_value": {"mean": 66, "cv": 0.8}}
     ]},
    {"id": "tiny", "name": "Tiny", "status": "paused", "start": "2026-09-25", "end": "2026-09-27",
     "daily_visitors": 60,
     "variations": [
       {"id": "control", "control": true, "allocation": 50, "conversion_rate": 0.03},
       {"id": "variant", "allocation": 50, "conversion_rate": 0.03}
     ]},
    {"id": "later", "name": "Later", "status": "pending", "start": "2026-09-25",
     "end": "2026-09-27", "daily_visitors": 100,
     "variations": [
       {"id": "control", "control": true, "allocation": 50, "conversion_rate": 0.03},
       {"id": "variant", "allocation": 50, "conversion_rate": 0.03}
     ]},
    {"id": "platform-test", "name": "Platform test", "source": "platform", "status": "ended",
     "start": "2026-09-10", "end": "2026-09-16", "daily_visitors": 1000,
     "variations": [
       {"id": "control", "name": "control", "control": true, "allocation": 50,
        "conversion_rate": 0.03},
       {"id": "treatment", "name": "treatment", "allocation": 50, "conversion_rate": 0.035}
     ]},
    {"id": "bandit-test", "name": "Bandit test", "source": "bandit", "status": "started",
     "start": "2026-09-20", "end": "2026-09-24", "daily_visitors": 80,
     "variations": [
       {"id": "control", "name": "A", "control": true, "allocation": 34, "conversion_rate": 0.04},
       {"id": "b", "name": "B", "allocation": 33, "conversion_rate": 0.1},
       {"id": "c", "name": "C", "allocation": 33, "conversion_rate": 0.05}
     ]}
  ]
})";
}

model::Scenario small_scenario() {
  auto parsed = parse::parse_scenario(small_scenario_json(), "fixture.json");
  EXPECT_TRUE(parsed) << parsed.error().describe();
  return parsed ? std::move(parsed).value() : model::Scenario{};
}

} // namespace reckon::simulate::test
