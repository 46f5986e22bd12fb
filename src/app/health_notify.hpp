#pragma once

#include "settings.hpp"

#include "reckon/analysis/health.hpp"
#include "reckon/notify/alert.hpp"
#include "reckon/util/result.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace reckon::app {

// Where `reckon health` sends its alerts and whether it may pause a test. Every credential
// comes from the environment, never from an argument, so that it stays out of shell history
// and process listings: SLACK_WEBHOOK_URL, RECKON_WEBHOOK_URL and RECKON_WEBHOOK_SECRET,
// INTELIWORKS_API_KEY (--agent) or INTELIWORKS_WEBHOOK_KEY (--agent-webhook), and
// INTELLIGEMS_API_KEY (--pause-on-critical).
struct NotifySettings {
  std::vector<std::string> sinks; // "slack", "webhook", "inteliworks", each at most once
  notify::NotifyOn when = notify::NotifyOn::change;
  std::string agent;         // --agent: trigger this agent through the agents API
  std::string agent_webhook; // --agent-webhook: or post to this agent webhook
  std::string inteliworks_url = "https://api.inteliworks.com/v2";
  std::string agent_webhook_url = "https://agents.inteliworks.com";
  std::string intelligems_url = "https://api.intelligems.io";
  bool pause_on_critical = false;
  bool dry_run = false; // print what would be sent, send nothing
  int max_attempts = 4;
  double first_backoff_s = 2.0;
  double max_wait_s = 60.0;
  double timeout_s = 30.0;
};

// The alert of each experiment of a health report: the control against the variant its worst
// reason is about (else the first variant), the reasons that set a status (notes only
// inform the table) and the milestone the report summarises for it. `previous` holds each
// test's status at the last kept health run, by id.
std::vector<notify::Alert>
alerts_of(const analysis::HealthReport& report,
          const std::map<std::string, analysis::HealthStatus, std::less<>>& previous);

// Registers --notify, --notify-on, --agent, --agent-webhook, --inteliworks-url,
// --agent-webhook-url, --pause-on-critical, --intelligems-url, --dry-run and the delivery's
// retry options on `command`.
void add_notify_options(CLI::App& command, NotifySettings& settings);

// Checks the alert options before anything is analysed, whatever the day brings: --agent or
// --agent-webhook without --notify inteliworks (which they would silently not serve), and every
// credential a chosen sink or --pause-on-critical needs, so that a scheduled run missing one
// fails on its first day rather than on the first day a test is critical. Usage errors.
util::Result<void> check_notify_settings(const NotifySettings& settings, const Console& console);

// Sends the alerts that `settings.when` selects to every chosen sink, one message per sink:
// Slack, the signed webhook, the automation agent. Call it after the health result is written,
// so a failed notification never costs it. Each sink is tried even when another failed; each
// failure is reported on stderr, and any makes the result a network error (exit 4) naming the
// sinks. A missing credential is a usage error before anything is sent. With --dry-run the
// requests are printed on stderr, credentials redacted, and nothing is sent.
util::Result<void> send_alerts(const NotifySettings& settings,
                               std::span<const notify::Alert> alerts, const Console& console);

// With --pause-on-critical only: asks Intelligems to pause every test that is critical because
// of a conversion drop or a sample ratio mismatch (notify::warrants_pause), whatever was
// notified. Every pause is logged on stderr and recorded in the store's action table; a failed
// one is a network error. With --dry-run the calls are printed and nothing is sent or recorded.
util::Result<void> pause_critical_tests(const NotifySettings& settings,
                                        std::span<const notify::Alert> alerts,
                                        const std::filesystem::path& store_path,
                                        const Console& console);

} // namespace reckon::app
