#include "support/alert_receiver.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace reckon::test {
namespace {

// The receiver's own HMAC, straight from libcrypto, so that it checks Reckon's signature
// rather than trusting Reckon's code to check itself.
std::string expected_signature(const std::string& key, const std::string& body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest.data(), &length);
  std::string text = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    text += pair;
  }
  return text;
}

bool constant_time_equal(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string envelope(const std::string& code, const std::string& message) {
  return R"({"error":{"code":")" + code + R"(","message":")" + message +
         R"(","docs_url":"https://docs.example/errors/)" + code + "\"}}";
}

int refuse(httplib::Response& response, int status, const std::string& code,
           const std::string& message) {
  response.set_content(envelope(code, message), "application/json");
  return status;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

} // namespace

AlertReceiver::AlertReceiver(ReceiverSecrets secrets) : m_secrets(std::move(secrets)) {
  const std::pair<Route, const char*> routes[] = {
      {Route::slack, R"(/services/T000/B000/([^/]+))"},
      {Route::webhook, "/hooks/reckon"},
      {Route::agent_trigger, R"(/v2/agents/([^/]+)/trigger)"},
      {Route::agent_webhook, R"(/webhook/([^/]+))"},
      {Route::pause, R"(/v25-10-beta/experiences/([^/]+)/actions/pause)"}};
  for (const auto& [route, pattern] : routes) {
    m_server.Post(pattern, [this, route = route](const httplib::Request& request,
                                                 httplib::Response& response) {
      handle(route, request, response);
    });
  }
  m_server.start_serving();
}

AlertReceiver::~AlertReceiver() {
  m_server.stop_serving();
}

std::string AlertReceiver::slack_url() const {
  return base_url() + "/services/T000/B000/" + m_secrets.slack_token;
}
std::string AlertReceiver::webhook_url() const {
  return base_url() + "/hooks/reckon";
}
std::string AlertReceiver::agents_url() const {
  return base_url() + "/v2";
}

void AlertReceiver::fail_next(Route route, std::vector<int> statuses) {
  const std::lock_guard lock(m_mutex);
  m_failures[route] = std::move(statuses);
}

std::vector<ReceivedRequest> AlertReceiver::requests(Route route) const {
  const std::lock_guard lock(m_mutex);
  const auto found = m_received.find(route);
  return found == m_received.end() ? std::vector<ReceivedRequest>{} : found->second;
}

std::size_t AlertReceiver::request_count() const {
  const std::lock_guard lock(m_mutex);
  std::size_t count = 0;
  for (const auto& [route, received] : m_received) {
    count += received.size();
  }
  return count;
}

void AlertReceiver::handle(Route route, const httplib::Request& request,
                           httplib::Response& response) {
  const std::lock_guard lock(m_mutex);
  ReceivedRequest received{request.path, {}, request.body, 0};
  for (const auto& [name, value] : request.headers) {
    received.headers[lower(name)] = value;
  }
  std::vector<int>& failures = m_failures[route];
  if (!failures.empty()) {
    response.status = failures.front();
    failures.erase(failures.begin());
    if (response.status == 429) {
      response.set_header("Retry-After", "0");
      response.set_content(envelope("rate_limited", "Too many requests"), "application/json");
    } else {
      response.set_content(envelope("internal_error", "Server error - retry later"),
                           "application/json");
    }
  } else {
    response.status = check(route, request, response);
  }
  received.status = response.status;
  m_received[route].push_back(std::move(received));
}

int AlertReceiver::check(Route route, const httplib::Request& request,
                         httplib::Response& response) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(request.body).get(root) != simdjson::SUCCESS) {
    return refuse(response, 400, "invalid_request", "the body is not JSON");
  }
  switch (route) {
  case Route::slack: {
    if (request.matches[1] != m_secrets.slack_token) {
      return refuse(response, 404, "no_service", "no such webhook " + request.path);
    }
    const bool shaped = root["text"].is_string() && root["blocks"].is_array();
    return shaped ? (response.set_content("ok", "text/plain"), 200)
                  : refuse(response, 400, "invalid_blocks", "text and blocks are required");
  }
  case Route::webhook: {
    const std::string signature = request.get_header_value("X-Reckon-Signature");
    if (!constant_time_equal(signature,
                             expected_signature(m_secrets.webhook_secret, request.body))) {
      return refuse(response, 401, "bad_signature", "the signature does not match the body");
    }
    std::string_view id;
    std::string_view sent_at;
    if (root["id"].get(id) != simdjson::SUCCESS || id.size() != 32 ||
        root["sent_at"].get(sent_at) != simdjson::SUCCESS) {
      return refuse(response, 400, "invalid_request", "id and sent_at are required");
    }
    if (std::find(m_seen_ids.begin(), m_seen_ids.end(), id) != m_seen_ids.end()) {
      return refuse(response, 409, "replay", "alert " + std::string(id) + " was seen before");
    }
    m_seen_ids.emplace_back(id);
    return 204;
  }
  case Route::agent_trigger: {
    const std::string presented = request.get_header_value("Authorization");
    if (presented != "Bearer " + m_secrets.agent_api_key) {
      return refuse(response, 401, "unauthorized", "Invalid API key " + presented);
    }
    bool async = false;
    if (!root["input"].is_object() || root["options"]["async"].get(async) != simdjson::SUCCESS ||
        !async) {
      return refuse(response, 400, "invalid_request", "input and options.async are required");
    }
    response.set_content(R"({"execution_id":"exec_1","status":"queued"})", "application/json");
    return 202;
  }
  case Route::agent_webhook: {
    const std::string presented = request.get_header_value("X-API-Key");
    if (presented != m_secrets.agent_webhook_key) {
      return refuse(response, 401, "unauthorized", "Invalid webhook key " + presented);
    }
    return 200;
  }
  case Route::pause: {
    if (request.get_header_value("intelligems-access-token") != m_secrets.intelligems_key) {
      response.set_content(R"({"error":"Unauthorized"})", "application/json");
      return 401;
    }
    response.set_content(R"({"experience":{"id":")" + std::string(request.matches[1]) +
                             R"(","status":"paused"}})",
                         "application/json");
    return 200;
  }
  }
  return 500;
}

} // namespace reckon::test
