#include "support/bandit_server.hpp"

#include "support/loopback_http_server.hpp"
#include "support/recorded_account.hpp"

#include "reckon/contract/bandit.hpp"

#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace reckon::test {
namespace {

namespace api = contract::bandit;

constexpr const char* k_json = "application/json; charset=utf-8";
constexpr const char* k_stamp = "2026-09-29T06:00:00.000Z";

std::string failure(std::string_view message) {
  return R"({"success":false,"data":null,"error":")" + std::string(message) + R"(","timestamp":")" +
         k_stamp + R"("})";
}

// A whole number from 0, or nullopt.
std::optional<std::size_t> whole(const std::string& text) {
  if (text.empty() || text.size() > 9 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(std::stoul(text));
}

} // namespace

struct BanditServer::Impl {
  BanditServerOptions options;
  std::map<std::string, std::string> recorded;            // path -> bytes (experiments, details)
  std::map<std::string, std::vector<std::string>> events; // experiment id -> minified events
  LoopbackHttpServer http;
  RequestLog log;
  mutable std::mutex mutex;
  std::condition_variable released;
  bool stopping = false;
  std::vector<std::string> violations;
  std::map<std::string, std::string> sent;
  std::atomic<std::uint64_t> arrivals{0};
  std::atomic<std::size_t> event_pages{0};
  std::atomic<std::size_t> held{0};

  Impl(const std::filesystem::path& dir, BanditServerOptions server_options)
      : options(std::move(server_options)) {
    const RecordedAccount account = RecordedAccount::load(dir, api::k_source);
    std::map<std::string, std::map<std::size_t, std::string>> pages; // id -> offset -> bytes
    for (const RecordedResponse& response : account.responses()) {
      if (response.path.starts_with(api::events_path(""))) {
        const auto offset = response.query.find("offset");
        pages[response.path.substr(api::events_path("").size())]
             [offset == response.query.end() ? 0 : std::stoul(offset->second)] = response.bytes;
      } else {
        recorded[response.path] = response.bytes;
      }
    }
    simdjson::dom::parser parser;
    for (const auto& [id, by_offset] : pages) {
      std::vector<std::string>& log_of = events[id];
      for (const auto& [offset, bytes] : by_offset) {
        simdjson::dom::array data;
        if (parser.parse(bytes)["data"].get_array().get(data) != simdjson::SUCCESS) {
          throw std::runtime_error("bandit server: unreadable events page of " + id);
        }
        for (const simdjson::dom::element event : data) {
          log_of.push_back(simdjson::minify(event));
        }
      }
    }
    const httplib::Server::Handler handler = [this](const httplib::Request& req,
                                                    httplib::Response& res) { handle(req, res); };
    http.Get(".*", handler).Post(".*", handler).Put(".*", handler).Delete(".*", handler);
  }

  bool authorised(const httplib::Request& req) const {
    return req.get_header_value("Authorization") == "Bearer " + options.api_key ||
           req.get_header_value("x-api-key") == options.api_key;
  }

  // Status and body of an events page, holding the request first when the server stalls.
  std::pair<int, std::string> events_page(const httplib::Request& req, const std::string& id) {
    const auto found = events.find(id);
    if (found == events.end()) {
      return {404, failure("Experiment not found")};
    }
    const auto limit = req.has_param("limit") ? whole(req.get_param_value("limit")) : 100;
    const auto offset = req.has_param("offset") ? whole(req.get_param_value("offset")) : 0;
    if (!limit || *limit == 0 || !offset) {
      return {400, failure("limit must be a whole number from 1 and offset one from 0")};
    }
    if (options.stall_after_event_pages && event_pages >= *options.stall_after_event_pages) {
      ++held;
      std::unique_lock lock(mutex);
      released.wait(lock, [this] { return stopping; });
      return {503, failure("stopping")};
    }
    ++event_pages;
    const std::size_t total =
        std::min(found->second.size(), options.events_served.value_or(found->second.size()));
    const std::size_t first = std::min(total, *offset);
    const std::size_t last = std::min(total, first + std::min(*limit, options.max_page_events));
    std::string body = R"({"success":true,"data":[)";
    for (std::size_t i = first; i < last; ++i) {
      body += (i > first ? "," : "") + found->second[i];
    }
    return {200, body + R"(],"timestamp":")" + k_stamp + R"("})"};
  }

  std::pair<int, std::string> answer(const httplib::Request& req) {
    if (api::has_side_effects(req.method, req.path)) {
      const std::lock_guard lock(mutex);
      violations.push_back(req.method + " " + req.target);
      return {201, failure("this test server refuses writes")};
    }
    if (req.path == api::experiments_path() || req.path.starts_with(api::experiment_path(""))) {
      const auto found = recorded.find(req.path);
      return found == recorded.end() ? std::pair{404, failure("Experiment not found")}
                                     : std::pair{200, found->second};
    }
    if (req.path.starts_with(api::events_path(""))) {
      return events_page(req, req.path.substr(api::events_path("").size()));
    }
    if (req.path == api::funnels_path()) {
      return {200, R"({"success":true,"data":[],"timestamp":")" + std::string(k_stamp) + R"("})"};
    }
    return {404, failure("Not found")};
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    const std::uint64_t number = ++arrivals;
    const auto received = std::chrono::steady_clock::now();
    std::pair<int, std::string> reply;
    if (!authorised(req)) {
      reply = {401, failure("Unauthorized")};
    } else if (std::find(options.rate_limited_requests.begin(), options.rate_limited_requests.end(),
                         number) != options.rate_limited_requests.end()) {
      reply = {429, R"({"success":false,"data":null,"error":"Too many requests","retryAfter":0.05,)"
                    R"("timestamp":")" +
                        std::string(k_stamp) + R"("})"};
      res.set_header("Retry-After", "1");
      res.set_header("X-RateLimit-Remaining", "0");
      res.set_header("X-RateLimit-Reset", "50");
    } else {
      reply = answer(req);
    }
    res.status = reply.first;
    res.set_content(reply.second, k_json);
    std::string query;
    for (const auto& [name, value] : req.params) {
      query += (query.empty() ? "" : "&") + name + "=" + value;
    }
    if (reply.first == 200) {
      const std::lock_guard lock(mutex);
      sent[req.path + (query.empty() ? "" : "?" + query)] = reply.second;
    }
    log.record({number, req.method, req.path, query, req.body, reply.first, received});
  }
};

BanditServer::BanditServer(const std::filesystem::path& account_dir, BanditServerOptions options)
    : m_impl(std::make_unique<Impl>(account_dir, std::move(options))) {}

BanditServer::~BanditServer() {
  stop();
}

void BanditServer::start() {
  m_impl->http.start_serving();
}

void BanditServer::stop() {
  {
    const std::lock_guard lock(m_impl->mutex);
    m_impl->stopping = true;
  }
  m_impl->released.notify_all();
  m_impl->http.stop_serving();
}

std::string BanditServer::base_url() const {
  return m_impl->http.base_url();
}

const RequestLog& BanditServer::log() const {
  return m_impl->log;
}

std::vector<std::string> BanditServer::violations() const {
  const std::lock_guard lock(m_impl->mutex);
  return m_impl->violations;
}

std::map<std::string, std::string> BanditServer::sent_bodies() const {
  const std::lock_guard lock(m_impl->mutex);
  return m_impl->sent;
}

std::size_t BanditServer::event_count(const std::string& id) const {
  const auto found = m_impl->events.find(id);
  return found == m_impl->events.end() ? 0 : found->second.size();
}

std::size_t BanditServer::event_pages_answered() const {
  return m_impl->event_pages;
}

std::size_t BanditServer::stalled() const {
  return m_impl->held;
}

} // namespace reckon::test
