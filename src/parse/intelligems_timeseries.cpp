#include "intelligems_analytics.hpp"
#include "iso_time.hpp"

#include "reckon/util/calendar.hpp"

#include <map>
#include <string>
#include <utility>

namespace reckon::parse::detail {

namespace {

using simdjson::dom::element;

// The metrics a timeseries row may hold besides its counts; `aov` is the resource
// endpoint's net_revenue_per_order.
bool is_rate_key(std::string_view key) {
  return key == "conversion_rate" || key == "net_revenue_per_visitor" ||
         key == "gross_profit_per_visitor" || key == "aov";
}

std::string_view analytics_name(std::string_view key) {
  return key == "aov" ? std::string_view("net_revenue_per_order") : key;
}

struct PendingDay {
  std::vector<model::ArmCounts> arms;
  std::vector<bool> present;
};

// Variation index by name: the response's `variations` map its segment names to ids, else
// the experiment's own names do.
std::optional<std::map<std::string, std::size_t, std::less<>>>
variations_by_name(JsonReader& r, simdjson::dom::object body,
                   const std::vector<model::Variation>& variations) {
  std::map<std::string, std::size_t, std::less<>> by_name;
  const JsonPath top;
  const auto listed = JsonReader::field(body, "variations");
  if (!listed || listed->is_null()) {
    for (std::size_t i = 0; i < variations.size(); ++i) {
      if (!by_name.emplace(variations[i].name, i).second) {
        r.fail(top.key("segments"), "two variations are named \"" + variations[i].name +
                                        "\", so segments are ambiguous");
        return std::nullopt;
      }
    }
    return by_name;
  }
  const JsonPath path = top.key("variations");
  const auto items = r.array(*listed, path);
  if (!items) {
    return std::nullopt;
  }
  std::size_t index = 0;
  for (const element item : *items) {
    const JsonPath item_path = path.index(index++);
    const auto entry = r.object(item, item_path);
    const auto id = entry ? r.required(*entry, "id", item_path) : std::nullopt;
    const auto name = entry ? r.required(*entry, "name", item_path) : std::nullopt;
    const auto id_text = id ? r.string(*id, item_path.key("id")) : std::nullopt;
    const auto name_text = name ? r.string(*name, item_path.key("name")) : std::nullopt;
    if (!id_text || !name_text) {
      return std::nullopt;
    }
    std::size_t found = variations.size();
    for (std::size_t i = 0; i < variations.size(); ++i) {
      found = variations[i].id == *id_text ? i : found;
    }
    if (found == variations.size()) {
      r.fail(item_path.key("id"), quoted(*id_text) + " is not a variation of the experience");
      return std::nullopt;
    }
    if (!by_name.emplace(std::string(*name_text), found).second) {
      r.fail(item_path.key("name"),
             "two variations are named " + quoted(*name_text) + ", so segments are ambiguous");
      return std::nullopt;
    }
  }
  return by_name;
}

// The day of a row's `dt`, "YYYY-MM-DD HH:mm:ss" (or the date alone).
std::optional<std::string> read_day(JsonReader& r, element value, const JsonPath& path) {
  const auto text = r.string(value, path);
  if (!text) {
    return std::nullopt;
  }
  const auto date = util::Date::parse(text->substr(0, 10));
  const bool separated = text->size() == 10 || (*text)[10] == ' ' || (*text)[10] == 'T';
  if (!date || !separated || !is_plausible_time_ms(date->epoch_seconds() * 1000)) {
    r.fail_type(path, "a day \"YYYY-MM-DD HH:mm:ss\" between 2000 and 2100", value);
    return std::nullopt;
  }
  return date->to_string();
}

// Reads one row into `arm`; false when the row lacks a count (the request did not ask for
// them), with nothing failed.
bool read_row(JsonReader& r, simdjson::dom::object row, const JsonPath& path,
              model::ArmCounts& arm) {
  bool visitors = false;
  bool orders = false;
  bool revenue = false;
  arm.reported.reserve(row.size());
  for (const auto [key, member] : row) {
    if (key == "dt") {
      continue;
    }
    const JsonPath member_path = path.key(key);
    const bool is_count = key == "n_visitors" || key == "n_orders";
    if (!member.is_number() && !member.is_null()) {
      if (is_count || key == "net_revenue" || is_rate_key(key)) {
        r.fail_type(member_path, "a number or null", member);
        return false;
      }
      continue; // an unknown field
    }
    // A null count is a day without that traffic.
    if (is_count) {
      const auto count =
          member.is_null() ? std::optional<std::uint64_t>(0) : r.count(member, member_path);
      (key == "n_visitors" ? arm.visitors : arm.conversions) = count.value_or(0);
      (key == "n_visitors" ? visitors : orders) = true;
    } else if (key == "net_revenue") {
      const auto amount = r.number_or_null(member, member_path);
      if (amount && *amount < 0.0) {
        r.fail_type(member_path, "a number >= 0 or null", member);
      }
      arm.revenue = amount.value_or(0.0);
      revenue = true;
    }
    if (r.failed()) {
      return false;
    }
    model::ReportedMetric metric;
    metric.name = std::string(analytics_name(key));
    metric.value = r.number_or_null(member, member_path);
    metric.whole_null = !metric.value;
    arm.reported.push_back(std::move(metric));
  }
  if (visitors && orders && arm.conversions > arm.visitors) {
    r.fail(path.key("n_orders"), std::to_string(arm.conversions) + " orders exceed the row's " +
                                     std::to_string(arm.visitors) + " visitors");
  }
  return visitors && orders && revenue;
}

// Why a response holds no day slices: the request asked for daily, non-cumulative values (or
// it would have been skipped), and a response that says it holds something else is skipped
// too. Nullopt when it holds them (or `r` failed).
std::optional<std::string> unusable_shape(JsonReader& r, simdjson::dom::object body,
                                          const JsonPath& top) {
  std::string_view granularity = "day";
  std::string_view mode = "noncumulative";
  if (const auto value = JsonReader::field(body, "granularity"); value && !value->is_null()) {
    granularity = r.string(*value, top.key("granularity")).value_or("");
  }
  if (const auto value = JsonReader::field(body, "mode"); value && !value->is_null()) {
    mode = r.string(*value, top.key("mode")).value_or("");
  }
  if (r.failed() || (granularity == "day" && mode == "noncumulative")) {
    return std::nullopt;
  }
  return "a " + std::string(mode) + " timeseries by " + std::string(granularity) +
         " gives no day slices";
}

// The rows of one variation's segment, each into the arm of its day; `counted` turns false
// when a row lacks a count. False when `r` failed.
bool read_segment_rows(JsonReader& r, simdjson::dom::array rows, const JsonPath& data_path,
                       std::size_t variation, const std::vector<model::Variation>& variations,
                       std::map<std::string, PendingDay>& days, bool& counted) {
  std::size_t index = 0;
  for (const element item : rows) {
    const JsonPath row_path = data_path.index(index++);
    const auto row = r.object(item, row_path);
    const auto dt = row ? r.required(*row, "dt", row_path) : std::nullopt;
    const auto day = dt ? read_day(r, *dt, row_path.key("dt")) : std::nullopt;
    if (!day) {
      return false;
    }
    PendingDay& pending = days[*day];
    if (pending.arms.empty()) {
      pending.arms.resize(variations.size());
      pending.present.assign(variations.size(), false);
    }
    if (pending.present[variation]) {
      r.fail(row_path.key("dt"), "a second row for " + *day);
      return false;
    }
    pending.present[variation] = true;
    model::ArmCounts& arm = pending.arms[variation];
    arm.variation_id = variations[variation].id;
    counted = read_row(r, *row, row_path, arm) && counted;
    if (r.failed()) {
      return false;
    }
  }
  return true;
}

} // namespace

util::Result<std::vector<model::CountsCell>>
read_timeseries_cells(const contract::ApiExchange& exchange, element root,
                      const std::vector<model::Variation>& variations, const SkipNote& note) {
  const auto skip = [&](const std::string& reason) {
    if (note) {
      note(exchange.origin, reason);
    }
    return std::vector<model::CountsCell>{};
  };
  JsonReader r(exchange.origin, ": ", "");
  const JsonPath top;
  const auto body = r.object(root, top);
  if (!body) {
    return r.error();
  }
  if (const auto reason = unusable_shape(r, *body, top)) {
    return skip(*reason);
  }
  if (r.failed()) {
    return r.error();
  }
  const auto by_name = variations_by_name(r, *body, variations);
  const JsonPath segments_path = top.key("segments");
  const auto segments_value = by_name ? r.required(*body, "segments", top) : std::nullopt;
  const auto segments = segments_value ? r.object(*segments_value, segments_path) : std::nullopt;
  if (!segments) {
    return r.error();
  }

  std::map<std::string, PendingDay> days; // ascending dates
  std::vector<bool> has_segment(variations.size(), false);
  bool counted = true;
  for (const auto [name, segment] : *segments) {
    const JsonPath segment_path = segments_path.key(name);
    const auto found = by_name->find(name);
    if (found == by_name->end()) {
      r.fail(segment_path, "no variation is named \"" + std::string(name) + "\"");
      return r.error();
    }
    const std::size_t variation = found->second;
    has_segment[variation] = true;
    const auto segment_body = r.object(segment, segment_path);
    const auto data = segment_body ? r.required(*segment_body, "data", segment_path) : std::nullopt;
    const JsonPath data_path = segment_path.key("data");
    const auto rows = data ? r.array(*data, data_path) : std::nullopt;
    if (!rows || !read_segment_rows(r, *rows, data_path, variation, variations, days, counted)) {
      return r.error();
    }
  }
  if (!counted) {
    return skip("the timeseries rows lack n_visitors, n_orders or net_revenue (the request's "
                "`metrics` did not ask for them)");
  }
  for (std::size_t v = 0; v < variations.size(); ++v) {
    if (!has_segment[v]) {
      return skip("no segment for variation \"" + variations[v].name + "\"; no day slices");
    }
  }
  std::vector<model::CountsCell> cells;
  cells.reserve(days.size());
  for (auto& [day, pending] : days) {
    bool complete = true;
    for (const bool present : pending.present) {
      complete = complete && present;
    }
    if (!complete) {
      skip("day " + day + " lacks a row for some variation; left out");
      continue;
    }
    cells.push_back({{"day", day, {}}, std::move(pending.arms), exchange.origin});
  }
  return cells;
}

} // namespace reckon::parse::detail
