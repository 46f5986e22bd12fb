#pragma once

#include <string>
#include <string_view>

namespace reckon::parse {

// What an API error body says, in one line: a validation body
// {"errors":[...],"properties":{"startTs":{"errors":["..."]}}} becomes
// "startTs: <message>; ..."; {"error":"Unauthorized"} becomes "Unauthorized"; an envelope
// {"error":{"code":"invalid_request","message":"...","field":"email"}} becomes
// "invalid_request: ... (field email)". A body that is
// neither (empty, HTML, truncated) gives an empty string.
std::string describe_api_error(std::string_view body);

} // namespace reckon::parse
