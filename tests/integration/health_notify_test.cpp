#include "health_notify.hpp"
#include "redaction.hpp"

#include "reckon/store/store.hpp"

#include "support/alert_receiver.hpp"
#include "support/paths.hpp"
#include "support/sample_alerts.hpp"
#include "support/text_files.hpp"

#include <CLI/CLI.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

// The application's side of alerts: options, credentials from the environment, one message per
// sink, dry runs, failures and the guardrail's pause, against a local receiver. Each test runs
// in its own process (gtest_discover_tests), so setting the environment is safe.
namespace reckon::app {
namespace {

using test::AlertReceiver;
using test::Route;

struct Captured {
  std::ostringstream out;
  std::ostringstream err_sink;
  RedactingBuffer redaction{err_sink};
  std::ostream err{&redaction};
  Console console{out, err, redaction};

  std::string everything() {
    err.flush();
    return out.str() + err_sink.str();
  }
};

class HealthNotify : public ::testing::Test {
protected:
  void SetUp() override {
    ::setenv("SLACK_WEBHOOK_URL", receiver.slack_url().c_str(), 1);
    ::setenv("RECKON_WEBHOOK_URL", receiver.webhook_url().c_str(), 1);
    ::setenv("RECKON_WEBHOOK_SECRET", receiver.secrets().webhook_secret.c_str(), 1);
    ::setenv("INTELIWORKS_API_KEY", receiver.secrets().agent_api_key.c_str(), 1);
    ::setenv("INTELIWORKS_WEBHOOK_KEY", receiver.secrets().agent_webhook_key.c_str(), 1);
    ::setenv("INTELLIGEMS_API_KEY", receiver.secrets().intelligems_key.c_str(), 1);
    settings.inteliworks_url = receiver.agents_url();
    settings.agent_webhook_url = receiver.base_url();
    settings.intelligems_url = receiver.base_url();
    settings.first_backoff_s = 0.001;
    settings.max_attempts = 3;
  }

  // No secret in `text`: not the receiver's, and not the Slack URL, which is one.
  void expect_no_secret(const std::string& text) const {
    const test::ReceiverSecrets& secrets = receiver.secrets();
    for (const std::string* secret :
         {&secrets.slack_token, &secrets.webhook_secret, &secrets.agent_api_key,
          &secrets.agent_webhook_key, &secrets.intelligems_key}) {
      EXPECT_EQ(text.find(*secret), std::string::npos) << *secret << " in:\n" << text;
    }
  }

  AlertReceiver receiver;
  NotifySettings settings;
  Captured captured;
};

TEST_F(HealthNotify, SendsOneMessageToEachSinkWithTheTestsThatChanged) {
  settings.sinks = {"slack", "webhook", "inteliworks", "webhook"};
  settings.agent = "agent_abc123";
  const auto sent = send_alerts(settings, test::sample_alerts(), captured.console);
  ASSERT_TRUE(sent) << sent.error().describe();
  ASSERT_EQ(receiver.requests(Route::slack).size(), 1U);
  ASSERT_EQ(receiver.requests(Route::agent_trigger).size(), 1U);
  const auto hooks = receiver.requests(Route::webhook);
  ASSERT_EQ(hooks.size(), 1U);
  EXPECT_EQ(hooks[0].status, 204); // the receiver checked the signature
  EXPECT_NE(hooks[0].body.find(R"("id":"exp-crash")"), std::string::npos);
  EXPECT_NE(hooks[0].body.find(R"("id":"exp-young")"), std::string::npos);
  EXPECT_EQ(hooks[0].body.find("exp-fine"), std::string::npos); // healthy, as before
  const std::string output = captured.everything();
  EXPECT_NE(output.find("reckon: sent 2 alerts to webhook\n"), std::string::npos);
  expect_no_secret(output);
}

TEST_F(HealthNotify, TheAgentWebhookGetsTheDocumentWithItsKey) {
  settings.sinks = {"inteliworks"};
  settings.agent_webhook = "wh_abc123";
  const auto sent = send_alerts(settings, test::sample_alerts(), captured.console);
  ASSERT_TRUE(sent) << sent.error().describe();
  const auto received = receiver.requests(Route::agent_webhook);
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].path, "/webhook/wh_abc123");
  EXPECT_EQ(received[0].status, 200);
}

TEST_F(HealthNotify, AStatusThatDidNotChangeIsNotSentAgain) {
  std::vector<notify::Alert> alerts = test::sample_alerts();
  for (notify::Alert& alert : alerts) {
    alert.previous_status = alert.status;
  }
  settings.sinks = {"slack", "webhook"};
  ASSERT_TRUE(send_alerts(settings, alerts, captured.console));
  EXPECT_EQ(receiver.request_count(), 0U);
  settings.when = notify::NotifyOn::always;
  ASSERT_TRUE(send_alerts(settings, alerts, captured.console));
  EXPECT_EQ(receiver.request_count(), 2U);
  EXPECT_NE(receiver.requests(Route::webhook)[0].body.find("exp-fine"), std::string::npos);
}

TEST_F(HealthNotify, ADryRunPrintsEveryRequestAndSendsNothing) {
  settings.sinks = {"slack", "webhook", "inteliworks"};
  settings.agent = "agent_1";
  settings.dry_run = true;
  settings.pause_on_critical = true;
  const auto store = test::fresh_temp_dir("notify-dry-run") / "reckon.db";
  ASSERT_TRUE(send_alerts(settings, test::sample_alerts(), captured.console));
  ASSERT_TRUE(pause_critical_tests(settings, test::sample_alerts(), store, captured.console));
  EXPECT_EQ(receiver.request_count(), 0U);
  EXPECT_FALSE(std::filesystem::exists(store)); // nothing recorded either
  const std::string output = captured.everything();
  EXPECT_NE(output.find("reckon: dry run: would send 2 alerts to slack:\n"
                        "POST $SLACK_WEBHOOK_URL\n"),
            std::string::npos);
  EXPECT_NE(output.find("POST " + receiver.agents_url() +
                        "/agents/agent_1/trigger\n  Authorization: [redacted]\n"),
            std::string::npos);
  EXPECT_NE(output.find("  X-Reckon-Signature: sha256="), std::string::npos);
  EXPECT_NE(output.find("reckon: dry run: would pause Free shipping <$50> & more (exp-crash) for "
                        "conversion_drop:\nPOST " +
                        receiver.base_url() + "/v25-10-beta/experiences/exp-crash/actions/pause\n"),
            std::string::npos);
  expect_no_secret(output);
}

TEST_F(HealthNotify, AFinalFailureIsANetworkErrorNamingTheSinkAndTheOthersStillGo) {
  settings.sinks = {"webhook", "slack"};
  settings.max_attempts = 2;
  receiver.fail_next(Route::webhook, {503, 429, 503});
  const auto sent = send_alerts(settings, test::sample_alerts(), captured.console);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, util::ErrorCode::network); // exit 4
  EXPECT_EQ(sent.error().describe(),
            "--notify: could not notify webhook (see above); the health result was written before");
  EXPECT_EQ(receiver.requests(Route::webhook).size(), 2U);
  EXPECT_EQ(receiver.requests(Route::slack).size(), 1U);
  const std::string output = captured.everything();
  EXPECT_NE(output.find("reckon: notification failed: webhook: POST " + receiver.webhook_url() +
                        ": HTTP 429: rate limited (429); gave up after 2 attempts\n"),
            std::string::npos)
      << output;
  expect_no_secret(output);
}

TEST_F(HealthNotify, AMissingCredentialIsAUsageErrorBeforeAnythingIsSent) {
  ::unsetenv("RECKON_WEBHOOK_SECRET");
  settings.sinks = {"slack", "webhook"};
  const auto sent = send_alerts(settings, test::sample_alerts(), captured.console);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, util::ErrorCode::usage);
  EXPECT_EQ(sent.error().describe(), "RECKON_WEBHOOK_SECRET: not set; --notify webhook needs it");
  EXPECT_EQ(receiver.request_count(), 0U);

  settings.sinks = {"inteliworks"};
  const auto no_agent = send_alerts(settings, test::sample_alerts(), captured.console);
  ASSERT_FALSE(no_agent);
  EXPECT_EQ(no_agent.error().describe(),
            "--notify inteliworks: name the agent: --agent ID (the agents API) or --agent-webhook "
            "ID (its webhook)");
}

TEST_F(HealthNotify, AWebhookUrlMayCarryAQueryButAnUnusableUrlIsRefusedUnshown) {
  ::setenv("RECKON_WEBHOOK_URL", (receiver.webhook_url() + "?tenant=shop-1").c_str(), 1);
  settings.sinks = {"webhook"};
  const auto sent = send_alerts(settings, test::sample_alerts(), captured.console);
  ASSERT_TRUE(sent) << sent.error().describe();
  ASSERT_EQ(receiver.requests(Route::webhook).size(), 1U);
  EXPECT_EQ(receiver.requests(Route::webhook)[0].status, 204);

  ::setenv("SLACK_WEBHOOK_URL", "hooks.example/services/T000/B000/slack-token-4f1d9a", 1);
  settings.sinks = {"slack"};
  const auto refused = send_alerts(settings, test::sample_alerts(), captured.console);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, util::ErrorCode::usage);
  EXPECT_EQ(refused.error().describe(),
            "SLACK_WEBHOOK_URL: not a usable URL: it must start with http:// or https:// and hold "
            "no space nor control character");
  EXPECT_EQ(receiver.requests(Route::slack).size(), 0U);
}

// Alerts with one test critical for SRM, one critical for reasons a pause does not cure.
std::vector<notify::Alert> alerts_with_srm() {
  std::vector<notify::Alert> alerts = test::sample_alerts();
  notify::Alert srm = alerts[2];
  srm.test_id = "exp-srm";
  srm.test_name = "Split broken";
  srm.status = notify::Status::critical;
  srm.reasons = {{"srm", notify::Status::critical, "52/48 against 50/50, p = 3e-12"}};
  notify::Alert empty = alerts[2];
  empty.test_id = "exp-empty";
  empty.status = notify::Status::critical;
  empty.reasons = {{"no_data", notify::Status::critical, "no visitors since start"}};
  alerts.push_back(srm);
  alerts.push_back(empty);
  return alerts;
}

TEST_F(HealthNotify, PausesOnlyWithTheFlagAndOnlyForADropOrSrm) {
  const auto dir = test::fresh_temp_dir("notify-pause");
  const auto store_path = dir / "reckon.db";
  ASSERT_TRUE(pause_critical_tests(settings, alerts_with_srm(), store_path, captured.console));
  EXPECT_EQ(receiver.request_count(), 0U); // no flag, no call

  settings.pause_on_critical = true;
  const auto paused =
      pause_critical_tests(settings, alerts_with_srm(), store_path, captured.console);
  ASSERT_TRUE(paused) << paused.error().describe();
  const auto calls = receiver.requests(Route::pause);
  ASSERT_EQ(calls.size(), 2U);
  EXPECT_EQ(calls[0].path, "/v25-10-beta/experiences/exp-crash/actions/pause");
  EXPECT_EQ(calls[1].path, "/v25-10-beta/experiences/exp-srm/actions/pause");
  auto store = store::Store::open(store_path);
  ASSERT_TRUE(store);
  const auto actions = store->actions();
  ASSERT_TRUE(actions && actions->size() == 2U);
  EXPECT_EQ((*actions)[0].experiment, "exp-crash");
  EXPECT_EQ((*actions)[0].reason, "conversion_drop");
  EXPECT_EQ((*actions)[0].outcome, "done");
  EXPECT_EQ((*actions)[1].reason, "srm");
  const std::string output = captured.everything();
  EXPECT_NE(output.find("reckon: paused Split broken (exp-srm) on Intelligems for srm\n"),
            std::string::npos);
  expect_no_secret(output);
}

TEST_F(HealthNotify, AFailedPauseIsRecordedAndNoSecretReachesTheStore) {
  const std::string wrong = "ig-wrong-token-1234";
  ::setenv("INTELLIGEMS_API_KEY", wrong.c_str(), 1);
  settings.pause_on_critical = true;
  const auto dir = test::fresh_temp_dir("notify-pause-fails");
  const auto paused =
      pause_critical_tests(settings, test::sample_alerts(), dir / "reckon.db", captured.console);
  ASSERT_FALSE(paused);
  EXPECT_EQ(paused.error().code, util::ErrorCode::network);
  EXPECT_EQ(paused.error().describe(),
            "--pause-on-critical: could not pause Free shipping <$50> & more (see above); "
            "recorded in " +
                (dir / "reckon.db").string());
  {
    auto store = store::Store::open(dir / "reckon.db");
    ASSERT_TRUE(store);
    const auto actions = store->actions();
    ASSERT_TRUE(actions && actions->size() == 1U);
    EXPECT_EQ((*actions)[0].outcome,
              "failed: HTTP 401 (the credential was refused; check the key or URL in the "
              "environment): Unauthorized");
  }
  std::string files = captured.everything();
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    files += test::read_text(entry.path());
  }
  EXPECT_EQ(files.find(wrong), std::string::npos);
  expect_no_secret(files);
}

TEST(NotifyOptions, ParseRepeatedSinksAndRefuseWhatCannotBeSent) {
  const auto parse = [](std::vector<std::string> args, NotifySettings& settings) {
    CLI::App app;
    add_notify_options(app, settings);
    std::reverse(args.begin(), args.end());
    try {
      app.parse(args);
    } catch (const CLI::ParseError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  NotifySettings settings;
  EXPECT_EQ(parse({"--notify", "slack", "--notify", "webhook", "--notify-on", "always", "--agent",
                   "agent_1", "--pause-on-critical", "--dry-run"},
                  settings),
            "");
  EXPECT_EQ(settings.sinks, (std::vector<std::string>{"slack", "webhook"}));
  EXPECT_EQ(settings.when, notify::NotifyOn::always);
  EXPECT_EQ(settings.agent, "agent_1");
  EXPECT_TRUE(settings.pause_on_critical && settings.dry_run);
  NotifySettings other;
  EXPECT_NE(parse({"--notify", "email"}, other), "");
  EXPECT_NE(parse({"--agent", "a/../b"}, other), "");
  EXPECT_NE(parse({"--agent", "a", "--agent-webhook", "b"}, other), "");
  EXPECT_NE(parse({"--inteliworks-url", "ftp://x"}, other), "");
}

} // namespace
} // namespace reckon::app
