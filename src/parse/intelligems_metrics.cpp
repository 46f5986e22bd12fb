#include "intelligems_metrics.hpp"

#include <string>

namespace reckon::parse::detail {

namespace {

using simdjson::dom::element;

constexpr std::string_view k_visitors = "n_visitors";
constexpr std::string_view k_orders = "n_orders";
constexpr std::string_view k_revenue = "net_revenue";
constexpr std::string_view k_profit = "gross_profit";

bool is_count_key(std::string_view key) {
  return key == k_visitors || key == k_orders || key == k_revenue || key == k_profit;
}

// The `value` member of a {value} metric that must hold a number.
std::optional<element> required_value(JsonReader& r, element metric, const JsonPath& path) {
  const auto body = r.object(metric, path);
  if (!body) {
    return std::nullopt;
  }
  return r.required(*body, "value", path);
}

void read_uplift(JsonReader& r, element value, const JsonPath& path,
                 std::optional<model::ReportedUplift>& out, bool& any_number) {
  if (value.is_null()) {
    return;
  }
  const auto body = r.object(value, path);
  if (!body) {
    return;
  }
  model::ReportedUplift uplift;
  for (const auto [key, member] : *body) {
    std::optional<double>* field = nullptr;
    if (key == "value") {
      field = &uplift.value;
    } else if (key == "ci_low") {
      field = &uplift.ci_low;
    } else if (key == "ci_high") {
      field = &uplift.ci_high;
    } else if (key == "plus_minus") {
      field = &uplift.plus_minus;
    } else {
      continue;
    }
    *field = r.number_or_null(member, path.key(key));
    any_number = any_number || field->has_value();
  }
  out = uplift;
}

} // namespace

std::optional<model::ReportedMetric> read_reported_metric(JsonReader& r, std::string_view name,
                                                          element value, const JsonPath& path,
                                                          bool& bare_value) {
  model::ReportedMetric metric;
  metric.name = std::string(name);
  bare_value = true;
  if (value.is_null()) {
    metric.whole_null = true;
    return metric;
  }
  const auto body = r.object(value, path);
  if (!body) {
    return std::nullopt;
  }
  bool any_number = false;
  for (const auto [key, member] : *body) {
    std::optional<double>* field = nullptr;
    if (key == "value") {
      field = &metric.value;
    } else if (key == "ci_low") {
      field = &metric.ci_low;
    } else if (key == "ci_high") {
      field = &metric.ci_high;
    } else if (key == "plus_minus") {
      field = &metric.plus_minus;
    } else if (key == "p2bb") {
      field = &metric.p2bb;
    } else if (key == "p2bc") {
      field = &metric.p2bc;
    } else if (key == "uplift") {
      bare_value = false;
      read_uplift(r, member, path.key(key), metric.uplift, any_number);
      continue;
    } else {
      continue; // fields the catalogue may add later
    }
    bare_value = bare_value && key == "value";
    *field = r.number_or_null(member, path.key(key));
    any_number = any_number || field->has_value();
  }
  if (r.failed()) {
    return std::nullopt;
  }
  metric.whole_null = !any_number;
  return metric;
}

namespace {

// The members a row must have, as they are met.
struct RowMembers {
  bool variation = false;
  bool audience = false;
  bool visitors = false;
  bool orders = false;
  bool revenue = false;
};

// A count ({"value": 12}) or the net revenue ({"value": 12.5}, never negative) into the arm.
void read_row_count(JsonReader& r, std::string_view key, element member,
                    const JsonPath& member_path, model::ArmCounts& arm, RowMembers& seen) {
  const auto number = required_value(r, member, member_path);
  if (key == k_revenue) {
    const auto amount = number ? r.number(*number, member_path.key("value")) : std::nullopt;
    if (amount && *amount < 0.0) {
      r.fail_type(member_path.key("value"), "a number >= 0", *number);
    }
    arm.revenue = amount.value_or(0.0);
    seen.revenue = true;
    return;
  }
  const auto count = number ? r.count(*number, member_path.key("value")) : std::nullopt;
  (key == k_visitors ? arm.visitors : arm.conversions) = count.value_or(0);
  (key == k_visitors ? seen.visitors : seen.orders) = true;
}

// A metric member (an object or null): reported, and a count, profit or total where it is one.
bool read_row_metric(JsonReader& r, std::string_view key, element member,
                     const JsonPath& member_path, model::ArmCounts& arm, RowMembers& seen,
                     StatisticalNames& statistical) {
  bool bare_value = true;
  auto metric = read_reported_metric(r, key, member, member_path, bare_value);
  if (!metric) {
    return false;
  }
  if (key == k_visitors || key == k_orders || key == k_revenue) {
    read_row_count(r, key, member, member_path, arm, seen);
  } else if (key == k_profit) {
    arm.profit = metric->value; // may be negative; null without costs of goods
  } else if (bare_value && metric->value) {
    arm.totals.emplace(std::string(key), *metric->value);
  }
  if (!bare_value) {
    statistical.insert(key);
  }
  arm.reported.push_back(std::move(*metric));
  return true;
}

void check_row_members(JsonReader& r, const JsonPath& path, bool audience_view,
                       const RowMembers& seen, const model::ArmCounts& arm) {
  if (!seen.variation) {
    r.fail(path, "missing \"variation_id\"");
  } else if (audience_view && !seen.audience) {
    r.fail(path, "missing \"audience\" (the segment label of an audience view)");
  } else if (!seen.visitors) {
    r.fail(path, "missing \"n_visitors\"");
  } else if (!seen.orders) {
    r.fail(path, "missing \"n_orders\"");
  } else if (!seen.revenue) {
    r.fail(path, "missing \"net_revenue\"");
  } else if (arm.conversions > arm.visitors) {
    const JsonPath orders = path.key(k_orders);
    r.fail(orders.key("value"), std::to_string(arm.conversions) + " orders exceed the row's " +
                                    std::to_string(arm.visitors) + " visitors");
  }
}

} // namespace

std::optional<MetricsRow> read_metrics_row(JsonReader& r, element value, const JsonPath& path,
                                           bool audience_view, StatisticalNames& statistical) {
  const auto row_body = r.object(value, path);
  if (!row_body) {
    return std::nullopt;
  }
  MetricsRow row;
  row.arm.reported.reserve(row_body->size());
  RowMembers seen;
  for (const auto [key, member] : *row_body) {
    const JsonPath member_path = path.key(key);
    if (key == "variation_id") {
      row.variation_id = r.string(member, member_path).value_or("");
      seen.variation = true;
    } else if (key == "audience") {
      if (audience_view) {
        row.audience = r.string(member, member_path).value_or("");
        if (!r.failed() && row.audience.empty()) {
          r.fail(member_path, "expected a non-empty segment label");
        }
        seen.audience = true;
      }
    } else if (key == "dt") {
      continue; // a dimension of time-series datasets, not a metric
    } else if (!member.is_object() && !member.is_null()) {
      // A count must be a {value} metric; any other non-metric member is an unknown field.
      if (is_count_key(key)) {
        r.fail_type(member_path, "an object {\"value\": ...}", member);
      }
    } else if (!read_row_metric(r, key, member, member_path, row.arm, seen, statistical)) {
      return std::nullopt;
    }
    if (r.failed()) {
      return std::nullopt;
    }
  }
  check_row_members(r, path, audience_view, seen, row.arm);
  if (r.failed()) {
    return std::nullopt;
  }
  return row;
}

} // namespace reckon::parse::detail
