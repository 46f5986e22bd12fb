#include "support/intelligems_requests.hpp"

#include "reckon/contract/intelligems.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace reckon::test {
namespace {

template <std::size_t N>
bool one_of(std::string_view value, const std::array<std::string_view, N>& allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool positive_integer_text(std::string_view text) {
  return all_digits(text) && text.front() != '0' && text.size() <= 9;
}

// The field's value, treating an explicit null as absent.
const std::string* present(const JsonFields& fields, std::string_view key) {
  const auto it = fields.find(key);
  return it == fields.end() || it->second == "null" ? nullptr : &it->second;
}

void check_seconds(const JsonFields& fields, std::string_view name,
                   std::vector<FieldError>& errors) {
  const std::string* text = present(fields, name);
  if (text == nullptr) {
    return;
  }
  const auto value = json_string_value(*text);
  if (!value || value->size() != 10 || !all_digits(*value)) {
    errors.push_back(
        {std::string(name), std::string(name) + " must be a 10-digit Unix timestamp in seconds"});
  }
}

template <std::size_t N>
void check_enum(const JsonFields& fields, std::string_view name,
                const std::array<std::string_view, N>& allowed, std::vector<FieldError>& errors) {
  const std::string* text = present(fields, name);
  if (text == nullptr) {
    return;
  }
  const auto value = json_string_value(*text);
  if (!value || !one_of(*value, allowed)) {
    std::string message = std::string(name) + " must be one of ";
    for (std::size_t i = 0; i < N; ++i) {
      message += i == 0 ? "" : ", ";
      message += allowed[i];
    }
    errors.push_back({std::string(name), message});
  }
}

constexpr std::array<std::string_view, 3> k_views{"overview", "audience", "post_test"};
constexpr std::array<std::string_view, 4> k_statuses{"pending", "started", "ended", "paused"};
constexpr std::array<std::string_view, 2> k_categories{"experiment", "personalization"};
constexpr std::array<std::string_view, 6> k_modules{"content", "checkout",      "postPurchase",
                                                    "pricing", "merchandising", "shipping"};
constexpr std::array<std::string_view, 4> k_granularities{"hour", "day", "week", "month"};
constexpr std::array<std::string_view, 2> k_modes{"cumulative", "noncumulative"};
constexpr std::array<std::string_view, 7> k_timeseries_metrics{"conversion_rate",
                                                               "net_revenue_per_visitor",
                                                               "gross_profit_per_visitor",
                                                               "aov",
                                                               "n_visitors",
                                                               "n_orders",
                                                               "net_revenue"};

} // namespace

std::vector<FieldError> validate_list_query(const QueryParams& query) {
  std::vector<FieldError> errors;
  for (const std::string_view name : {"page", "limit"}) {
    const auto it = query.find(name);
    if (it != query.end() && !positive_integer_text(it->second)) {
      errors.push_back({std::string(name),
                        std::string(name) + " must be an integer greater than or equal to 1"});
    }
  }
  JsonFields as_fields;
  for (const auto& [name, value] : query) {
    as_fields.emplace(name, json_quote(value));
  }
  check_enum(as_fields, "status", k_statuses, errors);
  check_enum(as_fields, "category", k_categories, errors);
  check_enum(as_fields, "module", k_modules, errors);
  return errors;
}

std::vector<FieldError> validate_resource_request(const JsonFields& fields,
                                                  std::string_view start_name,
                                                  std::string_view end_name) {
  std::vector<FieldError> errors;
  std::optional<std::string> view = "overview";
  if (const std::string* text = present(fields, "view")) {
    view = json_string_value(*text);
    if (!view || !one_of(*view, k_views)) {
      errors.push_back({"view", "view must be one of overview, audience, post_test"});
      view.reset();
    }
  }
  const std::string* audience = present(fields, "audience");
  if (audience != nullptr && !json_string_value(*audience)) {
    errors.push_back({"audience", "audience must be a string"});
  } else if (view == "audience" && (audience == nullptr || *audience == "\"\"")) {
    errors.push_back({"audience", "audience is required when view is audience"});
  } else if (view == "overview" && audience != nullptr) {
    errors.push_back({"audience", "audience is not allowed when view is overview"});
  }
  check_seconds(fields, start_name, errors);
  check_seconds(fields, end_name, errors);
  if (const std::string* text = present(fields, "topN")) {
    const auto top = json_integer_value(*text);
    if (!top || *top < 1 || *top > contract::intelligems::k_max_top_n) {
      errors.push_back({"topN", "topN must be an integer from 1 to 1000"});
    } else if (view && view != "audience") {
      errors.push_back({"topN", "topN is only allowed when view is audience"});
    }
  }
  return errors;
}

std::vector<FieldError> validate_timeseries_request(const JsonFields& fields) {
  std::vector<FieldError> errors;
  check_seconds(fields, "startTs", errors);
  check_seconds(fields, "endTs", errors);
  check_enum(fields, "granularity", k_granularities, errors);
  check_enum(fields, "mode", k_modes, errors);
  if (const std::string* text = present(fields, "metrics")) {
    const auto metrics = json_string_array(*text);
    const bool known = metrics && !metrics->empty() &&
                       std::all_of(metrics->begin(), metrics->end(), [](const std::string& metric) {
                         return one_of(metric, k_timeseries_metrics);
                       });
    if (!known) {
      errors.push_back({"metrics", "metrics must be a non-empty list of known metrics"});
    }
  }
  return errors;
}

JsonFields resource_query_fields(const QueryParams& query) {
  JsonFields fields;
  for (const auto& [name, value] : query) {
    const bool number = name == "topN" && all_digits(value) && value.size() <= 9;
    fields.emplace(name, number ? std::to_string(std::stol(value)) : json_quote(value));
  }
  return fields;
}

JsonFields resource_query_as_body(JsonFields fields) {
  for (const auto& [from, to] : {std::pair{"start", "startTs"}, std::pair{"end", "endTs"}}) {
    if (auto node = fields.extract(from)) {
      node.key() = to;
      fields.insert(std::move(node));
    }
  }
  fields.try_emplace("view", json_quote("overview"));
  return fields;
}

std::string validation_error_body(const std::vector<FieldError>& errors) {
  std::vector<std::string> order;
  std::map<std::string, std::string, std::less<>> messages;
  for (const FieldError& error : errors) {
    auto [it, added] = messages.try_emplace(error.field);
    if (added) {
      order.push_back(error.field);
    }
    if (!it->second.empty()) {
      it->second += ',';
    }
    it->second += json_quote(error.message);
  }
  std::string body = R"({"errors":[],"properties":{)";
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i != 0) {
      body += ',';
    }
    body += json_quote(order[i]);
    body += R"(:{"errors":[)";
    body += messages[order[i]];
    body += "]}";
  }
  return body + "}}";
}

std::string request_error_body(std::string_view message) {
  return R"({"errors":[)" + json_quote(message) + R"(],"properties":{}})";
}

} // namespace reckon::test
