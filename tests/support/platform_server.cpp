#include "support/platform_server.hpp"

#include "reckon/contract/platform.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include "support/loopback_http_server.hpp"
#include "support/recorded_account.hpp"

namespace reckon::test {
namespace {

namespace platform = contract::platform;
constexpr const char* k_json = "application/json; charset=utf-8";

std::string error_body(std::string_view code, std::string_view message,
                       std::string_view details = "{}") {
  return std::string(R"({"error":{"code":")") + std::string(code) + R"(","message":")" +
         std::string(message) + R"(","details":)" + std::string(details) + "}}";
}

// The items of the compact JSON array that follows `"data":` in `body`, each as its raw text.
std::vector<std::string> data_items(const std::string& body) {
  std::vector<std::string> items;
  std::size_t at = body.find("\"data\":[");
  if (at == std::string::npos) {
    throw std::runtime_error("a recorded list page without a data array");
  }
  at += 8;
  int depth = 0;
  bool in_string = false;
  std::size_t start = at;
  for (std::size_t i = at; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || (c == ']' && depth > 0)) {
      --depth;
      if (depth == 0) {
        items.push_back(body.substr(start, i + 1 - start));
      }
    } else if (c == ']' && depth == 0) {
      break;
    } else if (c == ',' && depth == 0) {
      start = i + 1;
    }
  }
  return items;
}

std::string status_of(const std::string& item) {
  const std::size_t at = item.find("\"status\":\"");
  if (at == std::string::npos) {
    return "";
  }
  const std::size_t from = at + 10;
  return item.substr(from, item.find('"', from) - from);
}

std::optional<std::uint64_t> whole(const std::string& text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

} // namespace

struct PlatformServer::Impl {
  Impl(const std::filesystem::path& dir, PlatformServerOptions server_options)
      : options(std::move(server_options)), account(RecordedAccount::load(dir, "platform")) {
    for (const RecordedResponse& response : account.responses()) {
      if (response.path == platform::experiments_list_path()) {
        for (std::string& item : data_items(response.bytes)) {
          items.push_back(std::move(item));
        }
      }
    }
    http.Get(".*",
             [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    const httplib::Server::Handler write = [this](const httplib::Request& req,
                                                  httplib::Response& res) {
      ++write_count;
      handle(req, res);
    };
    http.Post(".*", write).Put(".*", write).Patch(".*", write).Delete(".*", write);
  }

  void send(httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_content(body, k_json);
  }

  // An error envelope; a careless server quotes the credential it was sent in its details.
  void refuse(const httplib::Request& req, httplib::Response& res, int status,
              std::string_view code, std::string_view message, std::string details = "{}") {
    if (options.echo_key) {
      details = R"({"received":")" + req.get_header_value("Authorization") + "\"}";
    }
    send(res, status, error_body(code, message, details));
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    answer(req, res);
    std::string query;
    for (const auto& [name, value] : req.params) {
      query += (query.empty() ? "" : "&") + name + "=" + value;
    }
    if (res.status == 200) {
      const std::lock_guard lock(mutex);
      sent[req.path + (query.empty() ? "" : "?" + query)] = res.body;
    }
    log.record({++arrivals, req.method, req.path, query, req.body, res.status,
                std::chrono::steady_clock::now()});
  }

  // The rate window: false (and a 429 sent) when this request is over it.
  bool within_limits(const httplib::Request& req, httplib::Response& res) {
    const std::uint64_t number = ++authorised;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto second = std::chrono::duration_cast<std::chrono::seconds>(now).count();
    std::size_t used = 0;
    {
      const std::lock_guard lock(mutex);
      if (second != window_second) {
        window_second = second;
        window_used = 0;
      }
      used = ++window_used;
    }
    const std::size_t limit = options.requests_per_window;
    const bool forced = options.rate_limited_arrivals.count(number) > 0;
    if (limit > 0 || forced) {
      res.set_header("X-RateLimit-Limit", std::to_string(limit));
      res.set_header("X-RateLimit-Remaining",
                     std::to_string(forced || used >= limit ? 0 : limit - used));
      res.set_header("X-RateLimit-Reset", std::to_string(second + options.reset_after_s));
    }
    if (forced || (limit > 0 && used > limit)) {
      refuse(req, res, 429, "RATE_LIMIT_EXCEEDED", "Rate limit exceeded");
      return false;
    }
    return true;
  }

  void answer(const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "Bearer " + options.api_key) {
      refuse(req, res, 401, "UNAUTHORIZED", "Authentication failed or invalid API key");
      return;
    }
    if (req.method != "GET") {
      refuse(req, res, 405, "METHOD_NOT_ALLOWED", "This server only reads");
      return;
    }
    if (options.forbidden_paths.count(req.path) > 0) {
      refuse(req, res, 403, "FORBIDDEN", "Not authorized to perform the requested action");
      return;
    }
    if (req.path == platform::experiments_list_path()) {
      list(req, res);
      return;
    }
    if (!within_limits(req, res)) {
      return;
    }
    const auto recorded = account.find("GET", req.path);
    if (recorded.empty()) {
      refuse(req, res, 404, "NOT_FOUND", "The requested resource was not found");
      return;
    }
    send(res, 200, recorded.front()->bytes);
  }

  void list(const httplib::Request& req, httplib::Response& res) {
    const auto number = [&](const char* name, std::uint64_t fallback) {
      return req.has_param(name) ? whole(req.get_param_value(name)) : std::optional(fallback);
    };
    const std::optional<std::uint64_t> page = number("page", 1);
    const std::optional<std::uint64_t> limit = number("limit", 20);
    const std::string status = req.get_param_value("status");
    const bool known_status =
        status.empty() || std::find(platform::k_statuses.begin(), platform::k_statuses.end(),
                                    status) != platform::k_statuses.end();
    const char* field = !page || *page < 1                                   ? "page"
                        : !limit || *limit < 1 || *limit > options.max_limit ? "limit"
                        : !known_status                                      ? "status"
                                                                             : nullptr;
    if (field != nullptr) {
      refuse(req, res, 422, "VALIDATION_ERROR", "Request validation failed",
             std::string(R"({"field":")") + field + "\"}");
      return;
    }
    if (!within_limits(req, res)) {
      return;
    }
    std::vector<const std::string*> chosen;
    for (const std::string& item : items) {
      if (status.empty() || status_of(item) == status) {
        chosen.push_back(&item);
      }
    }
    const std::uint64_t size = std::min<std::uint64_t>(*limit, options.max_page_size);
    const std::uint64_t total = chosen.size();
    const std::uint64_t pages = std::max<std::uint64_t>(1, (total + size - 1) / size);
    std::string body = R"({"data":[)";
    for (std::uint64_t i = (*page - 1) * size; i < std::min(total, *page * size); ++i) {
      body += (i == (*page - 1) * size ? "" : ",") + *chosen[i];
    }
    body +=
        R"(],"meta":{"total":)" + std::to_string(total) + R"(,"page":)" + std::to_string(*page) +
        R"(,"limit":)" + std::to_string(size) + R"(,"pages":)" + std::to_string(pages) +
        (options.echo_key ? R"(,"requested_by":")" + req.get_header_value("Authorization") + "\""
                          : "") +
        "}}";
    send(res, 200, body);
  }

  PlatformServerOptions options;
  RecordedAccount account;
  std::vector<std::string> items;
  LoopbackHttpServer http;
  RequestLog log;
  std::atomic<std::uint64_t> arrivals{0};
  std::atomic<std::uint64_t> authorised{0};
  std::atomic<std::size_t> write_count{0};
  std::mutex mutex;
  std::map<std::string, std::string> sent; // guarded by mutex
  long long window_second = 0;
  std::size_t window_used = 0;
};

PlatformServer::PlatformServer(const std::filesystem::path& account_dir,
                               PlatformServerOptions options)
    : m_impl(std::make_unique<Impl>(account_dir, std::move(options))) {}

PlatformServer::~PlatformServer() {
  m_impl->http.stop_serving();
}

void PlatformServer::start() {
  m_impl->http.start_serving();
}

std::string PlatformServer::base_url() const {
  return m_impl->http.base_url();
}

const RequestLog& PlatformServer::log() const {
  return m_impl->log;
}

std::size_t PlatformServer::writes() const {
  return m_impl->write_count.load();
}

std::size_t PlatformServer::experiments() const {
  return m_impl->items.size();
}

std::map<std::string, std::string> PlatformServer::sent_bodies() const {
  const std::lock_guard lock(m_impl->mutex);
  return m_impl->sent;
}

} // namespace reckon::test
