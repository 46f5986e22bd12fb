#include "intelligems_request.hpp"

#include "iso_time.hpp"

#include "reckon/util/calendar.hpp"
#include "reckon/util/time_zone.hpp"

#include <array>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

namespace reckon::parse::detail {

namespace {

using Kind = IntelligemsRequest::Kind;
using simdjson::dom::element;

// The parameters of an analytics request, from a POST body or a deprecated GET query.
struct AnalyticsParams {
  std::optional<std::string> view;
  std::optional<std::string> audience;
  std::optional<std::int64_t> start_seconds;
  std::optional<std::int64_t> end_seconds;
  std::optional<std::string> granularity;
  std::optional<std::string> mode;
  bool filtered = false;
};

std::vector<std::string_view> path_steps(std::string_view path) {
  std::vector<std::string_view> steps;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    const std::string_view step = path.substr(0, slash);
    if (!step.empty()) {
      steps.push_back(step);
    }
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  }
  return steps;
}

std::optional<std::int64_t> whole_seconds(std::string_view text) {
  if (text.empty() || text.size() > 12) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

// A bound too large to scale to milliseconds is no plausible time either (nor may it wrap into
// one).
bool plausible_seconds(std::int64_t seconds) {
  constexpr std::int64_t k_max_seconds = std::numeric_limits<std::int64_t>::max() / 1000;
  return seconds >= -k_max_seconds && seconds <= k_max_seconds &&
         is_plausible_time_ms(seconds * 1000);
}

// Whether a filter member narrows the population: the "everyone" spellings and the members
// that only qualify another one do not.
bool narrows(std::string_view key, element value) {
  constexpr std::array<std::string_view, 3> k_qualifiers = {
      "countryCodesFilterType", "customEventsFilterType", "landingPageFiltersOperator"};
  for (const std::string_view qualifier : k_qualifiers) {
    if (key == qualifier) {
      return false;
    }
  }
  switch (value.type()) {
  case simdjson::dom::element_type::NULL_VALUE:
    return false;
  case simdjson::dom::element_type::BOOL:
    return value.get_bool().value_unsafe();
  case simdjson::dom::element_type::STRING: {
    const std::string_view text = value.get_string().value_unsafe();
    return !text.empty() && text != "any";
  }
  case simdjson::dom::element_type::ARRAY:
    return value.get_array().value_unsafe().size() > 0;
  case simdjson::dom::element_type::OBJECT:
    return value.get_object().value_unsafe().size() > 0;
  default:
    return true;
  }
}

// A window bound: a string of digits (as the API takes it) or a whole number, in seconds.
std::optional<std::int64_t> read_bound(JsonReader& r, element value, const JsonPath& path) {
  std::optional<std::int64_t> seconds;
  std::string_view text;
  std::int64_t number = 0;
  if (value.get_string().get(text) == simdjson::SUCCESS) {
    seconds = whole_seconds(text);
  } else if (value.get_int64().get(number) == simdjson::SUCCESS) {
    seconds = number;
  }
  if (!seconds || !plausible_seconds(*seconds)) {
    r.fail_type(path, "Unix seconds between 2000 and 2100", value);
    return std::nullopt;
  }
  return seconds;
}

util::Result<AnalyticsParams> params_from_body(const contract::ApiExchange& exchange,
                                               JsonDocuments& documents) {
  AnalyticsParams params;
  if (exchange.request.body.empty()) {
    return params;
  }
  const auto root = documents.read(exchange.request.body, exchange.origin + ": request body");
  if (!root) {
    return root.error();
  }
  JsonReader r(exchange.origin, ": request ", "body");
  const JsonPath top;
  const auto body = r.object(*root, top);
  if (!body) {
    return r.error();
  }
  const auto text = [&](std::string_view key, std::optional<std::string>& out) {
    if (const auto value = r.field(*body, key); value && !value->is_null()) {
      if (const auto read = r.string(*value, top.key(key))) {
        out = std::string(*read);
      }
    }
  };
  text("view", params.view);
  text("audience", params.audience);
  text("granularity", params.granularity);
  text("mode", params.mode);
  if (const auto start = r.field(*body, "startTs"); start && !start->is_null()) {
    params.start_seconds = read_bound(r, *start, top.key("startTs"));
  }
  if (const auto end = r.field(*body, "endTs"); end && !end->is_null()) {
    params.end_seconds = read_bound(r, *end, top.key("endTs"));
  }
  if (const auto filters = r.field(*body, "filters"); filters && !filters->is_null()) {
    if (const auto members = r.object(*filters, top.key("filters"))) {
      for (const auto [key, value] : *members) {
        params.filtered = params.filtered || narrows(key, value);
      }
    }
  }
  if (r.failed()) {
    return r.error();
  }
  return params;
}

util::Result<AnalyticsParams> params_from_query(const contract::ApiExchange& exchange) {
  AnalyticsParams params;
  for (const auto& [key, value] : exchange.request.query) {
    if (key == "view") {
      params.view = value;
    } else if (key == "audience") {
      params.audience = value;
    } else if (key == "start" || key == "end") {
      const auto seconds = whole_seconds(value);
      if (!seconds || !plausible_seconds(*seconds)) {
        return util::make_error(
            util::ErrorCode::bad_input, exchange.origin + ": request query " + key,
            "expected Unix seconds between 2000 and 2100, got \"" + value + "\"");
      }
      (key == "start" ? params.start_seconds : params.end_seconds) = seconds;
    }
  }
  return params;
}

// The date a window of one (local) day covers, or why it is not one day: the local date its
// request carries (`fetch` stores the date and zone it cut the window in), or else the UTC
// date of its midpoint, which names the day of any zone within 11 hours of UTC.
std::optional<std::string> window_day(std::int64_t start, std::int64_t end,
                                      const std::optional<contract::DayWindow>& known,
                                      std::string& why) {
  // 23 and 25 hours: days on which daylight saving time starts or ends.
  constexpr std::array<std::int64_t, 3> k_day_lengths = {82'800, 86'400, 90'000};
  const std::int64_t length = end - start;
  for (const std::int64_t day : k_day_lengths) {
    // Inclusive ends (…23:59:59) as the API documents them, exclusive ones as some clients send.
    if (length + 1 == day || length == day) {
      return known ? known->local_date
                   : util::TimeZone::utc().date_of(start + length / 2).to_string();
    }
  }
  why = "a window of " + std::to_string(length + 1) + " seconds is not one day";
  return std::nullopt;
}

// A request's day, when it carries one, must be a date: it becomes a slice's name.
util::Result<void> check_day(const contract::ApiExchange& exchange) {
  const std::optional<contract::DayWindow>& day = exchange.request.day;
  if (day && !util::Date::parse(day->local_date)) {
    return util::make_error(util::ErrorCode::bad_input, exchange.origin + ": request local_date",
                            "expected a date YYYY-MM-DD, got \"" + day->local_date + "\"");
  }
  return {};
}

IntelligemsRequest skipped(std::string reason) {
  IntelligemsRequest request;
  request.kind = Kind::skipped;
  request.reason = std::move(reason);
  return request;
}

util::Result<IntelligemsRequest> classify_resource(const contract::ApiExchange& exchange,
                                                   std::string_view id, JsonDocuments& documents) {
  const bool is_post = exchange.request.method == "POST";
  auto params = is_post ? params_from_body(exchange, documents) : params_from_query(exchange);
  if (!params) {
    return params.error();
  }
  if (params->filtered) {
    return skipped("a filtered view describes part of the population only");
  }
  const std::string view = params->view.value_or("overview");
  if (view == "post_test") {
    return skipped("the post-test view holds no test statistics");
  }
  if (view != "overview" && view != "audience") {
    return skipped("unknown analytics view \"" + view + "\"");
  }
  IntelligemsRequest request;
  request.kind = Kind::resource;
  request.experience_id = std::string(id);
  SliceGroup& group = request.group;
  const bool audience = view == "audience";
  if (audience) {
    if (!params->audience || params->audience->empty()) {
      return util::make_error(util::ErrorCode::bad_input,
                              exchange.origin + (is_post ? ": request body" : ": request query"),
                              "view audience without an audience dimension");
    }
    group.dimension = *params->audience;
  }
  if (params->start_seconds || params->end_seconds) {
    if (!params->start_seconds || !params->end_seconds) {
      return skipped("a window open at one end is neither the whole test nor one day");
    }
    if (auto checked = check_day(exchange); !checked) {
      return checked.error();
    }
    std::string why;
    const auto day =
        window_day(*params->start_seconds, *params->end_seconds, exchange.request.day, why);
    if (!day) {
      return skipped(why);
    }
    group.date = *day;
    group.kind = audience ? SliceGroup::Kind::audience_day : SliceGroup::Kind::day;
  } else {
    group.kind = audience ? SliceGroup::Kind::audience : SliceGroup::Kind::overall;
  }
  request.key = "resource\n" + request.experience_id + "\n" +
                std::to_string(static_cast<int>(group.kind)) + "\n" + group.dimension + "\n" +
                group.date;
  return request;
}

util::Result<IntelligemsRequest> classify_timeseries(const contract::ApiExchange& exchange,
                                                     std::string_view id,
                                                     JsonDocuments& documents) {
  auto params = params_from_body(exchange, documents);
  if (!params) {
    return params.error();
  }
  if (params->filtered) {
    return skipped("a filtered timeseries describes part of the population only");
  }
  // The API's defaults: daily buckets, cumulative values.
  const std::string granularity = params->granularity.value_or("day");
  const std::string mode = params->mode.value_or("cumulative");
  if (granularity != "day" || mode != "noncumulative") {
    return skipped("a " + mode + " timeseries by " + granularity + " gives no day slices");
  }
  IntelligemsRequest request;
  request.kind = Kind::timeseries;
  request.experience_id = std::string(id);
  request.key = "timeseries\n" + request.experience_id;
  return request;
}

IntelligemsRequest classify_list(const contract::ApiExchange& exchange) {
  IntelligemsRequest request;
  request.kind = Kind::experiences_list;
  request.key = "list";
  for (const auto& [key, value] : exchange.request.query) {
    const auto number = whole_seconds(value);
    if (key == "page" && number && *number > 0) {
      request.page = *number;
    } else if (key == "limit" && number && *number > 0) {
      request.limit = *number;
    }
    request.key += "\n" + key + "=" + value;
  }
  return request;
}

} // namespace

util::Result<IntelligemsRequest> classify_intelligems_request(const contract::ApiExchange& exchange,
                                                              JsonDocuments& documents) {
  const std::vector<std::string_view> steps = path_steps(exchange.request.path);
  const std::string& method = exchange.request.method;
  const std::size_t n = steps.size();
  const auto step = [&](std::size_t from_end) { return steps[n - from_end]; };

  if (n >= 1 && step(1) == "experiences-list" && method == "GET") {
    return classify_list(exchange);
  }
  if (n >= 2 && step(2) == "experiences" && method == "GET") {
    IntelligemsRequest request;
    request.kind = Kind::experience;
    request.experience_id = std::string(step(1));
    request.key = "experience\n" + request.experience_id;
    return request;
  }
  if (n >= 3 && step(3) == "analytics" && step(2) == "resource" &&
      (method == "POST" || method == "GET")) {
    return classify_resource(exchange, step(1), documents);
  }
  if (n >= 4 && step(4) == "analytics" && step(3) == "experience" && step(1) == "timeseries" &&
      method == "POST") {
    return classify_timeseries(exchange, step(2), documents);
  }
  for (const std::string_view s : steps) {
    if (s == "sitewide") {
      return skipped("sitewide analytics describe the store, not an experiment");
    }
  }
  return skipped("not an endpoint with experiment data (" + method + " " + exchange.request.path +
                 ")");
}

std::string describe_intelligems_request(const IntelligemsRequest& request,
                                         const contract::ApiRequest& asked) {
  switch (request.kind) {
  case Kind::experiences_list:
    return "experience list page " + std::to_string(request.page);
  case Kind::experience:
    return "details";
  case Kind::timeseries:
    return "daily timeseries";
  case Kind::skipped:
    return asked.method + " " + asked.path;
  case Kind::resource:
    break;
  }
  const SliceGroup& group = request.group;
  using Group = SliceGroup::Kind;
  std::string text = group.kind == Group::audience || group.kind == Group::audience_day
                         ? "audience view by " + group.dimension
                         : "overview";
  if (group.kind == Group::day || group.kind == Group::audience_day) {
    text += " of day " + group.date;
    if (asked.day) {
      text += " (" + asked.day->time_zone + ")";
    }
  }
  return text;
}

} // namespace reckon::parse::detail
