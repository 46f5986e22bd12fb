#include "bandit_events.hpp"

#include "iso_time.hpp"

#include "reckon/util/calendar.hpp"

#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace reckon::parse::detail {

namespace {

using simdjson::dom::element;

// The text of an optional string member: empty when absent or null.
std::string optional_text(JsonReader& r, simdjson::dom::object body, std::string_view key,
                          const JsonPath& path) {
  const auto field = JsonReader::field(body, key);
  if (!field || field->is_null()) {
    return {};
  }
  return std::string(r.string(*field, path.key(key)).value_or(""));
}

std::string required_text(JsonReader& r, simdjson::dom::object body, std::string_view key,
                          const JsonPath& path) {
  if (const auto field = r.required(body, key, path)) {
    return std::string(r.string(*field, path.key(key)).value_or(""));
  }
  return {};
}

std::optional<BanditEvent> read_event(JsonReader& r, element value, const JsonPath& path) {
  const auto body = r.object(value, path);
  if (!body) {
    return std::nullopt;
  }
  BanditEvent event;
  event.id = required_text(r, *body, "id", path);
  event.experiment_id = required_text(r, *body, "experimentId", path);
  event.treatment_id = optional_text(r, *body, "treatmentId", path);
  event.user_id = optional_text(r, *body, "userId", path);
  event.assignment_id = optional_text(r, *body, "assignmentId", path);
  if (const auto metadata = JsonReader::field(*body, "metadata");
      metadata && metadata->is_object() && event.assignment_id.empty()) {
    const JsonPath metadata_path = path.key("metadata");
    event.assignment_id = optional_text(r, *metadata, "assignmentId", metadata_path);
  }
  if (const auto type = r.required(*body, "eventType", path)) {
    event.type = r.one_of<BanditEventType>(*type, path.key("eventType"),
                                           {{"ASSIGNMENT", BanditEventType::assignment},
                                            {"CONVERSION", BanditEventType::conversion},
                                            {"CLICK", BanditEventType::other},
                                            {"VIEW", BanditEventType::other},
                                            {"CUSTOM", BanditEventType::other}})
                     .value_or(BanditEventType::other);
  }
  if (const auto amount = JsonReader::field(*body, "value")) {
    event.value = r.number_or_null(*amount, path.key("value"));
  }
  const std::string stamp = required_text(r, *body, "timestamp", path);
  if (r.failed()) {
    return std::nullopt;
  }
  const std::optional<std::int64_t> at = parse_iso8601_ms(stamp);
  if (!at || !is_plausible_time_ms(*at)) {
    r.fail(path.key("timestamp"),
           "expected an ISO 8601 time with its zone between 2000 and 2100 (got " +
               detail::quoted(stamp) + ")");
    return std::nullopt;
  }
  event.at_ms = *at;
  return event;
}

// One user in one treatment.
struct Participant {
  std::int64_t first_assigned_ms = 0;
  std::uint64_t conversions = 0;
  double revenue = 0.0;
};

using ParticipantKey = std::pair<std::size_t, std::string>; // treatment index, userId

// An event's content apart from its id: the same content twice is one event sent twice.
using EventContent =
    std::tuple<int, std::string, std::string, std::string, std::optional<double>, std::int64_t>;

EventContent content_of(const BanditEvent& event) {
  return {static_cast<int>(event.type),
          event.assignment_id,
          event.treatment_id,
          event.user_id,
          event.value,
          event.at_ms};
}

class EventCounter {
public:
  EventCounter(const model::Experiment& experiment, BanditEventTally& tally)
      : m_experiment(experiment), m_tally(tally) {
    for (std::size_t arm = 0; arm < experiment.variations.size(); ++arm) {
      m_arm_of.emplace(experiment.variations[arm].id, arm);
    }
  }

  // Assignments first, so that a conversion listed before its assignment still finds it.
  void read(std::span<const BanditEvent> events) {
    std::vector<const BanditEvent*> conversions;
    for (const BanditEvent& event : events) {
      ++m_tally.events;
      if (!is_new(event)) {
        ++m_tally.duplicates;
        continue;
      }
      const auto arm = m_arm_of.find(event.treatment_id);
      if (event.type == BanditEventType::other) {
        ++m_tally.other_types;
      } else if (event.type == BanditEventType::conversion) {
        conversions.push_back(&event);
      } else if (event.experiment_id != m_experiment.id || arm == m_arm_of.end() ||
                 event.user_id.empty()) {
        ++m_tally.foreign;
      } else {
        assign(arm->second, event);
      }
    }
    for (const BanditEvent* event : conversions) {
      convert(*event);
    }
  }

  std::vector<model::CountsCell> cells() const;

private:
  bool is_new(const BanditEvent& event) {
    const bool new_id = event.id.empty() || m_ids.insert(event.id).second;
    return m_contents.insert(content_of(event)).second && new_id;
  }

  void assign(std::size_t arm, const BanditEvent& event) {
    const auto [found, added] =
        m_participants.try_emplace({arm, event.user_id}, Participant{event.at_ms, 0, 0.0});
    if (!added) {
      found->second.first_assigned_ms = std::min(found->second.first_assigned_ms, event.at_ms);
    }
    std::set<std::size_t>& arms = m_arms_of_user[event.user_id];
    arms.insert(arm);
    if (arms.size() == 2) {
      ++m_tally.users_in_several_treatments;
    }
    if (!event.assignment_id.empty()) {
      m_assignments.try_emplace(event.assignment_id, arm, event.user_id);
    }
  }

  // The participant a conversion belongs to: by its assignment, else by the legacy triplet.
  Participant* owner(const BanditEvent& event) {
    if (const auto assigned = m_assignments.find(event.assignment_id);
        !event.assignment_id.empty() && assigned != m_assignments.end()) {
      return &m_participants.at(assigned->second);
    }
    const auto arm = m_arm_of.find(event.treatment_id);
    if (event.experiment_id != m_experiment.id || arm == m_arm_of.end()) {
      return nullptr;
    }
    const auto found = m_participants.find({arm->second, event.user_id});
    return found == m_participants.end() ? nullptr : &found->second;
  }

  void convert(const BanditEvent& event) {
    Participant* participant = owner(event);
    if (!participant) {
      ++m_tally.without_assignment;
      return;
    }
    if (participant->conversions > 0) {
      ++m_tally.repeat_conversions;
    }
    ++participant->conversions;
    participant->revenue += event.value.value_or(0.0);
  }

  const model::Experiment& m_experiment;
  BanditEventTally& m_tally;
  std::unordered_map<std::string, std::size_t> m_arm_of;
  std::unordered_set<std::string> m_ids;
  std::set<EventContent> m_contents;
  std::map<ParticipantKey, Participant> m_participants;
  std::unordered_map<std::string, std::set<std::size_t>> m_arms_of_user;
  std::unordered_map<std::string, ParticipantKey> m_assignments;
};

std::vector<model::ArmCounts> empty_arms(const model::Experiment& experiment) {
  std::vector<model::ArmCounts> arms(experiment.variations.size());
  for (std::size_t arm = 0; arm < arms.size(); ++arm) {
    arms[arm].variation_id = experiment.variations[arm].id;
    arms[arm].revenue_sq = 0.0;
  }
  return arms;
}

void add(model::ArmCounts& counts, const Participant& participant) {
  ++counts.visitors;
  if (participant.conversions > 0) {
    ++counts.conversions;
    counts.revenue += participant.revenue;
    *counts.revenue_sq += participant.revenue * participant.revenue;
  }
}

std::vector<model::CountsCell> EventCounter::cells() const {
  model::CountsCell overall{model::Slice::overall(), empty_arms(m_experiment), {}};
  std::map<std::string, std::vector<model::ArmCounts>> days;
  for (const auto& [key, participant] : m_participants) {
    add(overall.arms[key.first], participant);
    const std::string date = util::utc_millis_text(participant.first_assigned_ms).substr(0, 10);
    auto day = days.try_emplace(date, empty_arms(m_experiment)).first;
    add(day->second[key.first], participant);
  }
  std::vector<model::CountsCell> cells;
  if (m_participants.empty()) {
    return cells;
  }
  cells.push_back(std::move(overall));
  for (auto& [date, arms] : days) {
    cells.push_back({{"day", date, {}}, std::move(arms), {}});
  }
  return cells;
}

} // namespace

std::optional<std::vector<BanditEvent>>
read_bandit_events(JsonReader& r, simdjson::dom::element data, const JsonPath& path) {
  const auto items = r.array(data, path);
  if (!items) {
    return std::nullopt;
  }
  std::vector<BanditEvent> events;
  std::size_t index = 0;
  for (const element item : *items) {
    const JsonPath item_path = path.index(index++);
    std::optional<BanditEvent> event = read_event(r, item, item_path);
    if (!event) {
      return std::nullopt;
    }
    events.push_back(std::move(*event));
  }
  return events;
}

void count_bandit_events(std::span<const BanditEvent> events, model::Experiment& experiment,
                         BanditEventTally& tally) {
  EventCounter counter(experiment, tally);
  counter.read(events);
  experiment.cells = counter.cells();
}

} // namespace reckon::parse::detail
