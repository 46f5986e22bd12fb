#include "platform_parts.hpp"

#include "iso_time.hpp"

#include "reckon/contract/platform.hpp"
#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <cctype>

namespace reckon::parse::detail {
namespace {

using simdjson::dom::element;

std::optional<std::int64_t> read_time(JsonReader& r, simdjson::dom::object body,
                                      std::string_view key, const JsonPath& path) {
  const auto value = JsonReader::field(body, key);
  if (!value || value->is_null()) {
    return std::nullopt;
  }
  const JsonPath at = path.key(key);
  const auto text = r.string(*value, at);
  if (!text) {
    return std::nullopt;
  }
  const std::optional<std::int64_t> ms = parse_iso8601_ms(*text);
  if (!ms || !is_plausible_time_ms(*ms)) {
    r.fail(at, "expected an ISO 8601 time between 2000 and 2100, got " + quoted(*text));
    return std::nullopt;
  }
  return ms;
}

bool is_control_name(std::string_view name) {
  return name.size() == 7 && std::equal(name.begin(), name.end(), "control", [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

std::vector<model::Variation> read_variants(JsonReader& r, element value, const JsonPath& path) {
  std::vector<model::Variation> variations;
  const auto variants = r.array(value, path);
  if (!variants) {
    return variations;
  }
  std::size_t index = 0;
  for (const element item : *variants) {
    const JsonPath at = path.index(index++);
    const auto variant = r.object(item, at);
    const auto id = variant ? r.required(*variant, "id", at) : std::nullopt;
    const auto name = variant ? r.required(*variant, "name", at) : std::nullopt;
    if (!id || !name) {
      return {};
    }
    model::Variation variation;
    variation.id = std::string(r.label(*id, at.key("id")).value_or(""));
    variation.name = std::string(r.label(*name, at.key("name")).value_or(""));
    if (const auto share = JsonReader::field(*variant, "allocation"); share && !share->is_null()) {
      variation.allocation = r.number_in(*share, at.key("allocation"), 0.0, 100.0 + 1e-9);
    }
    variations.push_back(std::move(variation));
  }
  if (variations.size() < 2) {
    r.fail(path, "expected at least two variants");
    return {};
  }
  const auto control =
      std::find_if(variations.begin(), variations.end(),
                   [](const model::Variation& v) { return is_control_name(v.name); });
  (control == variations.end() ? variations.front() : *control).is_control = true;
  return variations;
}

std::string model_status(std::string_view status) {
  if (status == "ACTIVE") {
    return "started";
  }
  if (status == "PAUSED") {
    return "paused";
  }
  if (status == "COMPLETED") {
    return "ended";
  }
  return status == "DRAFT" ? "pending" : "archived";
}

} // namespace

PlatformRequest classify_platform_request(const contract::ApiRequest& request) {
  namespace platform = contract::platform;
  PlatformRequest kind;
  const std::string list = platform::experiments_list_path();
  if (request.method != "GET" || request.path.rfind(list, 0) != 0) {
    return kind;
  }
  if (request.path == list) {
    kind.kind = PlatformRequest::Kind::list;
    for (const auto& [name, value] : request.query) {
      if (name == "page") {
        kind.page = util::parse_unsigned(value).value_or(1);
      } else if (name == "status") {
        kind.status = value;
      }
    }
    return kind;
  }
  std::string_view rest = std::string_view(request.path).substr(list.size());
  if (rest.size() < 2 || rest.front() != '/') {
    return kind;
  }
  rest.remove_prefix(1);
  constexpr std::string_view k_results = "/results";
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    kind.kind = PlatformRequest::Kind::experiment;
    kind.experiment_id = std::string(rest);
  } else if (rest.substr(slash) == k_results && slash > 0) {
    kind.kind = PlatformRequest::Kind::results;
    kind.experiment_id = std::string(rest.substr(0, slash));
  }
  return kind;
}

std::optional<model::Experiment> read_platform_experiment(JsonReader& r, element value,
                                                          const JsonPath& path) {
  const auto body = r.object(value, path);
  if (!body) {
    return std::nullopt;
  }
  const auto id = r.required(*body, "id", path);
  const auto status = r.required(*body, "status", path);
  const auto variants = r.required(*body, "variants", path);
  if (!id || !status || !variants) {
    return std::nullopt;
  }
  model::Experiment experiment;
  experiment.source = std::string(contract::platform::k_source);
  experiment.id = std::string(r.label(*id, path.key("id")).value_or(""));
  const auto name = JsonReader::field(*body, "name");
  experiment.name = name && !name->is_null()
                        ? std::string(r.label(*name, path.key("name")).value_or(""))
                        : experiment.id;
  std::vector<std::pair<std::string_view, std::string_view>> statuses;
  for (const std::string_view known : contract::platform::k_statuses) {
    statuses.emplace_back(known, known);
  }
  experiment.status = model_status(r.one_of(*status, path.key("status"), statuses).value_or(""));
  experiment.started_at_ms = read_time(r, *body, "start_date", path);
  if (experiment.status == "ended") {
    experiment.ended_at_ms = read_time(r, *body, "end_date", path);
  }
  experiment.revenue_known = false;
  experiment.variations = read_variants(r, *variants, path.key("variants"));
  if (r.failed()) {
    return std::nullopt;
  }
  return experiment;
}

} // namespace reckon::parse::detail
