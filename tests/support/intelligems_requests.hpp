#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "support/json_fields.hpp"

namespace reckon::test {

// What makes an Intelligems request valid, by the documented rules
// (shared/research/intelligems-api.md §1.0-1.6), and the API's 400 body for one that is not.

using QueryParams = std::map<std::string, std::string, std::less<>>;

struct FieldError {
  std::string field; // as the client sent it: startTs in a body, start in a query
  std::string message;
};

// GET /experiences-list: page and limit integers >= 1; status, category and module from their
// enums.
std::vector<FieldError> validate_list_query(const QueryParams& query);

// /analytics/resource/{id}: view overview|audience|post_test (absent means overview); audience
// required with view=audience and forbidden with overview; start and end (named `start_name`,
// `end_name`) 10-digit second strings; topN an integer 1-1000, only with view=audience.
std::vector<FieldError> validate_resource_request(const JsonFields& fields,
                                                  std::string_view start_name,
                                                  std::string_view end_name);

// /analytics/experience/{id}/timeseries: startTs/endTs as above, granularity, mode and a
// non-empty list of known metrics.
std::vector<FieldError> validate_timeseries_request(const JsonFields& fields);

// The query of the deprecated GET /analytics/resource/{id} as fields under its own names
// (values as JSON strings, topN as a number when it is one).
JsonFields resource_query_fields(const QueryParams& query);
// Those fields renamed to the POST body's names (start -> startTs, end -> endTs), with view
// made explicit; what a recorded POST body is compared with.
JsonFields resource_query_as_body(JsonFields fields);

// {"errors":[],"properties":{"<field>":{"errors":["<message>",...]},...}}
std::string validation_error_body(const std::vector<FieldError>& errors);
// {"errors":["<message>"],"properties":{}}: a problem with the request as a whole.
std::string request_error_body(std::string_view message);

} // namespace reckon::test
