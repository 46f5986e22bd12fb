#include "reckon/notify/delivery.hpp"

#include "reckon/contract/intelligems.hpp"
#include "reckon/fetch/session.hpp"
#include "reckon/notify/signature.hpp"
#include "reckon/parse/api_error.hpp"
#include "reckon/util/text.hpp"

namespace reckon::notify {
namespace {

std::string without_secrets(std::string text, const Outgoing& outgoing) {
  for (const std::string& secret : outgoing.secrets) {
    util::redact(text, secret);
  }
  return text;
}

// A final client error in words: what the server's error envelope says, or the status alone.
std::string explain(const fetch::HttpResponse& response) {
  const std::string detail = parse::describe_api_error(response.body);
  std::string text = "HTTP " + std::to_string(response.status);
  if (response.status == 401 || response.status == 403) {
    text += " (the credential was refused; check the key or URL in the environment)";
  }
  return detail.empty() ? text : text + ": " + detail;
}

} // namespace

std::string Outgoing::shown_url() const {
  return url_stand_in.empty() ? base_url + path : url_stand_in;
}

Outgoing slack_request(const std::string& webhook_url, std::span<const Alert> alerts) {
  Outgoing outgoing;
  outgoing.sink = "slack";
  outgoing.base_url = webhook_url;
  outgoing.url_stand_in = "$SLACK_WEBHOOK_URL";
  outgoing.body = slack_message(alerts);
  outgoing.secrets = {webhook_url};
  return outgoing;
}

Outgoing webhook_request(const std::string& url, const std::string& secret,
                         std::span<const Alert> alerts, const Envelope& envelope) {
  Outgoing outgoing;
  outgoing.sink = "webhook";
  outgoing.base_url = url;
  outgoing.body = alert_document(alerts, envelope);
  outgoing.headers.push_back({"X-Reckon-Signature", signature_header(secret, outgoing.body)});
  outgoing.secrets = {secret};
  return outgoing;
}

Outgoing agent_trigger_request(const std::string& base_url, const std::string& agent,
                               const std::string& api_key, std::span<const Alert> alerts,
                               const Envelope& envelope) {
  Outgoing outgoing;
  outgoing.sink = "inteliworks";
  outgoing.base_url = base_url;
  outgoing.path = "/agents/" + agent + "/trigger";
  outgoing.credential_header = "Authorization";
  outgoing.credential = "Bearer " + api_key;
  outgoing.body = agent_trigger_body(alerts, envelope);
  outgoing.secrets = {api_key};
  return outgoing;
}

Outgoing agent_webhook_request(const std::string& base_url, const std::string& webhook,
                               const std::string& webhook_key, std::span<const Alert> alerts,
                               const Envelope& envelope) {
  Outgoing outgoing;
  outgoing.sink = "inteliworks";
  outgoing.base_url = base_url;
  outgoing.path = "/webhook/" + webhook;
  outgoing.credential_header = "X-API-Key";
  outgoing.credential = webhook_key;
  outgoing.body = alert_document(alerts, envelope);
  outgoing.secrets = {webhook_key};
  return outgoing;
}

Outgoing pause_request(const std::string& base_url, const std::string& experience_id,
                       const std::string& api_key) {
  Outgoing outgoing;
  outgoing.sink = "pause";
  outgoing.base_url = base_url;
  outgoing.path = std::string(contract::intelligems::k_prefix) + "/experiences/" + experience_id +
                  "/actions/pause";
  outgoing.credential_header = std::string(contract::intelligems::k_key_header);
  outgoing.credential = api_key;
  outgoing.body = "{}";
  outgoing.secrets = {api_key};
  return outgoing;
}

std::string describe(const Outgoing& outgoing) {
  std::string text = "POST " + outgoing.shown_url() + "\n";
  if (!outgoing.credential_header.empty()) {
    text += "  " + outgoing.credential_header + ": " + std::string(util::k_redacted) + "\n";
  }
  for (const fetch::HttpHeader& header : outgoing.headers) {
    text += "  " + header.name + ": " + header.value + "\n";
  }
  text += "  " + outgoing.body + "\n";
  return without_secrets(std::move(text), outgoing);
}

util::Result<void> deliver(const Outgoing& outgoing, const DeliveryPolicy& policy) {
  fetch::HttpClient client({outgoing.base_url, outgoing.credential_header,
                            fetch::Secret(outgoing.credential), policy.connect_timeout,
                            policy.total_timeout, 1'000'000});
  // No pacing: one POST per sink and run; the retries keep their own waits.
  fetch::Session session(client, {0.0, policy.retry, policy.jitter_seed, {}}, {policy.on_wait});
  contract::ApiRequest request{outgoing.sink, "POST", outgoing.path, {}, outgoing.body};
  const auto sent = session.send(request, outgoing.headers);
  const std::string where = outgoing.sink + ": POST " + outgoing.shown_url();
  if (!sent) {
    return util::make_error(util::ErrorCode::network, without_secrets(where, outgoing),
                            without_secrets(sent.error().message, outgoing));
  }
  if (sent->status < 200 || sent->status >= 300) {
    return util::make_error(util::ErrorCode::network, without_secrets(where, outgoing),
                            without_secrets(explain(*sent), outgoing));
  }
  return {};
}

} // namespace reckon::notify
