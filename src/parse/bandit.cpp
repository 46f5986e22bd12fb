#include "reckon/parse/bandit.hpp"

#include "reckon/contract/bandit.hpp"
#include "reckon/util/number_format.hpp"

#include "bandit_events.hpp"
#include "iso_time.hpp"
#include "json_reader.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace reckon::parse {

namespace {

namespace api = contract::bandit;
using detail::BanditEvent;
using detail::JsonPath;
using detail::JsonReader;
using simdjson::dom::element;

// The seed's example shows no control in the stored experiment; its create request marks one.
struct ExperimentDraft {
  model::Experiment experiment;
  std::string algorithm;
  std::string control_note; // set when the control had to be chosen
};

std::optional<std::uint64_t> offset_of(const contract::ApiRequest& request) {
  for (const auto& [key, value] : request.query) {
    if (key == "offset") {
      return util::parse_unsigned(value);
    }
  }
  return 0;
}

std::string text_member(JsonReader& r, simdjson::dom::object body, std::string_view key,
                        const JsonPath& path) {
  const auto field = JsonReader::field(body, key);
  return field && !field->is_null() ? std::string(r.string(*field, path.key(key)).value_or(""))
                                    : std::string();
}

std::vector<model::Variation> read_treatments(JsonReader& r, element value, const JsonPath& path,
                                              std::string& control_note) {
  std::vector<model::Variation> variations;
  const auto items = r.array(value, path);
  if (!items) {
    return {};
  }
  std::size_t index = 0;
  for (const element item : *items) {
    const JsonPath item_path = path.index(index++);
    const auto body = r.object(item, item_path);
    if (!body) {
      return {};
    }
    model::Variation variation;
    if (const auto id = r.required(*body, "id", item_path)) {
      variation.id = std::string(r.string(*id, item_path.key("id")).value_or(""));
    }
    variation.name = text_member(r, *body, "name", item_path);
    variation.name = variation.name.empty() ? variation.id : variation.name;
    if (const auto control = JsonReader::field(*body, "isControl");
        control && !control->is_null()) {
      variation.is_control = r.boolean(*control, item_path.key("isControl")).value_or(false);
    }
    if (r.failed()) {
      return {};
    }
    variations.push_back(std::move(variation));
  }
  if (variations.empty()) {
    r.fail(path, "lists no treatments");
    return {};
  }
  const auto control = std::find_if(variations.begin(), variations.end(),
                                    [](const model::Variation& v) { return v.is_control; });
  if (control == variations.end()) {
    variations.front().is_control = true;
    control_note = "no treatment is marked isControl, so the first, \"" + variations.front().name +
                   "\", is the control of P(beat control) and uplift";
  }
  for (auto other = control == variations.end() ? variations.end() : control + 1;
       other != variations.end(); ++other) {
    if (other->is_control) {
      other->is_control = false;
      control_note = "several treatments are marked isControl; the first, \"" + control->name +
                     "\", is the control of P(beat control) and uplift";
    }
  }
  return variations;
}

std::optional<ExperimentDraft> read_experiment(JsonReader& r, element value, const JsonPath& path) {
  const auto body = r.object(value, path);
  if (!body) {
    return std::nullopt;
  }
  ExperimentDraft draft;
  model::Experiment& experiment = draft.experiment;
  experiment.source = std::string(api::k_source);
  experiment.adaptive_allocation = true;
  experiment.primary_metric = "conversion_rate";
  if (const auto id = r.required(*body, "id", path)) {
    experiment.id = std::string(r.string(*id, path.key("id")).value_or(""));
  }
  experiment.name = text_member(r, *body, "name", path);
  experiment.name = experiment.name.empty() ? experiment.id : experiment.name;
  experiment.status = std::string(api::analysis_status(text_member(r, *body, "status", path)));
  draft.algorithm = text_member(r, *body, "algorithm", path);
  const std::string end = text_member(r, *body, "endAt", path);
  if (const auto treatments = r.required(*body, "treatments", path)) {
    experiment.variations =
        read_treatments(r, *treatments, path.key("treatments"), draft.control_note);
  }
  if (r.failed()) {
    return std::nullopt;
  }
  if (!end.empty()) {
    experiment.ended_at_ms = detail::parse_iso8601_ms(end);
    if (!experiment.ended_at_ms || !detail::is_plausible_time_ms(*experiment.ended_at_ms)) {
      r.fail(path.key("endAt"), "expected an ISO 8601 time with its zone between 2000 and 2100 "
                                "(got " +
                                    detail::quoted(end) + ")");
      return std::nullopt;
    }
  }
  return draft;
}

std::vector<ExperimentDraft> read_experiment_list(JsonReader& r, element value,
                                                  const JsonPath& path) {
  std::vector<ExperimentDraft> drafts;
  const auto items = r.array(value, path);
  if (!items) {
    return drafts;
  }
  std::size_t index = 0;
  for (const element item : *items) {
    const JsonPath item_path = path.index(index++);
    auto draft = read_experiment(r, item, item_path);
    if (!draft) {
      return {};
    }
    drafts.push_back(std::move(*draft));
  }
  return drafts;
}

std::string describe_tally(const BanditEventTally& tally) {
  std::string text = util::format_count(tally.events) + " events read from " +
                     util::format_count(tally.pages) + " pages";
  const std::pair<std::uint64_t, std::string_view> parts[] = {
      {tally.duplicates, " duplicates counted once"},
      {tally.without_assignment, " conversions without an assignment left out"},
      {tally.foreign, " events of another experiment or an unlisted treatment left out"},
      {tally.repeat_conversions, " repeat conversions added to revenue only"},
      {tally.other_types, " CLICK, VIEW or CUSTOM events not analysed"},
      {tally.users_in_several_treatments,
       " users assigned to several treatments, counted in each"}};
  for (const auto& [count, what] : parts) {
    if (count > 0) {
      text += "; " + util::format_count(count) + std::string(what);
    }
  }
  if (!tally.complete) {
    text += "; the stored pages stop before the empty page that ends the history, so the counts "
            "cover only the events read (fetch again to resume)";
  }
  return text;
}

std::vector<std::string> notes_of(const ExperimentDraft& draft, const BanditEventTally* tally) {
  std::vector<std::string> notes;
  notes.push_back("nothing reported to compare (reported: null): the bandit API gives no "
                  "statistics that can be read without side effects, as its confidence comes "
                  "only from calls that create assignments; every number is recomputed from the "
                  "raw events");
  if (!draft.control_note.empty()) {
    notes.push_back(draft.control_note);
  }
  if (!tally) {
    notes.push_back("no events stored: nothing to analyse");
    return notes;
  }
  notes.push_back("users are distinct userIds with an ASSIGNMENT, converters those with a "
                  "CONVERSION (repeat purchases add revenue, not conversions), each day holds "
                  "the users first assigned on it (UTC): " +
                  describe_tally(*tally));
  notes.push_back(
      "the allocation adapts (" + (draft.algorithm.empty() ? "a bandit" : draft.algorithm) +
      "), so no sample-ratio test applies, and per-arm rates are biased in the frequentist "
      "sense (an arm that ran unlucky early got less traffic to recover); the posteriors from "
      "the raw counts remain valid, so read P(best) and the uplift's credible interval, which "
      "stay wide for the arms the bandit starved");
  return notes;
}

// The envelope's `data`, or an error that says why there is none (a failed envelope quotes its
// `error`).
util::Result<element> envelope_data(detail::JsonDocuments& documents, std::string_view text,
                                    const std::string& origin) {
  auto root = documents.read(text, origin);
  if (!root) {
    return root.error();
  }
  JsonReader r(origin, ": ", "");
  const JsonPath path;
  const auto body = r.object(*root, path);
  std::optional<bool> success;
  if (body) {
    if (const auto flag = r.required(*body, "success", path)) {
      success = r.boolean(*flag, path.key("success"));
    }
  }
  if (!r.failed() && success == false) {
    const std::string said = text_member(r, *body, "error", path);
    r.fail(path.key("success"),
           "the API answered success false" + (said.empty() ? "" : ": " + detail::quoted(said)));
  }
  std::optional<element> data;
  if (!r.failed()) {
    data = r.required(*body, "data", path);
  }
  if (r.failed()) {
    return r.error();
  }
  return *data;
}

class BanditParser {
public:
  BanditParser(std::span<const contract::ApiExchange> exchanges, const BanditParseOptions& options)
      : m_exchanges(exchanges), m_options(options) {}

  util::Result<BanditData> run();

private:
  util::Result<element> data_of(const contract::ApiExchange& exchange);
  // False when the error ends the parse; otherwise it was told and the response is left out.
  bool tolerate(const contract::ApiExchange& exchange, util::Error error,
                std::string_view experiment_id);
  util::Result<void> read_experiments();
  util::Result<void> read_events(ExperimentDraft& draft, BanditData& data);

  std::span<const contract::ApiExchange> m_exchanges;
  const BanditParseOptions& m_options;
  detail::JsonDocuments m_documents;
  std::vector<ExperimentDraft> m_drafts;
  std::unordered_map<std::string, std::size_t> m_draft_of;
  util::Error m_error{util::ErrorCode::bad_input, {}, {}};
};

util::Result<element> BanditParser::data_of(const contract::ApiExchange& exchange) {
  return envelope_data(m_documents, exchange.body, exchange.origin);
}

bool BanditParser::tolerate(const contract::ApiExchange& exchange, util::Error error,
                            std::string_view experiment_id) {
  if (!m_options.on_unreadable) {
    m_error = std::move(error);
    return false;
  }
  m_options.on_unreadable(
      {std::string(experiment_id), exchange.request.method + " " + exchange.request.path, error});
  return true;
}

util::Result<void> BanditParser::read_experiments() {
  const contract::ApiExchange* list = nullptr;
  std::vector<const contract::ApiExchange*> details;
  for (const contract::ApiExchange& exchange : m_exchanges) {
    if (exchange.request.path == api::experiments_path()) {
      list = !list || exchange.fetched_at_ms >= list->fetched_at_ms ? &exchange : list;
    } else if (exchange.request.path.starts_with(api::experiment_path(""))) {
      details.push_back(&exchange);
    }
  }
  // Details after the list so that they replace its entries; the newest of each last.
  std::stable_sort(details.begin(), details.end(), [](const auto* a, const auto* b) {
    return a->fetched_at_ms < b->fetched_at_ms;
  });
  if (list) {
    details.insert(details.begin(), list);
  }
  for (const contract::ApiExchange* exchange : details) {
    auto data = data_of(*exchange);
    JsonReader r(exchange->origin, ": ", "");
    const JsonPath root;
    const JsonPath path = root.key("data");
    std::vector<ExperimentDraft> read;
    if (data && exchange == list) {
      read = read_experiment_list(r, *data, path);
    } else if (data) {
      if (auto draft = read_experiment(r, *data, path)) {
        read.push_back(std::move(*draft));
      }
    }
    if (!data || r.failed()) {
      if (!tolerate(*exchange, data ? r.error() : data.error(), {})) {
        return m_error;
      }
      continue;
    }
    for (ExperimentDraft& draft : read) {
      const auto [found, added] = m_draft_of.try_emplace(draft.experiment.id, m_drafts.size());
      if (added) {
        m_drafts.push_back(std::move(draft));
      } else {
        m_drafts[found->second] = std::move(draft);
      }
    }
  }
  return {};
}

util::Result<void> BanditParser::read_events(ExperimentDraft& draft, BanditData& data) {
  model::Experiment& experiment = draft.experiment;
  // The newest page at each offset (a tie to the later one).
  std::map<std::uint64_t, const contract::ApiExchange*> pages;
  const std::string path = api::events_path(experiment.id);
  for (const contract::ApiExchange& exchange : m_exchanges) {
    const std::optional<std::uint64_t> offset = offset_of(exchange.request);
    if (exchange.request.path != path || !offset) {
      continue;
    }
    auto [found, added] = pages.try_emplace(*offset, &exchange);
    if (!added && exchange.fetched_at_ms >= found->second->fetched_at_ms) {
      found->second = &exchange;
    }
  }
  if (pages.empty()) {
    experiment.source_notes = notes_of(draft, nullptr);
    return {};
  }
  BanditEventTally tally;
  tally.experiment_id = experiment.id;
  tally.complete = false;
  std::vector<BanditEvent> events;
  for (auto page = pages.find(0); page != pages.end();) {
    const contract::ApiExchange& exchange = *page->second;
    auto body = data_of(exchange);
    JsonReader r(exchange.origin, ": ", "");
    const JsonPath root;
    auto read = body ? detail::read_bandit_events(r, *body, root.key("data")) : std::nullopt;
    if (!read) {
      if (!tolerate(exchange, body ? r.error() : body.error(), experiment.id)) {
        return m_error;
      }
      break;
    }
    ++tally.pages;
    if (read->empty()) {
      tally.complete = true;
      break;
    }
    const std::uint64_t next = page->first + read->size();
    std::move(read->begin(), read->end(), std::back_inserter(events));
    page = pages.find(next);
  }
  detail::count_bandit_events(events, experiment, tally);
  for (const BanditEvent& event : events) {
    if (event.type == detail::BanditEventType::assignment) {
      experiment.started_at_ms =
          std::min(experiment.started_at_ms.value_or(event.at_ms), event.at_ms);
    }
  }
  for (model::CountsCell& cell : experiment.cells) {
    cell.origin = "GET " + path;
  }
  experiment.source_notes = notes_of(draft, &tally);
  data.tallies.push_back(std::move(tally));
  return {};
}

util::Result<BanditData> BanditParser::run() {
  std::vector<contract::ApiExchange> ours;
  for (const contract::ApiExchange& exchange : m_exchanges) {
    if (exchange.request.source == api::k_source && exchange.status == 200 &&
        exchange.request.method == "GET") {
      ours.push_back(exchange);
    }
  }
  m_exchanges = ours;
  if (auto listed = read_experiments(); !listed) {
    return listed.error();
  }
  BanditData data;
  for (ExperimentDraft& draft : m_drafts) {
    if (auto counted = read_events(draft, data); !counted) {
      return counted.error();
    }
    data.dataset.experiments.push_back(std::move(draft.experiment));
  }
  return data;
}

// The list's experiments, each checked as parse_bandit reads it.
util::Result<std::vector<ExperimentDraft>>
experiments_of(detail::JsonDocuments& documents, std::string_view body, const std::string& origin) {
  auto data = envelope_data(documents, body, origin);
  if (!data) {
    return data.error();
  }
  JsonReader r(origin, ": ", "");
  const JsonPath root;
  std::vector<ExperimentDraft> drafts = read_experiment_list(r, *data, root.key("data"));
  if (r.failed()) {
    return r.error();
  }
  return drafts;
}

util::Result<std::vector<BanditEvent>> events_of(detail::JsonDocuments& documents,
                                                 std::string_view body, const std::string& origin) {
  auto data = envelope_data(documents, body, origin);
  if (!data) {
    return data.error();
  }
  JsonReader r(origin, ": ", "");
  const JsonPath root;
  auto events = detail::read_bandit_events(r, *data, root.key("data"));
  if (!events) {
    return r.error();
  }
  return std::move(*events);
}

} // namespace

util::Result<void> check_bandit_response(const contract::ApiRequest& request,
                                         std::string_view body) {
  detail::JsonDocuments documents;
  const std::string origin = request.method + " " + request.path + ": body";
  if (request.path == api::experiments_path()) {
    auto drafts = experiments_of(documents, body, origin);
    return drafts ? util::Result<void>() : util::Result<void>(drafts.error());
  }
  if (request.path.starts_with(api::events_path(""))) {
    auto events = events_of(documents, body, origin);
    return events ? util::Result<void>() : util::Result<void>(events.error());
  }
  auto data = envelope_data(documents, body, origin);
  if (!data) {
    return data.error();
  }
  JsonReader r(origin, ": ", "");
  const JsonPath root;
  if (request.path.starts_with(api::experiment_path(""))) {
    read_experiment(r, *data, root.key("data"));
  } else {
    r.array(*data, root.key("data"));
  }
  return r.failed() ? util::Result<void>(r.error()) : util::Result<void>();
}

util::Result<std::vector<std::string>>
bandit_experiment_ids(const contract::ApiExchange& exchange) {
  detail::JsonDocuments documents;
  auto drafts = experiments_of(documents, exchange.body, exchange.origin);
  if (!drafts) {
    return drafts.error();
  }
  std::vector<std::string> ids;
  for (const ExperimentDraft& draft : *drafts) {
    ids.push_back(draft.experiment.id);
  }
  return ids;
}

util::Result<std::uint64_t> bandit_event_count(const contract::ApiExchange& exchange) {
  detail::JsonDocuments documents;
  auto events = events_of(documents, exchange.body, exchange.origin);
  if (!events) {
    return events.error();
  }
  return static_cast<std::uint64_t>(events->size());
}

util::Result<BanditData> parse_bandit(std::span<const contract::ApiExchange> exchanges,
                                      const BanditParseOptions& options) {
  return BanditParser(exchanges, options).run();
}

} // namespace reckon::parse
