#include "reckon/parse/intelligems.hpp"

#include "reckon/contract/intelligems.hpp"

#include "intelligems_analytics.hpp"
#include "intelligems_experience.hpp"
#include "intelligems_request.hpp"
#include "json_reader.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <iterator>
#include <map>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace reckon::parse {

namespace {

using detail::IntelligemsRequest;
using detail::JsonPath;
using detail::JsonReader;
using detail::SliceGroup;
using simdjson::dom::element;
using RequestKind = IntelligemsRequest::Kind;

constexpr std::string_view k_source = contract::intelligems::k_source;

// Reckon's canonical order of the audience dimensions.
constexpr std::array<std::string_view, 6> k_dimensions = {
    "device_type", "visitor_type", "source_channel",
    "source_site", "country_code", "landing_page_full_path"};

// Where a group of slices goes among an experiment's cells: overall, audience dimensions, days,
// then segments on days by date; members compare in that order.
struct GroupOrder {
  int kind = 0;
  std::string segment_day; // segments on days sort by date first
  std::size_t dimension_rank = 0;
  std::string dimension;
  std::string day;
  auto operator<=>(const GroupOrder&) const = default;
};

GroupOrder order_of(const SliceGroup& group) {
  GroupOrder order;
  order.kind = static_cast<int>(group.kind);
  // overall 0, audience 1, day 2, audience_day 3 (SliceGroup::Kind's order).
  if (group.kind == SliceGroup::Kind::audience_day) {
    order.segment_day = group.date;
  }
  order.dimension_rank = static_cast<std::size_t>(
      std::find(k_dimensions.begin(), k_dimensions.end(), group.dimension) - k_dimensions.begin());
  order.dimension = group.dimension;
  order.day = group.date;
  return order;
}

// The exchange chosen for one key, and what its request asked.
struct Chosen {
  std::size_t index = 0;
  IntelligemsRequest request;
};

// An experiment while its responses arrive.
struct Draft {
  model::Experiment experiment;
  std::map<GroupOrder, std::vector<model::CountsCell>> groups;
  std::vector<model::CountsCell> timeseries_days;
};

// A list entry and where it goes in the list across pages.
struct Listed {
  std::int64_t position;
  std::size_t index;
  model::Experiment experiment;
};

class IntelligemsParser {
public:
  IntelligemsParser(std::span<const contract::ApiExchange> exchanges,
                    const IntelligemsParseOptions& options)
      : m_exchanges(exchanges), m_note(options.on_skip), m_unreadable(options.on_unreadable) {}

  util::Result<model::Dataset> run();

private:
  using Reader = util::Result<void> (IntelligemsParser::*)(const Chosen&);

  util::Result<void> choose();
  util::Result<void> read_lists();
  util::Result<void> read_list_page(const Chosen& chosen);
  util::Result<void> read_detail(const Chosen& chosen);
  util::Result<void> read_analytics(const Chosen& chosen);
  // Reads every chosen exchange of these kinds with `read`: a response that fails is told to
  // on_unreadable and left out, or ends the parse when nobody listens.
  util::Result<void> read_each(std::initializer_list<RequestKind> kinds, Reader read);
  model::Dataset assemble();

  util::Result<element> parse_body(const contract::ApiExchange& exchange);
  void note(std::string_view origin, std::string_view reason) const {
    if (m_note) {
      m_note(origin, reason);
    }
  }
  Draft& draft_for(model::Experiment experiment);

  std::span<const contract::ApiExchange> m_exchanges;
  detail::SkipNote m_note;
  std::function<void(UnreadableResponse)> m_unreadable;
  detail::JsonDocuments m_documents;
  std::vector<Chosen> m_chosen; // in input order
  std::vector<Listed> m_listed;
  std::vector<Draft> m_drafts;
  std::unordered_map<std::string, std::size_t> m_draft_of;
};

util::Result<element> IntelligemsParser::parse_body(const contract::ApiExchange& exchange) {
  return m_documents.read(exchange.body, exchange.origin);
}

Draft& IntelligemsParser::draft_for(model::Experiment experiment) {
  const auto [found, added] = m_draft_of.try_emplace(experiment.id, m_drafts.size());
  if (added) {
    m_drafts.push_back({std::move(experiment), {}, {}});
  } else {
    m_drafts[found->second].experiment = std::move(experiment);
  }
  return m_drafts[found->second];
}

util::Result<void> IntelligemsParser::read_each(std::initializer_list<RequestKind> kinds,
                                                Reader read) {
  for (const Chosen& chosen : m_chosen) {
    if (std::find(kinds.begin(), kinds.end(), chosen.request.kind) == kinds.end()) {
      continue;
    }
    if (auto done = (this->*read)(chosen); !done) {
      if (!m_unreadable) {
        return done.error();
      }
      m_unreadable(
          {chosen.request.experience_id,
           detail::describe_intelligems_request(chosen.request, m_exchanges[chosen.index].request),
           done.error()});
    }
  }
  return {};
}

// Keeps the newest exchange of every key: a later fetch, or on a tie the later exchange. A
// request that cannot be classified cannot be read either.
util::Result<void> IntelligemsParser::choose() {
  std::unordered_map<std::string, std::size_t> by_key;
  for (std::size_t i = 0; i < m_exchanges.size(); ++i) {
    const contract::ApiExchange& exchange = m_exchanges[i];
    if (exchange.request.source != k_source || exchange.status != 200) {
      continue;
    }
    auto request = detail::classify_intelligems_request(exchange, m_documents);
    if (!request && !m_unreadable) {
      return request.error();
    }
    if (!request) {
      m_unreadable({"", exchange.request.method + " " + exchange.request.path, request.error()});
      continue;
    }
    if (request->kind == RequestKind::skipped) {
      note(exchange.origin, request->reason);
      continue;
    }
    const auto [found, added] = by_key.try_emplace(request->key, m_chosen.size());
    if (added) {
      m_chosen.push_back({i, std::move(*request)});
    } else if (exchange.fetched_at_ms >= m_exchanges[m_chosen[found->second].index].fetched_at_ms) {
      m_chosen[found->second] = {i, std::move(*request)};
    }
  }
  std::sort(m_chosen.begin(), m_chosen.end(),
            [](const Chosen& a, const Chosen& b) { return a.index < b.index; });
  return {};
}

// A page's items sit at (page - 1) * limit onwards, which also orders pages fetched with
// different page sizes. A page is taken whole or not at all.
util::Result<void> IntelligemsParser::read_list_page(const Chosen& chosen) {
  const contract::ApiExchange& exchange = m_exchanges[chosen.index];
  const auto root = parse_body(exchange);
  if (!root) {
    return root.error();
  }
  JsonReader r(exchange.origin, ": ", "");
  const JsonPath top;
  const auto body = r.object(*root, top);
  const auto list = body ? r.required(*body, "experiencesList", top) : std::nullopt;
  const JsonPath list_path = top.key("experiencesList");
  const auto items = list ? r.array(*list, list_path) : std::nullopt;
  if (!items) {
    return r.error();
  }
  std::int64_t page = chosen.request.page;
  std::int64_t limit = chosen.request.limit;
  for (const auto& [key, out] : {std::pair<std::string_view, std::int64_t*>{"page", &page},
                                 std::pair<std::string_view, std::int64_t*>{"limit", &limit}}) {
    if (const auto value = JsonReader::field(*body, key); value && !value->is_null()) {
      const auto number = r.count(*value, top.key(key));
      *out = number && *number > 0 ? static_cast<std::int64_t>(*number) : *out;
    }
  }
  std::int64_t position = (page - 1) * limit;
  std::vector<Listed> listed;
  std::size_t index = 0;
  for (const element item : *items) {
    auto experiment = detail::read_experience(r, item, list_path.index(index++));
    if (!experiment) {
      return r.error();
    }
    listed.push_back({position++, chosen.index, std::move(*experiment)});
  }
  std::move(listed.begin(), listed.end(), std::back_inserter(m_listed));
  return {};
}

// Experiments in list order across pages; an id listed twice keeps its first place.
util::Result<void> IntelligemsParser::read_lists() {
  if (auto read = read_each({RequestKind::experiences_list}, &IntelligemsParser::read_list_page);
      !read) {
    return read;
  }
  std::stable_sort(m_listed.begin(), m_listed.end(), [](const Listed& a, const Listed& b) {
    return std::tie(a.position, a.index) < std::tie(b.position, b.index);
  });
  for (Listed& entry : m_listed) {
    if (m_draft_of.count(entry.experiment.id) == 0) {
      draft_for(std::move(entry.experiment));
    }
  }
  return {};
}

// A detail replaces its list entry: it is the fuller answer about one experience.
util::Result<void> IntelligemsParser::read_detail(const Chosen& chosen) {
  const contract::ApiExchange& exchange = m_exchanges[chosen.index];
  const auto root = parse_body(exchange);
  if (!root) {
    return root.error();
  }
  JsonReader r(exchange.origin, ": ", "");
  const JsonPath top;
  const JsonPath wrapped = top.key("experience");
  const auto body = r.object(*root, top);
  if (!body) {
    return r.error();
  }
  // The detail comes wrapped, {"experience": {...}}; take the body itself otherwise.
  const auto inner = JsonReader::field(*body, "experience");
  const bool is_wrapped = inner && inner->is_object();
  auto experiment =
      detail::read_experience(r, is_wrapped ? *inner : *root, is_wrapped ? wrapped : top);
  if (!experiment) {
    return r.error();
  }
  draft_for(std::move(*experiment));
  return {};
}

util::Result<void> IntelligemsParser::read_analytics(const Chosen& chosen) {
  const contract::ApiExchange& exchange = m_exchanges[chosen.index];
  const auto root = parse_body(exchange);
  if (!root) {
    return root.error();
  }
  const std::string& id = chosen.request.experience_id;
  if (m_draft_of.count(id) == 0) {
    auto adopted = detail::experiment_from_analytics(exchange, *root, id);
    if (!adopted) {
      return adopted.error();
    }
    draft_for(std::move(*adopted));
  }
  Draft& draft = m_drafts[m_draft_of.at(id)];
  const std::vector<model::Variation>& variations = draft.experiment.variations;
  if (chosen.request.kind == RequestKind::timeseries) {
    auto days = detail::read_timeseries_cells(exchange, *root, variations, m_note);
    if (!days) {
      return days.error();
    }
    draft.timeseries_days = std::move(*days);
    return {};
  }
  auto cells =
      detail::read_resource_cells(exchange, *root, chosen.request.group, variations, m_note);
  if (!cells) {
    return cells.error();
  }
  draft.groups[order_of(chosen.request.group)] = std::move(*cells);
  return {};
}

// A day window describes its day better than the timeseries (it carries the statistics), so
// a timeseries day enters only where no window gave it.
model::Dataset IntelligemsParser::assemble() {
  model::Dataset dataset;
  dataset.experiments.reserve(m_drafts.size());
  for (Draft& draft : m_drafts) {
    for (model::CountsCell& day : draft.timeseries_days) {
      SliceGroup group;
      group.kind = SliceGroup::Kind::day;
      group.date = day.slice.segment;
      const auto [found, added] = draft.groups.try_emplace(order_of(group));
      if (added) {
        found->second.push_back(std::move(day));
      }
    }
    std::size_t count = 0;
    for (const auto& [order, cells] : draft.groups) {
      count += cells.size();
    }
    draft.experiment.cells.reserve(count);
    for (auto& [order, cells] : draft.groups) {
      std::move(cells.begin(), cells.end(), std::back_inserter(draft.experiment.cells));
    }
    dataset.experiments.push_back(std::move(draft.experiment));
  }
  return dataset;
}

util::Result<model::Dataset> IntelligemsParser::run() {
  if (auto chosen = choose(); !chosen) {
    return chosen.error();
  }
  if (auto lists = read_lists(); !lists) {
    return lists.error();
  }
  if (auto details = read_each({RequestKind::experience}, &IntelligemsParser::read_detail);
      !details) {
    return details.error();
  }
  if (auto analytics = read_each({RequestKind::resource, RequestKind::timeseries},
                                 &IntelligemsParser::read_analytics);
      !analytics) {
    return analytics.error();
  }
  return assemble();
}

} // namespace

util::Result<model::Dataset> parse_intelligems(std::span<const contract::ApiExchange> exchanges,
                                               const IntelligemsParseOptions& options) {
  IntelligemsParser parser(exchanges, options);
  return parser.run();
}

} // namespace reckon::parse
