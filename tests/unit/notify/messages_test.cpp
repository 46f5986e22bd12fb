#include "reckon/notify/delivery.hpp"
#include "reckon/notify/messages.hpp"
#include "reckon/notify/signature.hpp"

#include "support/sample_alerts.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace reckon::notify {
namespace {

const Envelope k_envelope{"0123456789abcdef0123456789abcdef", 1'796'565'600'000};

std::string text_at(simdjson::dom::element root, const char* pointer) {
  return std::string(std::string_view(root.at_pointer(pointer)));
}

TEST(SlackMessage, NamesEveryTestWithItsFiguresAndAPlainFallback) {
  const std::string body = slack_message(test::sample_alerts());
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(body);
  EXPECT_EQ(text_at(root, "/text"),
            "Reckon health: 1 critical, 1 watch, 1 healthy.\n"
            "Free shipping &lt;$50&gt; &amp; more: healthy → critical (conversion_drop)\n"
            "Bundle price: watch (min_runtime)\nCheckout copy: healthy");
  const simdjson::dom::array blocks = root["blocks"];
  EXPECT_EQ(blocks.size(), 1U + 3U * 3U);
  EXPECT_EQ(text_at(root, "/blocks/0/type"), "header");
  EXPECT_EQ(text_at(root, "/blocks/0/text/text"), "Reckon health: 1 critical, 1 watch, 1 healthy");
  EXPECT_EQ(
      text_at(root, "/blocks/1/text/text"),
      "*Free shipping &lt;$50&gt; &amp; more* :red_circle: *healthy → critical*\n"
      "12 days live · 24,310 visitors (12,150 Control, 12,160 Free shipping) · verdict LOSER");
  EXPECT_EQ(text_at(root, "/blocks/1/fields/0/text"), "*Conversion*\n5.00 % → 3.50 % (-30.0 %)");
  EXPECT_EQ(text_at(root, "/blocks/1/fields/1/text"),
            "*Revenue per visitor*\n2.45 → 1.96 (-20.0 %)");
  EXPECT_EQ(text_at(root, "/blocks/1/fields/2/text"), "*AOV*\n49.00 → 56.00 (+14.3 %)");
  EXPECT_EQ(text_at(root, "/blocks/2/elements/0/text"),
            "• *conversion_drop* (critical): variant converts 30.0 % below control; "
            "P(drop &gt;= 20 %) = 99 %");
  EXPECT_EQ(text_at(root, "/blocks/4/fields/1/text"), "*Revenue per visitor*\n1.50 → n/a");
  EXPECT_EQ(text_at(root, "/blocks/8/elements/0/text"), "No rule fired.");
}

TEST(SlackMessage, KeepsUnderSlacksFiftyBlocksAndSaysHowManyMore) {
  std::vector<Alert> many;
  for (int i = 0; i < 20; ++i) {
    many.push_back(test::sample_alerts()[1]);
  }
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(slack_message(many));
  const simdjson::dom::array blocks = root["blocks"];
  EXPECT_EQ(blocks.size(), 1U + 15U * 3U + 1U);
  EXPECT_EQ(text_at(root, "/blocks/46/elements/0/text"),
            "… and 5 more tests, named in this message's text");
}

TEST(AlertDocument, CarriesItsIdTimeAndEveryAlertsNumbers) {
  const std::string body = alert_document(test::sample_alerts(), k_envelope);
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(body);
  EXPECT_EQ(text_at(root, "/schema"), "reckon.alert/v1");
  EXPECT_EQ(text_at(root, "/id"), k_envelope.id);
  EXPECT_EQ(text_at(root, "/sent_at"), "2026-12-06T14:00:00Z");
  EXPECT_EQ(text_at(root, "/alerts/0/name"), "Free shipping <$50> & more");
  EXPECT_EQ(text_at(root, "/alerts/0/status"), "critical");
  EXPECT_EQ(text_at(root, "/alerts/0/previous_status"), "healthy");
  EXPECT_TRUE(root.at_pointer("/alerts/1/previous_status").is_null());
  EXPECT_EQ(int64_t(root.at_pointer("/alerts/0/runtime_days")), 12);
  EXPECT_EQ(text_at(root, "/alerts/0/verdict"), "LOSER");
  EXPECT_EQ(text_at(root, "/alerts/1/verdict"), "");
  EXPECT_EQ(uint64_t(root.at_pointer("/alerts/0/control/visitors")), 12'150U);
  EXPECT_DOUBLE_EQ(double(root.at_pointer("/alerts/0/lift/conversion_rate")), -0.3);
  EXPECT_TRUE(root.at_pointer("/alerts/1/lift/average_order_value").is_null());
  EXPECT_EQ(text_at(root, "/alerts/0/reasons/0/rule"), "conversion_drop");
  EXPECT_EQ(text_at(root, "/alerts/0/reasons/0/severity"), "critical");
}

TEST(AlertDocument, SaysTheStatusChangeAndTheMilestone) {
  std::vector<Alert> alerts = test::sample_alerts();
  alerts[1].previous_status = Status::critical;
  alerts[1].milestone = "7_days";
  alerts[1].milestone_summary = {"Verdict TOO EARLY", "Segment winners: no segment data"};
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(alert_document(alerts, k_envelope));
  EXPECT_EQ(text_at(root, "/alerts/0/change"), "healthy → critical");
  EXPECT_EQ(text_at(root, "/alerts/1/change"), "critical → watch");
  EXPECT_TRUE(root.at_pointer("/alerts/0/milestone").is_null());
  EXPECT_EQ(text_at(root, "/alerts/1/milestone/name"), "7_days");
  EXPECT_EQ(text_at(root, "/alerts/1/milestone/summary/1"), "Segment winners: no segment data");

  const std::string slack = slack_message(alerts);
  const simdjson::dom::element message = parser.parse(slack);
  const std::string heading = text_at(message, "/blocks/4/text/text");
  EXPECT_EQ(heading.substr(0, heading.find('\n')),
            "*Bundle price* :large_yellow_circle: *critical → watch* · milestone 7_days");
  EXPECT_EQ(text_at(message, "/blocks/5/elements/0/text"),
            "• *min_runtime* (watch): 4 days live, fewer than 10\n"
            "Verdict TOO EARLY\nSegment winners: no segment data");
}

TEST(AgentTrigger, WrapsTheDocumentAsInputAndAsksForAnAsyncRun) {
  const std::string body = agent_trigger_body(test::sample_alerts(), k_envelope);
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(body);
  EXPECT_EQ(text_at(root, "/input/id"), k_envelope.id);
  EXPECT_EQ(text_at(root, "/input/alerts/2/id"), "exp-fine");
  EXPECT_TRUE(bool(root.at_pointer("/options/async")));
}

TEST(Outgoing, TheWebhookIsSignedOverItsExactBody) {
  const Outgoing hook =
      webhook_request("http://127.0.0.1:9/hook", "whsec-1", test::sample_alerts(), k_envelope);
  ASSERT_EQ(hook.headers.size(), 1U);
  EXPECT_EQ(hook.headers[0].name, "X-Reckon-Signature");
  EXPECT_TRUE(signature_matches("whsec-1", hook.body, hook.headers[0].value));
  EXPECT_EQ(hook.body, alert_document(test::sample_alerts(), k_envelope));
}

TEST(Outgoing, ADryRunShowsTheCallsButNoSecret) {
  const std::vector<Alert> alerts = test::sample_alerts();
  const std::string slack =
      describe(slack_request("https://hooks.slack.com/services/T0/B0/slack-token-xyz", alerts));
  EXPECT_EQ(slack.find("slack-token-xyz"), std::string::npos);
  EXPECT_EQ(slack.rfind("POST $SLACK_WEBHOOK_URL\n", 0), 0U);
  const std::string agent = describe(
      agent_trigger_request("https://api.example/v2", "agent_1", "iw-key-42", alerts, k_envelope));
  EXPECT_EQ(agent.find("iw-key-42"), std::string::npos);
  EXPECT_NE(agent.find("POST https://api.example/v2/agents/agent_1/trigger\n"
                       "  Authorization: [redacted]\n"),
            std::string::npos);
  const std::string pause = describe(pause_request("https://api.example", "exp-crash", "ig-key"));
  EXPECT_EQ(pause, "POST https://api.example/v25-10-beta/experiences/exp-crash/actions/pause\n"
                   "  intelligems-access-token: [redacted]\n  {}\n");
  const std::string hook =
      describe(webhook_request("https://hooks.example/r", "whsec-9", alerts, k_envelope));
  EXPECT_EQ(hook.find("whsec-9"), std::string::npos);
  EXPECT_NE(hook.find("  X-Reckon-Signature: sha256="), std::string::npos);
}

} // namespace
} // namespace reckon::notify
