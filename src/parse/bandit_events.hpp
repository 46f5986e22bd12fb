#pragma once

#include "reckon/model/experiment.hpp"
#include "reckon/parse/bandit.hpp"

#include "json_reader.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace reckon::parse::detail {

enum class BanditEventType { assignment, conversion, other };

// One raw event of `GET /events/{id}`, as the API gave it.
struct BanditEvent {
  std::string id;
  BanditEventType type = BanditEventType::other;
  std::string experiment_id;
  std::string treatment_id;
  std::string user_id;
  std::string assignment_id; // top-level, else metadata.assignmentId; empty when neither
  std::optional<double> value;
  std::int64_t at_ms = 0;
};

// The events of one page's `data` array, or nullopt once `r` has failed.
std::optional<std::vector<BanditEvent>>
read_bandit_events(JsonReader& r, simdjson::dom::element data, const JsonPath& path);

// The experiment's cells (overall, then its days) from its events in page order, and what the
// tally found besides the counts (parse_bandit says how events are counted).
void count_bandit_events(std::span<const BanditEvent> events, model::Experiment& experiment,
                         BanditEventTally& tally);

} // namespace reckon::parse::detail
