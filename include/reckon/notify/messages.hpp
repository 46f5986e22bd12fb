#pragma once

#include "reckon/notify/alert.hpp"

#include <cstdint>
#include <span>
#include <string>

namespace reckon::notify {

// What makes one sending unique and dated; both travel inside the signed bytes, so that a
// receiver can refuse a replayed or stale alert.
struct Envelope {
  std::string id;              // 32 hex digits (random_id)
  std::int64_t sent_at_ms = 0; // Unix milliseconds
};

// The alerts as the JSON document every machine sink receives (schema reckon.alert/v1):
// {"schema", "id", "sent_at", "alerts": [{"id", "name", "status", "previous_status",
// "runtime_days", "verdict", "control", "variant", "lift", "reasons"}]}. Compact, as APIs send
// bodies.
std::string alert_document(std::span<const Alert> alerts, const Envelope& envelope);

// A Slack message: Block Kit blocks (a header, per test its status, runtime, visitors,
// control against variant conversion, revenue per visitor and AOV with lift, and its reasons)
// and a plain `text` fallback naming every test, for notifications and old clients.
std::string slack_message(std::span<const Alert> alerts);

// The body that triggers an automation agent: {"input": <alert document>, "options":
// {"async": true}}; asynchronous, since nothing waits for the agent's output.
std::string agent_trigger_body(std::span<const Alert> alerts, const Envelope& envelope);

} // namespace reckon::notify
