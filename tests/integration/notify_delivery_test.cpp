#include "reckon/notify/delivery.hpp"
#include "reckon/notify/signature.hpp"

#include "support/alert_receiver.hpp"
#include "support/sample_alerts.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

// Each sink's POST against a local receiver that checks credentials and signatures and can
// answer 429 and 5xx before it succeeds.
namespace reckon::notify {
namespace {

using std::chrono::milliseconds;
using test::AlertReceiver;
using test::Route;

const Envelope k_envelope{"00112233445566778899aabbccddeeff", 1'796'565'600'000};

// Quick retries, so that a test of five attempts takes milliseconds; the waits are recorded.
struct QuickPolicy {
  std::vector<std::string> reasons;
  std::vector<milliseconds> waits;
  DeliveryPolicy policy() {
    DeliveryPolicy quick;
    quick.retry.max_attempts = 4;
    quick.retry.first_backoff = milliseconds(5);
    quick.retry.max_wait = milliseconds(50);
    quick.on_wait = [this](milliseconds wait, std::string_view reason) {
      waits.push_back(wait);
      reasons.emplace_back(reason);
    };
    return quick;
  }
};

void expect_no_secret(const std::string& text, const test::ReceiverSecrets& secrets) {
  for (const std::string* secret :
       {&secrets.slack_token, &secrets.webhook_secret, &secrets.agent_api_key,
        &secrets.agent_webhook_key, &secrets.intelligems_key}) {
    EXPECT_EQ(text.find(*secret), std::string::npos) << *secret << " in: " << text;
  }
}

TEST(NotifyDelivery, SlackGetsTheBlockKitMessageAtItsWebhook) {
  AlertReceiver receiver;
  QuickPolicy quick;
  const auto alerts = test::sample_alerts();
  const auto sent = deliver(slack_request(receiver.slack_url(), alerts), quick.policy());
  ASSERT_TRUE(sent) << sent.error().describe();
  const auto received = receiver.requests(Route::slack);
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].status, 200);
  EXPECT_EQ(received[0].body, slack_message(alerts));
  EXPECT_EQ(received[0].headers.at("content-type"), "application/json");
}

TEST(NotifyDelivery, TheWebhookArrivesSignedAndTheReceiverAcceptsIt) {
  AlertReceiver receiver;
  QuickPolicy quick;
  const Outgoing hook = webhook_request(receiver.webhook_url(), receiver.secrets().webhook_secret,
                                        test::sample_alerts(), k_envelope);
  const auto sent = deliver(hook, quick.policy());
  ASSERT_TRUE(sent) << sent.error().describe();
  const auto received = receiver.requests(Route::webhook);
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].status, 204);
  EXPECT_EQ(received[0].body, hook.body);
  EXPECT_TRUE(signature_matches(receiver.secrets().webhook_secret, received[0].body,
                                received[0].headers.at("x-reckon-signature")));
  // The same alert again is a replay, which the receiver refuses.
  const auto replayed = deliver(hook, quick.policy());
  ASSERT_FALSE(replayed);
  EXPECT_EQ(replayed.error().message,
            "HTTP 409: replay: alert " + k_envelope.id + " was seen before");
}

TEST(NotifyDelivery, ABodyChangedByOneByteAfterSigningIsRefused) {
  AlertReceiver receiver;
  QuickPolicy quick;
  Outgoing hook = webhook_request(receiver.webhook_url(), receiver.secrets().webhook_secret,
                                  test::sample_alerts(), k_envelope);
  hook.body[hook.body.find("critical")] = 'C';
  const auto sent = deliver(hook, quick.policy());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, util::ErrorCode::network);
  EXPECT_EQ(sent.error().where, "webhook: POST " + receiver.webhook_url());
  EXPECT_EQ(sent.error().message,
            "HTTP 401 (the credential was refused; check the key or URL in the environment): "
            "bad_signature: the signature does not match the body");
  EXPECT_EQ(receiver.requests(Route::webhook).size(), 1U); // a 401 is final: no retry
}

TEST(NotifyDelivery, TheAgentIsTriggeredWithItsBearerKeyAndAnAsyncOption) {
  AlertReceiver receiver;
  QuickPolicy quick;
  const Outgoing trigger =
      agent_trigger_request(receiver.agents_url(), "agent_abc123", receiver.secrets().agent_api_key,
                            test::sample_alerts(), k_envelope);
  const auto sent = deliver(trigger, quick.policy());
  ASSERT_TRUE(sent) << sent.error().describe();
  const auto received = receiver.requests(Route::agent_trigger);
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].path, "/v2/agents/agent_abc123/trigger");
  EXPECT_EQ(received[0].status, 202);
  EXPECT_EQ(received[0].body, agent_trigger_body(test::sample_alerts(), k_envelope));
}

TEST(NotifyDelivery, TheAgentsWebhookTakesItsKeyInXApiKey) {
  AlertReceiver receiver;
  QuickPolicy quick;
  const auto sent = deliver(agent_webhook_request(receiver.base_url(), "wh_xyz",
                                                  receiver.secrets().agent_webhook_key,
                                                  test::sample_alerts(), k_envelope),
                            quick.policy());
  ASSERT_TRUE(sent) << sent.error().describe();
  const auto received = receiver.requests(Route::agent_webhook);
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].path, "/webhook/wh_xyz");
  EXPECT_EQ(received[0].status, 200);
}

TEST(NotifyDelivery, AWrongKeyEchoedByTheServerIsNeverShown) {
  AlertReceiver receiver;
  QuickPolicy quick;
  const std::string wrong_key = "iw-wrong-key-0000";
  const auto sent = deliver(agent_trigger_request(receiver.agents_url(), "agent_1", wrong_key,
                                                  test::sample_alerts(), k_envelope),
                            quick.policy());
  ASSERT_FALSE(sent);
  // The receiver answered "Invalid API key Bearer iw-wrong-key-0000"; all of it is the secret.
  ASSERT_EQ(receiver.requests(Route::agent_trigger).size(), 1U);
  EXPECT_EQ(sent.error().describe(),
            "inteliworks: POST " + receiver.agents_url() +
                "/agents/agent_1/trigger: HTTP 401 (the credential was refused; check the key or "
                "URL in the environment): unauthorized: Invalid API key [redacted]");
}

TEST(NotifyDelivery, RateLimitsAndServerErrorsAreRetriedUntilTheAlertGetsThrough) {
  AlertReceiver receiver;
  QuickPolicy quick;
  receiver.fail_next(Route::agent_trigger, {429, 503, 500});
  const auto sent = deliver(agent_trigger_request(receiver.agents_url(), "agent_1",
                                                  receiver.secrets().agent_api_key,
                                                  test::sample_alerts(), k_envelope),
                            quick.policy());
  ASSERT_TRUE(sent) << sent.error().describe();
  const auto received = receiver.requests(Route::agent_trigger);
  ASSERT_EQ(received.size(), 4U);
  EXPECT_EQ(received[3].status, 202);
  EXPECT_EQ(received[0].body, received[3].body); // the same alert each time
  EXPECT_EQ(quick.reasons, (std::vector<std::string>{"rate limited (429)", "server error 503",
                                                     "server error 500"}));
  EXPECT_EQ(quick.waits[0], milliseconds(0)); // Retry-After: 0 was honoured
}

TEST(NotifyDelivery, AFinalFailureNamesTheSinkAndNotItsSecretAddress) {
  AlertReceiver receiver;
  QuickPolicy quick;
  receiver.fail_next(Route::slack, {503, 503, 503, 503});
  const auto sent =
      deliver(slack_request(receiver.slack_url(), test::sample_alerts()), quick.policy());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, util::ErrorCode::network);
  EXPECT_EQ(sent.error().describe(), "slack: POST $SLACK_WEBHOOK_URL: HTTP 503: server error 503; "
                                     "gave up after 4 attempts");
  EXPECT_EQ(receiver.requests(Route::slack).size(), 4U);
  expect_no_secret(sent.error().describe(), receiver.secrets());
}

TEST(NotifyDelivery, APauseIsAskedOfIntelligemsWithItsAccessToken) {
  AlertReceiver receiver;
  QuickPolicy quick;
  const auto sent =
      deliver(pause_request(receiver.base_url(), "exp-crash", receiver.secrets().intelligems_key),
              quick.policy());
  ASSERT_TRUE(sent) << sent.error().describe();
  const auto received = receiver.requests(Route::pause);
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].path, "/v25-10-beta/experiences/exp-crash/actions/pause");
  EXPECT_EQ(received[0].body, "{}");
  EXPECT_EQ(received[0].status, 200);
}

} // namespace
} // namespace reckon::notify
