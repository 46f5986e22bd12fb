#pragma once

#include "reckon/fetch/http_client.hpp"
#include "reckon/fetch/retry_policy.hpp"
#include "reckon/notify/alert.hpp"
#include "reckon/notify/messages.hpp"
#include "reckon/util/result.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::notify {

// One POST ready to go: where, with which credential and headers, and the exact body. It
// holds its secrets as text only so that every message about it can be cleared of them; they
// leave it only in the request's headers (or, for Slack, its address).
struct Outgoing {
  std::string sink;     // "slack", "webhook", "inteliworks", "pause": names it in messages
  std::string base_url; // no trailing slash
  // What a message or a dry run shows instead of the address when the address itself is the
  // credential (a Slack webhook URL); empty when the address may be shown.
  std::string url_stand_in;
  std::string path;
  std::string credential_header; // "Authorization", "X-API-Key", ... or empty
  std::string credential;        // the header's value
  std::vector<fetch::HttpHeader> headers;
  std::string body;
  std::vector<std::string> secrets; // every secret above, for redaction

  // The address as messages show it.
  std::string shown_url() const;
};

// Slack: POST the message to the webhook URL, which is its own credential.
Outgoing slack_request(const std::string& webhook_url, std::span<const Alert> alerts);

// The signed webhook: POST the alert document with X-Reckon-Signature over its exact bytes.
Outgoing webhook_request(const std::string& url, const std::string& secret,
                         std::span<const Alert> alerts, const Envelope& envelope);

// An automation agent (seed 002): POST {base}/agents/{agent}/trigger with a bearer key.
Outgoing agent_trigger_request(const std::string& base_url, const std::string& agent,
                               const std::string& api_key, std::span<const Alert> alerts,
                               const Envelope& envelope);

// An agent's own webhook: POST {base}/webhook/{webhook} with X-API-Key and the document.
Outgoing agent_webhook_request(const std::string& base_url, const std::string& webhook,
                               const std::string& webhook_key, std::span<const Alert> alerts,
                               const Envelope& envelope);

// Intelligems' guardrail action: POST {base}/v25-10-beta/experiences/{id}/actions/pause.
Outgoing pause_request(const std::string& base_url, const std::string& experience_id,
                       const std::string& api_key);

// What a dry run prints for one POST: the method and address, every header with the
// credential redacted, and the body. Never a secret.
std::string describe(const Outgoing& outgoing);

struct DeliveryPolicy {
  fetch::RetryPolicy retry;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{30'000};
  std::uint64_t jitter_seed = 0;
  // Told of every retry before its wait, with the reason ("rate limited (429)").
  std::function<void(std::chrono::milliseconds wait, std::string_view reason)> on_wait;
};

// Sends one POST through the fetch layer's client, retrying 429s, 5xx and transport failures
// as the policy says (a Retry-After or x-ratelimit-reset from the server sets the wait). A
// final failure is a network error naming the sink, with what the server's error envelope
// said, and never a secret, even one the server echoed.
util::Result<void> deliver(const Outgoing& outgoing, const DeliveryPolicy& policy);

} // namespace reckon::notify
