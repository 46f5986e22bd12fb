#include "support/intelligems_server.hpp"

#include "reckon/contract/intelligems.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "support/intelligems_listing.hpp"
#include "support/intelligems_requests.hpp"
#include "support/json_fields.hpp"
#include "support/loopback_http_server.hpp"
#include "support/recorded_account.hpp"

namespace reckon::test {
namespace {

constexpr std::string_view k_prefix = contract::intelligems::k_prefix;
const std::string k_list_path = contract::intelligems::experiences_list_path();
const std::string k_detail_prefix = contract::intelligems::experience_path("");
// With a charset, httplib does not gzip the body for clients that accept gzip, so what goes on
// the wire is the recorded file itself (Express, behind many APIs, sends the same type).
constexpr const char* k_json = "application/json; charset=utf-8";
constexpr const char* k_not_found = R"({"error":"Not Found"})";
constexpr auto k_sitewide_views = contract::intelligems::k_sitewide_endpoints;

enum class Endpoint { list, detail, resource, timeseries, export_data, sitewide_legacy, sitewide };

struct Route {
  Endpoint endpoint;
  RateGroup group;
  std::string experience_id;
};

std::vector<std::string_view> segments_of(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    path.remove_prefix(1); // the '/' before each segment
    const auto end = std::min(path.find('/'), path.size());
    segments.push_back(path.substr(0, end));
    path.remove_prefix(end);
  }
  return segments;
}

std::optional<Route> route_of(std::string_view method, std::string_view path) {
  if (!path.starts_with(k_prefix)) {
    return std::nullopt;
  }
  const auto s = segments_of(path.substr(k_prefix.size()));
  if (std::any_of(s.begin(), s.end(), [](std::string_view part) { return part.empty(); })) {
    return std::nullopt;
  }
  const bool get = method == "GET";
  const bool post = method == "POST";
  if (get && s.size() == 1 && s[0] == "experiences-list") {
    return Route{Endpoint::list, RateGroup::experiences, {}};
  }
  if (get && s.size() == 2 && s[0] == "experiences") {
    return Route{Endpoint::detail, RateGroup::experiences, std::string(s[1])};
  }
  if (s.empty() || s[0] != "analytics") {
    return std::nullopt;
  }
  if ((get || post) && s.size() == 3 && s[1] == "resource") {
    return Route{Endpoint::resource, RateGroup::experiences, std::string(s[2])};
  }
  if (post && s.size() == 4 && s[1] == "experience" && s[3] == "timeseries") {
    return Route{Endpoint::timeseries, RateGroup::experiences, std::string(s[2])};
  }
  if (post && s.size() == 4 && s[1] == "experience" && s[3] == "export") {
    return Route{Endpoint::export_data, RateGroup::export_data, std::string(s[2])};
  }
  if (post && s.size() == 2 && s[1] == "sitewide") {
    return Route{Endpoint::sitewide_legacy, RateGroup::sitewide, {}};
  }
  if (post && s.size() == 3 && s[1] == "sitewide" &&
      std::find(k_sitewide_views.begin(), k_sitewide_views.end(), s[2]) != k_sitewide_views.end()) {
    return Route{Endpoint::sitewide, RateGroup::sitewide, {}};
  }
  return std::nullopt;
}

// The first value of each query parameter.
QueryParams first_values(const httplib::Params& params) {
  QueryParams query;
  for (const auto& [name, value] : params) {
    query.try_emplace(name, value);
  }
  return query;
}

std::string raw_query(const httplib::Request& req) {
  const auto mark = req.target.find('?');
  return mark == std::string::npos ? std::string() : req.target.substr(mark + 1);
}

std::string redacted(std::string text, const std::string& secret) {
  if (secret.empty()) {
    return text;
  }
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "[redacted]");
  }
  return text;
}

std::int64_t ceil_ms(std::chrono::nanoseconds duration) {
  return std::max<std::int64_t>(std::chrono::ceil<std::chrono::milliseconds>(duration).count(), 0);
}

// Seconds, rounded up: whole seconds, or to the millisecond when `fractional`.
std::string seconds_text(std::chrono::nanoseconds wait, bool fractional) {
  const std::int64_t ms = std::max<std::int64_t>(ceil_ms(wait), 1);
  if (!fractional) {
    return std::to_string((ms + 999) / 1000);
  }
  std::string text = std::to_string(ms / 1000);
  if (ms % 1000 != 0) {
    std::string digits = std::to_string(1000 + ms % 1000).substr(1);
    digits.erase(digits.find_last_not_of('0') + 1);
    text += "." + digits;
  }
  return text;
}

void send_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, k_json);
}

// How a response whose body is cut at its half ends.
enum class CutBody {
  close, // close the connection in order
  stall, // keep the connection open and silent for a while first
  reset, // reset the connection
};

// Declares the whole body but sends only its first half, then ends as `cut` says; `stall`
// waits out the silence of CutBody::stall.
void cut_body(httplib::Response& res, CutBody cut, std::function<void()> stall) {
  if (res.body.empty()) {
    LoopbackHttpServer::drop_current_connection(ConnectionDrop::empty_reply);
    return;
  }
  auto body = std::make_shared<std::string>(std::move(res.body));
  res.body.clear();
  std::string type = res.get_header_value("Content-Type");
  res.headers.erase("Content-Type");
  res.set_content_provider(body->size(), type.empty() ? k_json : type,
                           [body, cut, stall = std::move(stall)](std::size_t offset, std::size_t,
                                                                 httplib::DataSink& sink) {
                             const std::size_t half = body->size() / 2;
                             if (offset < half) {
                               sink.write(body->data() + offset, half - offset);
                             }
                             if (cut == CutBody::stall) {
                               stall();
                             } else if (cut == CutBody::reset) {
                               LoopbackHttpServer::drop_current_connection(ConnectionDrop::reset);
                             }
                             return false;
                           });
}

LoopbackHttpOptions http_options(const IntelligemsServerOptions& options) {
  LoopbackHttpOptions http;
  http.keep_alive_timeout = options.keep_alive_timeout;
  http.worker_threads = options.worker_threads;
  return http;
}

} // namespace

struct IntelligemsServer::Impl {
  Impl(const std::filesystem::path& account_dir, IntelligemsServerOptions server_options)
      : options(std::move(server_options)),
        account(RecordedAccount::load(account_dir, "intelligems")),
        listing(listed_experiences(account)), limiter(options.rate_limits, options.time_scale),
        http(http_options(options)) {
    for (const RecordedResponse& response : account.responses()) {
      if (response.method == "GET" && response.path.starts_with(k_detail_prefix)) {
        experience_ids.insert(response.path.substr(k_detail_prefix.size()));
      }
    }
    const httplib::Server::Handler handler = [this](const httplib::Request& req,
                                                    httplib::Response& res) { handle(req, res); };
    http.Get(".*", handler)
        .Post(".*", handler)
        .Put(".*", handler)
        .Patch(".*", handler)
        .Delete(".*", handler)
        .Options(".*", handler);
  }

  void stop() {
    {
      const std::lock_guard lock(sleep_mutex);
      stopping = true;
    }
    sleep_done.notify_all();
    http.stop_serving();
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    const auto received = std::chrono::steady_clock::now();
    const std::uint64_t number = ++arrivals;
    const std::optional<Fault> fault = faults.take(number, req.path);
    const auto is = [&fault](FaultKind kind) { return fault && fault->kind == kind; };
    int status = 0;
    if (is(FaultKind::connection_reset) || is(FaultKind::empty_reply)) {
      LoopbackHttpServer::drop_current_connection(
          is(FaultKind::connection_reset) ? ConnectionDrop::reset : ConnectionDrop::empty_reply);
    } else if (is(FaultKind::status_500)) {
      send_json(res, 500, R"({"error":"Internal Server Error"})");
      status = 500;
    } else if (is(FaultKind::status_503)) {
      send_json(res, 503, R"({"error":"Service Unavailable"})");
      status = 503;
    } else if (is(FaultKind::non_json_body)) {
      res.status = 200;
      res.set_content("<html><body>502 Bad Gateway</body></html>", "text/html");
      status = 200;
    } else if (is(FaultKind::wrong_shape_body)) {
      send_json(res, 200, R"({"error":"try again"})");
      status = 200;
    } else if (is(FaultKind::status_429)) {
      send_json(res, 429, R"({"retryAfter":)" + seconds_text(fault->delay, true) + "}");
      status = 429;
    } else if (is(FaultKind::rejected_start)) {
      send_json(res, 400,
                validation_error_body(
                    {{"startTs", "startTs must be a 10-digit Unix timestamp in seconds"}}));
      status = 400;
    } else {
      if (is(FaultKind::slow_response)) {
        sleep_unless_stopping(fault->delay);
      }
      answer(req, res);
      status = res.status;
      if (is(FaultKind::truncated_body)) {
        cut_body(res, CutBody::close, {});
      } else if (is(FaultKind::reset_mid_body)) {
        cut_body(res, CutBody::reset, {});
      } else if (is(FaultKind::stalled_body)) {
        cut_body(res, CutBody::stall,
                 [this, delay = fault->delay] { sleep_unless_stopping(delay); });
      }
      if (is(FaultKind::cut_json_body)) {
        res.body.resize(res.body.size() / 2);
      }
    }
    log.record({.number = number,
                .method = req.method,
                .path = redacted(req.path, options.api_key),
                .query = redacted(raw_query(req), options.api_key),
                .body = redacted(req.body, options.api_key),
                .status = status,
                .received = received});
  }

  void sleep_unless_stopping(std::chrono::milliseconds delay) {
    std::unique_lock lock(sleep_mutex);
    sleep_done.wait_for(lock, delay, [this] { return stopping; });
  }

  void answer(const httplib::Request& req, httplib::Response& res) {
    const std::string token = req.get_header_value("intelligems-access-token");
    if (token.empty() || token != options.api_key) {
      send_json(res, 401, R"({"error":"Unauthorized"})");
      return;
    }
    const std::optional<Route> route = route_of(req.method, req.path);
    if (!route) {
      send_json(res, 404, k_not_found);
      return;
    }
    const QueryParams query = first_values(req.params);
    JsonFields fields;
    if (route->endpoint != Endpoint::list && route->endpoint != Endpoint::detail) {
      if (req.method == "GET") {
        fields = resource_query_fields(query);
      } else if (auto parsed = parse_json_fields(req.body)) {
        fields = std::move(*parsed);
      } else if (route->endpoint == Endpoint::sitewide_legacy) {
        fields.clear(); // answered with the legacy bare 500 below
      } else {
        send_json(res, 400, request_error_body("the request body must be a JSON object"));
        return;
      }
    }
    std::vector<FieldError> errors;
    switch (route->endpoint) {
    case Endpoint::list:
      errors = validate_list_query(query);
      break;
    case Endpoint::resource:
      errors = req.method == "GET" ? validate_resource_request(fields, "start", "end")
                                   : validate_resource_request(fields, "startTs", "endTs");
      break;
    case Endpoint::timeseries:
      errors = validate_timeseries_request(fields);
      break;
    default:
      break;
    }
    if (!errors.empty()) {
      send_json(res, 400, validation_error_body(errors));
      return;
    }
    std::optional<RateDecision> decision;
    if (options.rate_limits.enabled) {
      decision = limiter.take(route->group, std::chrono::steady_clock::now());
      if (!decision->allowed) {
        refuse(res, *decision);
        return;
      }
    }
    serve(req, res, *route, query, std::move(fields));
    if (decision && res.status == 200) {
      add_rate_headers(res, *decision);
    }
  }

  // Finds the recorded answer, or makes the list page.
  void serve(const httplib::Request& req, httplib::Response& res, const Route& route,
             const QueryParams& query, JsonFields fields) const {
    const RecordedResponse* found = nullptr;
    switch (route.endpoint) {
    case Endpoint::list:
      serve_list(res, query);
      return;
    case Endpoint::detail:
      found = first_recorded("GET", req.path, [](const RecordedResponse&) { return true; });
      break;
    case Endpoint::sitewide_legacy:
      if (fields.size() != 2 || !fields.contains("start") || !fields.contains("end")) {
        res.status = 500;
        return;
      }
      found = recorded_with_body(req.path, std::move(fields), false);
      break;
    case Endpoint::resource:
      if (!experience_ids.contains(route.experience_id)) {
        break;
      }
      if (req.method == "GET") {
        found = recorded_with_body(req.path, resource_query_as_body(std::move(fields)), true);
      } else {
        found = recorded_with_body(req.path, std::move(fields), false);
      }
      break;
    case Endpoint::timeseries:
    case Endpoint::export_data:
      if (experience_ids.contains(route.experience_id)) {
        found = recorded_with_body(req.path, std::move(fields), false);
      }
      break;
    case Endpoint::sitewide:
      found = recorded_with_body(req.path, std::move(fields), false);
      break;
    }
    if (found == nullptr) {
      send_json(res, 404, k_not_found);
      return;
    }
    send_json(res, found->status, found->bytes);
  }

  void serve_list(httplib::Response& res, const QueryParams& query) const {
    const RecordedResponse* page =
        first_recorded("GET", k_list_path,
                       [&](const RecordedResponse& recorded) { return recorded.query == query; });
    if (page != nullptr) {
      send_json(res, page->status, page->bytes);
      return;
    }
    const auto number = [&](const char* name, std::int64_t fallback) {
      const auto it = query.find(name);
      return it == query.end() ? fallback : std::stoll(it->second);
    };
    const auto text = [&](const char* name) -> std::optional<std::string> {
      const auto it = query.find(name);
      return it == query.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    send_json(res, 200,
              experiences_page(listing, text("status"), text("category"), number("page", 1),
                               number("limit", 20)));
  }

  template <class Predicate>
  const RecordedResponse* first_recorded(std::string_view method, std::string_view path,
                                         Predicate matches) const {
    for (const RecordedResponse* recorded : account.find(method, path)) {
      if (matches(*recorded)) {
        return recorded;
      }
    }
    return nullptr;
  }

  // The recorded POST to `path` whose body has exactly `fields`, an absent view counting as
  // overview. For the deprecated GET (`get_form`), which has neither testResult nor topN and
  // returns the same bodies, both are left out of the comparison.
  const RecordedResponse* recorded_with_body(std::string_view path, JsonFields fields,
                                             bool get_form) const {
    const auto normalised = [get_form](JsonFields body) {
      if (get_form) {
        body.erase("testResult");
        body.erase("topN");
      }
      body.try_emplace("view", json_quote("overview"));
      return body;
    };
    const JsonFields wanted = normalised(std::move(fields));
    return first_recorded("POST", path, [&](const RecordedResponse& recorded) {
      return normalised(recorded.body.value_or(JsonFields{})) == wanted;
    });
  }

  void refuse(httplib::Response& res, const RateDecision& decision) const {
    const std::string wait = seconds_text(decision.retry_after, options.time_scale < 1.0);
    send_json(res, 429, options.retry_after_in_429_body ? R"({"retryAfter":)" + wait + "}" : "{}");
    if (options.rate_headers_on_429) {
      add_rate_headers(res, decision);
    }
  }

  void add_rate_headers(httplib::Response& res, const RateDecision& decision) const {
    std::int64_t reset = ceil_ms(decision.until_full);
    if (options.reset_header == ResetHeader::epoch_ms) {
      const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch());
      reset += now.count();
    }
    res.set_header("x-ratelimit-limit", std::to_string(decision.limit));
    res.set_header("x-ratelimit-remaining", std::to_string(decision.remaining));
    res.set_header("x-ratelimit-reset", std::to_string(reset));
  }

  IntelligemsServerOptions options;
  RecordedAccount account;
  std::vector<ListedExperience> listing;
  std::set<std::string, std::less<>> experience_ids;
  RateLimiter limiter;
  FaultPlan faults;
  RequestLog log;
  std::atomic<std::uint64_t> arrivals{0};
  std::mutex sleep_mutex;
  std::condition_variable sleep_done;
  bool stopping = false;
  // Last, so that it stops (in Impl's destruction at the latest) before what its threads use.
  LoopbackHttpServer http;
};

IntelligemsServer::IntelligemsServer(const std::filesystem::path& account_dir,
                                     IntelligemsServerOptions options)
    : m_impl(std::make_unique<Impl>(account_dir, std::move(options))) {}

IntelligemsServer::~IntelligemsServer() {
  m_impl->stop();
}

void IntelligemsServer::start() {
  m_impl->http.start_serving();
}

void IntelligemsServer::stop() {
  m_impl->stop();
}

int IntelligemsServer::port() const {
  return m_impl->http.port();
}

std::string IntelligemsServer::base_url() const {
  return m_impl->http.base_url();
}

void IntelligemsServer::inject(Fault fault) {
  m_impl->faults.arm(std::move(fault));
}

void IntelligemsServer::clear_faults() {
  m_impl->faults.clear();
}

int IntelligemsServer::pending_faults() const {
  return m_impl->faults.pending();
}

const RequestLog& IntelligemsServer::log() const {
  return m_impl->log;
}

const IntelligemsServerOptions& IntelligemsServer::options() const {
  return m_impl->options;
}

} // namespace reckon::test
