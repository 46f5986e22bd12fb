#include "health_notify.hpp"
#include "option_checks.hpp"
#include "wall_clock.hpp"

#include "reckon/notify/delivery.hpp"
#include "reckon/notify/signature.hpp"
#include "reckon/store/store.hpp"
#include "reckon/util/text.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <iterator>

namespace reckon::app {
namespace {

using std::chrono::milliseconds;
using util::ErrorCode;

// What an environment variable must hold to be used. A receiver's URL may carry a query (a
// token some webhooks take there), so it is checked for its scheme and bytes only.
enum class Holds { url, secret_url, header_value, secret };

bool is_http_url(std::string_view text) {
  const bool scheme = text.rfind("https://", 0) == 0 || text.rfind("http://", 0) == 0;
  return scheme && !first_unsendable(text);
}

// A credential or address from the environment; a secret is hidden from every diagnostic as
// soon as it is read. `why` says which option needs it.
util::Result<std::string> read_environment(const char* name, Holds holds, const std::string& why,
                                           const Console& console) {
  const char* value = std::getenv(name);
  std::string text = value == nullptr ? "" : value;
  if (holds != Holds::url) {
    console.hide(text);
  }
  if (text.empty()) {
    return util::make_error(ErrorCode::usage, name, "not set; " + why + " needs it");
  }
  if ((holds == Holds::url || holds == Holds::secret_url) && !is_http_url(text)) {
    return util::make_error(ErrorCode::usage, name,
                            "not a usable URL: it must start with http:// or https:// and hold "
                            "no space nor control character");
  }
  if (holds == Holds::header_value && first_unsendable(text)) {
    return util::make_error(ErrorCode::usage, name,
                            "holds a control character, a space or a non-ASCII byte; a key is "
                            "one line of printable ASCII characters");
  }
  return text;
}

std::vector<std::string> distinct(const std::vector<std::string>& names) {
  std::vector<std::string> kept;
  for (const std::string& name : names) {
    if (std::find(kept.begin(), kept.end(), name) == kept.end()) {
      kept.push_back(name);
    }
  }
  return kept;
}

util::Result<notify::Outgoing> inteliworks_request(const NotifySettings& settings,
                                                   std::span<const notify::Alert> alerts,
                                                   const notify::Envelope& envelope,
                                                   const Console& console) {
  if (settings.agent.empty() == settings.agent_webhook.empty()) {
    return util::make_error(ErrorCode::usage, "--notify inteliworks",
                            "name the agent: --agent ID (the agents API) or --agent-webhook ID "
                            "(its webhook)");
  }
  if (!settings.agent.empty()) {
    auto key = read_environment("INTELIWORKS_API_KEY", Holds::header_value, "--agent", console);
    if (!key) {
      return key.error();
    }
    return notify::agent_trigger_request(settings.inteliworks_url, settings.agent, *key, alerts,
                                         envelope);
  }
  auto key =
      read_environment("INTELIWORKS_WEBHOOK_KEY", Holds::header_value, "--agent-webhook", console);
  if (!key) {
    return key.error();
  }
  return notify::agent_webhook_request(settings.agent_webhook_url, settings.agent_webhook, *key,
                                       alerts, envelope);
}

// The request of one sink, its credentials read from the environment.
util::Result<notify::Outgoing> sink_request(const std::string& sink, const NotifySettings& settings,
                                            std::span<const notify::Alert> alerts,
                                            const notify::Envelope& envelope,
                                            const Console& console) {
  if (sink == "slack") {
    // The Slack webhook's address is its credential: hidden like a key.
    auto url = read_environment("SLACK_WEBHOOK_URL", Holds::secret_url, "--notify slack", console);
    if (!url) {
      return url.error();
    }
    return notify::slack_request(*url, alerts);
  }
  if (sink == "webhook") {
    auto url = read_environment("RECKON_WEBHOOK_URL", Holds::url, "--notify webhook", console);
    auto secret =
        read_environment("RECKON_WEBHOOK_SECRET", Holds::secret, "--notify webhook", console);
    if (!url || !secret) {
      return !url ? url.error() : secret.error();
    }
    return notify::webhook_request(*url, *secret, alerts, envelope);
  }
  return inteliworks_request(settings, alerts, envelope, console);
}

notify::DeliveryPolicy delivery_policy(const NotifySettings& settings, const Console& console) {
  notify::DeliveryPolicy policy;
  policy.retry.max_attempts = settings.max_attempts;
  policy.retry.first_backoff = milliseconds(static_cast<long long>(settings.first_backoff_s * 1e3));
  policy.retry.max_wait = milliseconds(static_cast<long long>(settings.max_wait_s * 1e3));
  policy.total_timeout = milliseconds(static_cast<long long>(settings.timeout_s * 1e3));
  policy.jitter_seed = static_cast<std::uint64_t>(now_ms());
  policy.on_wait = [&console](milliseconds wait, std::string_view reason) {
    console.info(std::string(reason) + "; retrying in " + std::to_string(wait.count()) + " ms");
  };
  return policy;
}

// Sends (or, in a dry run, prints) each request; failures are reported and named together.
util::Result<void> send_each(const std::vector<notify::Outgoing>& requests, std::size_t alerts,
                             const NotifySettings& settings, const Console& console) {
  std::vector<std::string> failed;
  const notify::DeliveryPolicy policy = delivery_policy(settings, console);
  for (const notify::Outgoing& outgoing : requests) {
    if (settings.dry_run) {
      console.err << "reckon: dry run: would send " << alerts << " alerts to " << outgoing.sink
                  << ":\n"
                  << notify::describe(outgoing);
      continue;
    }
    if (const auto sent = notify::deliver(outgoing, policy); !sent) {
      console.err << "reckon: notification failed: " << util::printable(sent.error().describe())
                  << '\n';
      failed.push_back(outgoing.sink);
    } else {
      console.info("sent " + std::to_string(alerts) + " alerts to " + outgoing.sink);
    }
  }
  if (failed.empty()) {
    return {};
  }
  std::string names;
  for (const std::string& sink : failed) {
    names += (names.empty() ? "" : ", ") + sink;
  }
  return util::make_error(ErrorCode::network, "--notify",
                          "could not notify " + names +
                              " (see above); the health result was written before");
}

bool plain_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
  });
}

// The rules that call for the pause: "conversion_drop, srm".
std::string pause_reasons(const notify::Alert& alert) {
  std::string rules;
  for (const notify::Reason& reason : alert.reasons) {
    if (reason.severity == notify::Status::critical &&
        (reason.rule == "conversion_drop" || reason.rule == "srm")) {
      rules += (rules.empty() ? "" : ", ") + reason.rule;
    }
  }
  return rules;
}

// Pauses one test, says so on stderr and records it; false when the pause failed.
util::Result<bool> pause_one(const notify::Alert& alert, const std::string& key,
                             const NotifySettings& settings, store::Store& store,
                             const Console& console) {
  const std::string label = alert.test_name + " (" + alert.test_id + ")";
  const std::string reasons = pause_reasons(alert);
  std::string outcome = "done";
  if (!plain_id(alert.test_id)) {
    outcome = "failed: the id is not a plain id (letters, digits, _ and -), so no path holds it";
  } else if (const auto sent = notify::deliver(
                 notify::pause_request(settings.intelligems_url, alert.test_id, key),
                 delivery_policy(settings, console));
             !sent) {
    outcome = "failed: " + sent.error().message;
  }
  const bool done = outcome == "done";
  console.err << "reckon: "
              << util::printable((done ? "paused " : "could not pause ") + label +
                                 " on Intelligems for " + reasons +
                                 (done ? "" : ": " + outcome.substr(8)))
              << '\n';
  const auto recorded = store.add_action({0, now_ms(), "pause", alert.test_id, reasons, outcome});
  if (!recorded) {
    return recorded.error();
  }
  return done;
}

} // namespace

void add_notify_options(CLI::App& command, NotifySettings& settings) {
  command.add_option("--notify", settings.sinks, "Send alerts to: slack, webhook, inteliworks")
      ->check(CLI::IsMember({"slack", "webhook", "inteliworks"}));
  // By name, so that a wrong one is told the names ("never not in {change,always}").
  command
      .add_option_function<std::string>(
          "--notify-on",
          [&settings](const std::string& name) {
            settings.when = name == "always" ? notify::NotifyOn::always : notify::NotifyOn::change;
          },
          "change: only tests whose status changed since the last run; always: all")
      ->check(CLI::IsMember({"change", "always"}))
      ->default_str("change");
  const CLI::Validator agent_id(
      [](std::string& id) -> std::string {
        return plain_id(id) ? "" : "expected an id of letters, digits, _ and -, got " + id;
      },
      "ID");
  CLI::Option* agent =
      command.add_option("--agent", settings.agent, "The agent --notify inteliworks triggers")
          ->check(agent_id);
  command
      .add_option("--agent-webhook", settings.agent_webhook,
                  "... or the agent webhook it posts to (X-API-Key: INTELIWORKS_WEBHOOK_KEY)")
      ->check(agent_id)
      ->excludes(agent);
  command.add_option("--inteliworks-url", settings.inteliworks_url, "The agents API's address")
      ->check(http_url())
      ->capture_default_str();
  command.add_option("--agent-webhook-url", settings.agent_webhook_url, "Agent webhooks' address")
      ->check(http_url())
      ->capture_default_str();
  command.add_flag("--pause-on-critical", settings.pause_on_critical,
                   "Pause on Intelligems every test critical for a conversion drop or SRM");
  command.add_option("--intelligems-url", settings.intelligems_url, "Intelligems' API address")
      ->check(http_url())
      ->capture_default_str();
  command.add_flag("--dry-run", settings.dry_run, "Print the alerts and pauses; send nothing");
  command.add_option("--notify-attempts", settings.max_attempts, "Tries per alert")
      ->check(number_in(1, 20))
      ->capture_default_str();
  command
      .add_option("--notify-backoff", settings.first_backoff_s,
                  "Seconds before an alert's first retry when the server gives no hint; doubles")
      ->check(number_in(0.0, 600.0))
      ->capture_default_str();
}

util::Result<void> check_notify_settings(const NotifySettings& settings, const Console& console) {
  const bool agent_named = !settings.agent.empty() || !settings.agent_webhook.empty();
  if (agent_named && std::find(settings.sinks.begin(), settings.sinks.end(), "inteliworks") ==
                         settings.sinks.end()) {
    return util::make_error(ErrorCode::usage,
                            settings.agent.empty() ? "--agent-webhook" : "--agent",
                            "names the agent of --notify inteliworks, which is not chosen; add "
                            "--notify inteliworks or leave the agent out");
  }
  // The requests of no alert: each sink's credentials are read and checked as a send would.
  for (const std::string& sink : distinct(settings.sinks)) {
    if (auto request = sink_request(sink, settings, {}, notify::Envelope{}, console); !request) {
      return request.error();
    }
  }
  if (settings.pause_on_critical) {
    if (auto key = read_environment("INTELLIGEMS_API_KEY", Holds::header_value,
                                    "--pause-on-critical", console);
        !key) {
      return key.error();
    }
  }
  return {};
}

util::Result<void> send_alerts(const NotifySettings& settings,
                               std::span<const notify::Alert> alerts, const Console& console) {
  const std::vector<std::string> sinks = distinct(settings.sinks);
  if (sinks.empty()) {
    return {};
  }
  const std::vector<notify::Alert> chosen = notify::alerts_to_send(alerts, settings.when);
  if (chosen.empty()) {
    console.info("no alert to send: no test's status changed since the last run "
                 "(--notify-on always sends every test)");
    return {};
  }
  auto id = notify::random_id();
  if (!id) {
    return id.error();
  }
  const notify::Envelope envelope{std::move(*id), now_ms()};
  std::vector<notify::Outgoing> requests;
  for (const std::string& sink : sinks) {
    auto outgoing = sink_request(sink, settings, chosen, envelope, console);
    if (!outgoing) {
      return outgoing.error();
    }
    requests.push_back(std::move(*outgoing));
  }
  return send_each(requests, chosen.size(), settings, console);
}

util::Result<void> pause_critical_tests(const NotifySettings& settings,
                                        std::span<const notify::Alert> alerts,
                                        const std::filesystem::path& store_path,
                                        const Console& console) {
  if (!settings.pause_on_critical) {
    return {};
  }
  std::vector<notify::Alert> due;
  std::copy_if(alerts.begin(), alerts.end(), std::back_inserter(due), notify::warrants_pause);
  if (due.empty()) {
    console.info("--pause-on-critical: no test is critical for a conversion drop or SRM");
    return {};
  }
  auto key =
      read_environment("INTELLIGEMS_API_KEY", Holds::header_value, "--pause-on-critical", console);
  if (!key) {
    return key.error();
  }
  if (settings.dry_run) {
    for (const notify::Alert& alert : due) {
      console.err << "reckon: dry run: would pause "
                  << util::printable(alert.test_name + " (" + alert.test_id + ") for " +
                                     pause_reasons(alert))
                  << ":\n"
                  << notify::describe(
                         notify::pause_request(settings.intelligems_url, alert.test_id, *key));
    }
    return {};
  }
  auto store = store::Store::open(store_path);
  if (!store) {
    return store.error();
  }
  std::string failed;
  for (const notify::Alert& alert : due) {
    const auto done = pause_one(alert, *key, settings, *store, console);
    if (!done) {
      return done.error();
    }
    failed += *done ? "" : (failed.empty() ? "" : ", ") + alert.test_name;
  }
  if (!failed.empty()) {
    return util::make_error(ErrorCode::network, "--pause-on-critical",
                            "could not pause " + failed + " (see above); recorded in " +
                                store_path.string());
  }
  return {};
}

} // namespace reckon::app
