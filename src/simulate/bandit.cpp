// Bandit experimentation API (seed 004) response bodies: the experiments, each experiment and
// its raw events paged by limit and offset. No assignment: asking for one creates it, which a
// re-analysis never does (contract/bandit.hpp).
#include "output.hpp"

#include "reckon/contract/bandit.hpp"
#include "reckon/util/calendar.hpp"
#include "reckon/util/json_writer.hpp"

#include <algorithm>

namespace reckon::simulate::detail {

namespace {

using model::Scenario;
using model::ScenarioExperiment;
using util::JsonWriter;
namespace api = contract::bandit;

constexpr auto k_compact = JsonWriter::Layout::compact;

// The seed's response example spells statuses in lower case ("draft").
std::string_view bandit_status(model::ScenarioStatus status) {
  switch (status) {
  case model::ScenarioStatus::pending:
    return "draft";
  case model::ScenarioStatus::started:
    return "active";
  case model::ScenarioStatus::paused:
    return "paused";
  case model::ScenarioStatus::ended:
    return "completed";
  }
  return "active";
}

void write_experiment(JsonWriter& json, const Scenario& scenario,
                      const ScenarioExperiment& experiment) {
  const SourceIds ids = source_ids(scenario, experiment);
  const Lifecycle times = lifecycle(scenario, experiment);
  json.begin_object();
  json.key("id").value(ids.experiment);
  json.key("name").value(experiment.name);
  json.key("description").value(experiment.description);
  json.key("algorithm").value(experiment.algorithm);
  json.key("contentType").value("PLAIN_TEXT");
  json.key("algorithmConfig").begin_object().end_object();
  json.key("assignmentTtl").value(86'400);
  json.key("status").value(bandit_status(experiment.status));
  json.key("createdAt").value(util::utc_millis_text(times.created_ms));
  json.key("updatedAt").value(util::utc_millis_text(times.last_update_ms));
  json.key("endAt");
  times.ended_ms ? json.value(util::utc_millis_text(*times.ended_ms)) : json.null();
  json.key("treatments").begin_array();
  for (std::size_t arm = 0; arm < experiment.variations.size(); ++arm) {
    json.begin_object();
    json.key("id").value(ids.variations[arm]);
    json.key("name").value(experiment.variations[arm].name);
    json.key("description").null();
    json.key("config").begin_object().key("content").value(experiment.variations[arm].name);
    json.end_object();
    json.key("weight").value(1.0);
    json.key("isControl").value(experiment.variations[arm].is_control);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

struct Event {
  std::int64_t at_ms = 0;
  std::uint64_t user = 0;
  std::size_t arm = 0;
  bool conversion = false;
  std::uint64_t value_cents = 0;
};

// Every body ends with the response's timestamp.
std::string finish_envelope(JsonWriter& json, const std::string& stamp) {
  json.key("timestamp").value(stamp);
  json.end_object();
  return json.finish();
}

// Every user's assignment, and a conversion for each buyer, in time order.
std::vector<Event> events_of(const ExperimentSimulation& simulation) {
  std::vector<Event> events;
  for (const BanditUser& user : simulation.users) {
    events.push_back({user.assigned_at_ms, user.index, user.arm, false, 0});
    if (user.converted_at_ms != 0) {
      events.push_back({user.converted_at_ms, user.index, user.arm, true, user.value_cents});
    }
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.at_ms < b.at_ms; });
  return events;
}

void write_event(JsonWriter& json, const Scenario& scenario, const SourceIds& ids,
                 const Event& event) {
  const std::string user = "user_" + std::to_string(event.user);
  const std::string assignment =
      stable_hex_id("asgn_", 8, {scenario.store.name, ids.experiment, user});
  json.begin_object();
  json.key("id").value(stable_hex_id(
      "evt_", 10,
      {scenario.store.name, ids.experiment, user, event.conversion ? "conversion" : "assignment"}));
  json.key("experimentId").value(ids.experiment);
  json.key("treatmentId").value(ids.variations[event.arm]);
  json.key("userId").value(user);
  json.key("eventType").value(event.conversion ? "CONVERSION" : "ASSIGNMENT");
  json.key("value");
  event.conversion ? json.value(static_cast<double>(event.value_cents) / 100.0) : json.null();
  json.key("metadata").begin_object().key("assignmentId").value(assignment).end_object();
  json.key("timestamp").value(util::utc_millis_text(event.at_ms));
  json.end_object();
}

// The raw events, paged as a client paging by offset reads them: until the first empty page.
void write_events(const Scenario& scenario, const SourceIds& ids, const std::vector<Event>& events,
                  const std::string& stamp, Output& output) {
  const std::uint64_t limit = scenario.pagination.bandit_events;
  const std::uint64_t total = events.size();
  for (std::uint64_t offset = 0;; offset = std::min(total, offset + limit)) {
    JsonWriter json(k_compact);
    json.begin_object();
    json.key("success").value(true);
    json.key("data").begin_array();
    for (std::uint64_t i = offset; i < std::min(total, offset + limit); ++i) {
      write_event(json, scenario, ids, events[i]);
    }
    json.end_array();
    output.add(
        "bandit/events/" + ids.experiment + ".offset-" + std::to_string(offset) + ".json",
        finish_envelope(json, stamp),
        contract::ApiRequest{std::string(api::k_source),
                             "GET",
                             api::events_path(ids.experiment),
                             {{"limit", std::to_string(limit)}, {"offset", std::to_string(offset)}},
                             {}});
    if (offset == total) {
      break;
    }
  }
}

} // namespace

void write_bandit(const Scenario& scenario, const Simulation& simulation, Output& output) {
  std::vector<std::size_t> listed;
  for (std::size_t e = 0; e < scenario.experiments.size(); ++e) {
    if (scenario.experiments[e].source == model::ScenarioSource::bandit) {
      listed.push_back(e);
    }
  }
  if (listed.empty()) {
    return;
  }
  const std::string stamp = util::utc_millis_text(scenario.as_of_seconds * 1000);
  {
    JsonWriter json(k_compact);
    json.begin_object();
    json.key("success").value(true);
    json.key("data").begin_array();
    for (const std::size_t e : listed) {
      write_experiment(json, scenario, scenario.experiments[e]);
    }
    json.end_array();
    output.add(
        "bandit/experiments.json", finish_envelope(json, stamp),
        contract::ApiRequest{std::string(api::k_source), "GET", api::experiments_path(), {}, {}});
  }
  for (const std::size_t e : listed) {
    const ScenarioExperiment& experiment = scenario.experiments[e];
    const SourceIds ids = source_ids(scenario, experiment);
    {
      JsonWriter json(k_compact);
      json.begin_object();
      json.key("success").value(true);
      json.key("data");
      write_experiment(json, scenario, experiment);
      output.add(
          "bandit/experiments/" + ids.experiment + ".json", finish_envelope(json, stamp),
          contract::ApiRequest{
              std::string(api::k_source), "GET", api::experiment_path(ids.experiment), {}, {}});
    }
    if (experiment.status == model::ScenarioStatus::pending) {
      continue;
    }
    write_events(scenario, ids, events_of(simulation.experiments[e]), stamp, output);
  }
}

} // namespace reckon::simulate::detail
