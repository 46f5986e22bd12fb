#include "reckon/parse/platform.hpp"

#include "platform_parts.hpp"

#include "reckon/contract/platform.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace reckon::parse {
namespace {

using detail::JsonPath;
using detail::JsonReader;
using detail::PlatformRequest;
using Kind = PlatformRequest::Kind;
using simdjson::dom::element;

struct Chosen {
  const contract::ApiExchange* exchange;
  PlatformRequest request;
};

// A request's identity: what the store tells apart (method, path and query).
std::string identity(const contract::ApiRequest& request) {
  std::string text = request.method + ' ' + request.path;
  for (const auto& [name, value] : request.query) {
    text.append(1, '&').append(name).append(1, '=').append(value);
  }
  return text;
}

// The newest 200 answer to each platform request, in input order.
std::vector<Chosen> newest(std::span<const contract::ApiExchange> exchanges) {
  std::vector<Chosen> chosen;
  std::unordered_map<std::string, std::size_t> index_of;
  for (const contract::ApiExchange& exchange : exchanges) {
    if (exchange.request.source != contract::platform::k_source || exchange.status != 200) {
      continue;
    }
    const PlatformRequest request = detail::classify_platform_request(exchange.request);
    if (request.kind == Kind::other) {
      continue;
    }
    const auto [found, added] = index_of.try_emplace(identity(exchange.request), chosen.size());
    if (added) {
      chosen.push_back({&exchange, request});
    } else if (exchange.fetched_at_ms >= chosen[found->second].exchange->fetched_at_ms) {
      chosen[found->second] = {&exchange, request};
    }
  }
  return chosen;
}

std::string describe(const PlatformRequest& request) {
  switch (request.kind) {
  case Kind::list:
    return "experiments list page " + std::to_string(request.page);
  case Kind::experiment:
    return "experiment details";
  case Kind::results:
    return "results";
  case Kind::other:
    break;
  }
  return "response";
}

class PlatformParser {
public:
  PlatformParser(std::span<const contract::ApiExchange> exchanges,
                 const PlatformParseOptions& options)
      : m_chosen(newest(exchanges)), m_unreadable(options.on_unreadable) {}

  util::Result<model::Dataset> run() {
    // List pages first, by filter then page, so that the list order is the platform's.
    std::stable_sort(m_chosen.begin(), m_chosen.end(), [](const Chosen& a, const Chosen& b) {
      const auto rank = [](const Chosen& c) {
        return c.request.kind == Kind::list ? 0 : c.request.kind == Kind::experiment ? 1 : 2;
      };
      return std::tuple(rank(a), a.request.status, a.request.page) <
             std::tuple(rank(b), b.request.status, b.request.page);
    });
    for (const Chosen& chosen : m_chosen) {
      if (auto read = read_one(chosen); !read) {
        if (!m_unreadable) {
          return read.error();
        }
        m_unreadable({chosen.request.experiment_id, describe(chosen.request), read.error()});
      }
    }
    model::Dataset dataset;
    dataset.experiments = std::move(m_experiments);
    return dataset;
  }

private:
  util::Result<void> read_one(const Chosen& chosen) {
    const contract::ApiExchange& exchange = *chosen.exchange;
    auto root = m_documents.read(exchange.body, exchange.origin);
    if (!root) {
      return root.error();
    }
    JsonReader r(exchange.origin, ": ", "");
    const JsonPath top;
    const auto body = r.object(*root, top);
    const auto data = body ? r.required(*body, "data", top) : std::nullopt;
    if (!data) {
      return r.error();
    }
    const JsonPath data_path = top.key("data");
    if (chosen.request.kind == Kind::list) {
      return read_list(r, *data, data_path);
    }
    if (chosen.request.kind == Kind::experiment) {
      auto experiment = detail::read_platform_experiment(r, *data, data_path);
      if (!experiment) {
        return r.error();
      }
      add(std::move(*experiment), true);
      return {};
    }
    const auto found = m_index.find(chosen.request.experiment_id);
    if (found == m_index.end()) {
      return util::make_error(util::ErrorCode::bad_input, exchange.origin,
                              "results of experiment " + chosen.request.experiment_id +
                                  ", which no stored list page or experiment describes (fetch "
                                  "the experiments again)");
    }
    model::Experiment& experiment = m_experiments[found->second];
    auto cell = detail::read_platform_results(r, *data, data_path, experiment);
    if (!cell) {
      return r.error();
    }
    cell->origin = exchange.origin;
    experiment.cells = {std::move(*cell)};
    return {};
  }

  util::Result<void> read_list(JsonReader& r, element data, const JsonPath& path) {
    const auto items = r.array(data, path);
    if (!items) {
      return r.error();
    }
    std::size_t index = 0;
    for (const element item : *items) {
      auto experiment = detail::read_platform_experiment(r, item, path.index(index++));
      if (!experiment) {
        return r.error();
      }
      add(std::move(*experiment), false);
    }
    return {};
  }

  // A detail replaces the list's entry; a list entry never replaces what is known.
  void add(model::Experiment experiment, bool detail) {
    const auto [found, added] = m_index.try_emplace(experiment.id, m_experiments.size());
    if (added) {
      m_experiments.push_back(std::move(experiment));
    } else if (detail) {
      m_experiments[found->second] = std::move(experiment);
    }
  }

  std::vector<Chosen> m_chosen;
  std::function<void(UnreadableResponse)> m_unreadable;
  detail::JsonDocuments m_documents;
  std::vector<model::Experiment> m_experiments;
  std::unordered_map<std::string, std::size_t> m_index;
};

} // namespace

util::Result<model::Dataset> parse_platform(std::span<const contract::ApiExchange> exchanges,
                                            const PlatformParseOptions& options) {
  return PlatformParser(exchanges, options).run();
}

util::Result<PlatformPageMeta> read_platform_meta(std::string_view body,
                                                  const std::string& origin) {
  detail::JsonDocuments documents;
  auto root = documents.read(body, origin);
  if (!root) {
    return root.error();
  }
  JsonReader r(origin, ": ", "");
  const JsonPath top;
  const JsonPath meta_path = top.key("meta");
  const auto document = r.object(*root, top);
  const auto meta = document ? JsonReader::field(*document, "meta") : std::nullopt;
  PlatformPageMeta read;
  if (!meta || meta->is_null()) {
    return r.failed() ? util::Result<PlatformPageMeta>(r.error()) : read;
  }
  const auto members = r.object(*meta, meta_path);
  if (!members) {
    return r.error();
  }
  const auto member = [&](std::string_view key) -> std::optional<std::uint64_t> {
    const auto value = JsonReader::field(*members, key);
    return value && !value->is_null() ? r.count(*value, meta_path.key(key)) : std::nullopt;
  };
  read.page = member("page");
  read.limit = member("limit");
  read.pages = member("pages");
  read.total = member("total");
  if (r.failed()) {
    return r.error();
  }
  return read;
}

util::Result<void> check_platform_response(const contract::ApiRequest& request,
                                           std::string_view body, const std::string& origin) {
  const PlatformRequest kind = detail::classify_platform_request(request);
  if (kind.kind != Kind::results) {
    contract::ApiExchange exchange{request, 200, 0, std::string(body), origin};
    auto parsed = parse_platform(std::span(&exchange, 1));
    return parsed ? util::Result<void>{} : util::Result<void>{parsed.error()};
  }
  // Results are read against their experiment; alone, against a stand-in whose variants are
  // the ones its sample_size names.
  detail::JsonDocuments documents;
  auto root = documents.read(body, origin);
  if (!root) {
    return root.error();
  }
  JsonReader r(origin, ": ", "");
  const JsonPath top;
  const JsonPath data_path = top.key("data");
  const auto document = r.object(*root, top);
  const auto data = document ? r.required(*document, "data", top) : std::nullopt;
  const auto data_body = data ? r.object(*data, data_path) : std::nullopt;
  const auto sizes = data_body ? r.required(*data_body, "sample_size", data_path) : std::nullopt;
  const auto sizes_body = sizes ? r.object(*sizes, data_path.key("sample_size")) : std::nullopt;
  if (!sizes_body) {
    return r.error();
  }
  model::Experiment stand_in;
  for (const auto field : *sizes_body) {
    stand_in.variations.push_back({std::string(field.key), std::string(field.key), false, {}});
  }
  if (!detail::read_platform_results(r, *data, data_path, stand_in) && r.failed()) {
    return r.error();
  }
  return {};
}

} // namespace reckon::parse
