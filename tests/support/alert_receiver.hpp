#pragma once

#include "support/loopback_http_server.hpp"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace reckon::test {

// The credentials each route of the receiver accepts.
struct ReceiverSecrets {
  std::string slack_token = "slack-token-4f1d9a"; // the last part of the Slack webhook path
  std::string webhook_secret = "whsec-receiver-77c2";
  std::string agent_api_key = "iw-api-key-93ab";
  std::string agent_webhook_key = "iw-webhook-key-5e10";
  std::string intelligems_key = "ig-access-token-c3d4";
};

// The routes, by the sink each stands for.
enum class Route { slack, webhook, agent_trigger, agent_webhook, pause };

// One request as it arrived, and the status it got.
struct ReceivedRequest {
  std::string path;
  std::map<std::string, std::string> headers; // names in lower case
  std::string body;
  int status = 0;
};

// A local receiver of alerts on 127.0.0.1 that checks what a real one would:
//   POST /services/T000/B000/{slack_token}          Slack: a JSON body with `text` and `blocks`
//   POST /hooks/reckon                              X-Reckon-Signature = sha256=HMAC(raw body),
//                                                   computed here with libcrypto; `id` and
//                                                   `sent_at` in the body; a repeated id is a
//                                                   replay (409)
//   POST /v2/agents/{id}/trigger                    Authorization: Bearer {agent_api_key};
//                                                   {"input": {...}, "options": {"async": true}}
//   POST /webhook/{id}                              X-API-Key: {agent_webhook_key}
//   POST /v25-10-beta/experiences/{id}/actions/pause intelligems-access-token
// A refusal carries the agents API's error envelope, and a wrong credential is echoed back in
// it, as careless servers do, so that tests see it is never shown. Scripted failures (429 with
// Retry-After: 0, or 5xx) come first on a route, then it succeeds.
class AlertReceiver {
public:
  explicit AlertReceiver(ReceiverSecrets secrets = {});
  ~AlertReceiver();
  AlertReceiver(const AlertReceiver&) = delete;
  AlertReceiver& operator=(const AlertReceiver&) = delete;

  const ReceiverSecrets& secrets() const { return m_secrets; }
  std::string base_url() const { return m_server.base_url(); }
  std::string slack_url() const;
  std::string webhook_url() const;
  std::string agents_url() const; // the agents API's base, {base}/v2

  // The next answers of `route`, in order, before it answers normally.
  void fail_next(Route route, std::vector<int> statuses);
  std::vector<ReceivedRequest> requests(Route route) const;
  std::size_t request_count() const;

private:
  void handle(Route route, const httplib::Request& request, httplib::Response& response);
  // The status a route's checks give a request: 2xx, or a refusal with its envelope.
  int check(Route route, const httplib::Request& request, httplib::Response& response);

  ReceiverSecrets m_secrets;
  LoopbackHttpServer m_server;
  mutable std::mutex m_mutex;
  std::map<Route, std::vector<int>> m_failures;
  std::map<Route, std::vector<ReceivedRequest>> m_received;
  std::vector<std::string> m_seen_ids;
};

} // namespace reckon::test
