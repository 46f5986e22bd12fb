#include "reckon/fetch/intelligems_plan.hpp"

#include <algorithm>

namespace reckon::fetch {
namespace {

namespace intelligems = contract::intelligems;

constexpr std::int64_t k_day_ms = 86'400'000;

// Strings here are built by appending: GCC 12 misreads `"literal" + std::string&&` at -O3
// as an overlapping copy (-Wrestrict).
std::string joined(std::initializer_list<std::string_view> parts) {
  std::string text;
  for (const std::string_view part : parts) {
    text.append(part);
  }
  return text;
}

std::string json_string(std::string_view text) {
  return joined({"\"", text, "\""});
}

contract::ApiRequest analytics_request(const PlanSettings& settings, const std::string& id,
                                       std::vector<std::pair<std::string, std::string>> fields) {
  const std::string resource = intelligems::analytics_resource_path(id);
  if (settings.generation == ApiGeneration::legacy) {
    // The GET form takes the same fields as query parameters, with start/end for the window.
    std::vector<std::pair<std::string, std::string>> query;
    for (auto& [key, value] : fields) {
      if (key == "testResult" || key == "topN") {
        continue; // POST only
      }
      const std::string name = key == "startTs" ? "start" : key == "endTs" ? "end" : key;
      if (value.size() >= 2 && value.front() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      query.emplace_back(name, value);
    }
    return {std::string(intelligems::k_source), "GET", resource, std::move(query), {}};
  }
  std::string body = "{";
  for (const auto& [key, value] : fields) {
    body.append(body.size() > 1 ? "," : "").append(json_string(key)).append(":").append(value);
  }
  body += "}";
  return {std::string(intelligems::k_source), "POST", resource, {}, std::move(body)};
}

std::optional<std::int64_t> settled_after_end(const ExperienceTimes& experience,
                                              const PlanSettings& settings) {
  if (!experience.ended_at_ms) {
    return std::nullopt;
  }
  return *experience.ended_at_ms + settings.processing_lag_ms;
}

// Local days from the test's first to its last (the day it ended, or today), within
// [from, to].
std::vector<util::Date> days_of(const ExperienceTimes& experience, const PlanSettings& settings) {
  if (!experience.started_at_ms) {
    return {};
  }
  util::Date first = settings.zone.date_of(*experience.started_at_ms / 1000);
  const std::int64_t last_ms =
      experience.ended_at_ms ? *experience.ended_at_ms - 1 : settings.now_ms;
  util::Date last = settings.zone.date_of(last_ms / 1000);
  if (settings.from) {
    first = std::max(first, *settings.from);
  }
  if (settings.to) {
    last = std::min(last, *settings.to);
  }
  std::vector<util::Date> days;
  for (util::Date day = first; day <= last; day = day.plus_days(1)) {
    days.push_back(day);
  }
  return days;
}

// One local day's window: its overview, then its audience view by each day dimension (capped
// dimensions asking for every segment, as the whole-window views do), each body the whole-window
// one followed by the bounds: Unix seconds as strings, the end inclusive.
void append_day(std::vector<PlannedRequest>& plan, const std::string& id, util::Date day,
                const PlanSettings& settings) {
  const std::int64_t start = settings.zone.start_of_day(day);
  const std::int64_t end = settings.zone.start_of_day(day.plus_days(1)) - 1;
  const std::int64_t settled = (end + 1) * 1000 + settings.processing_lag_ms;
  const std::pair<std::string, std::string> start_field{"startTs",
                                                        json_string(std::to_string(start))};
  const std::pair<std::string, std::string> end_field{"endTs", json_string(std::to_string(end))};
  const std::string label = joined({"day ", day.to_string()});
  const contract::DayWindow window{day.to_string(), settings.zone.name()};
  contract::ApiRequest overview =
      analytics_request(settings, id, {{"view", json_string("overview")}, start_field, end_field});
  overview.day = window;
  plan.push_back({std::move(overview), label, settled});
  for (const std::string& dimension : settings.day_dimensions) {
    std::vector<std::pair<std::string, std::string>> fields{{"view", json_string("audience")},
                                                            {"audience", json_string(dimension)}};
    if (intelligems::is_capped(dimension)) {
      fields.emplace_back("topN", std::to_string(intelligems::k_max_top_n));
    }
    fields.push_back(start_field);
    fields.push_back(end_field);
    contract::ApiRequest audience = analytics_request(settings, id, std::move(fields));
    audience.day = window;
    plan.push_back({std::move(audience), joined({label, " audience ", dimension}), settled});
  }
}

} // namespace

contract::ApiRequest experiences_list_request(int page, int limit, const std::string& status) {
  std::vector<std::pair<std::string, std::string>> query{{"page", std::to_string(page)},
                                                         {"limit", std::to_string(limit)}};
  if (!status.empty()) {
    query.emplace_back("status", status);
  }
  return {std::string(intelligems::k_source),
          "GET",
          intelligems::experiences_list_path(),
          std::move(query),
          {}};
}

contract::ApiRequest experience_request(const std::string& id) {
  return {std::string(intelligems::k_source), "GET", intelligems::experience_path(id), {}, {}};
}

std::vector<PlannedRequest> plan_experience(const ExperienceTimes& experience,
                                            const PlanSettings& settings) {
  const std::optional<std::int64_t> settled = settled_after_end(experience, settings);
  std::vector<PlannedRequest> plan;
  plan.push_back({analytics_request(settings, experience.id,
                                    {{"view", json_string("overview")}, {"testResult", "true"}}),
                  "overview", settled});
  for (const std::string& dimension : settings.dimensions) {
    std::vector<std::pair<std::string, std::string>> fields{{"view", json_string("audience")},
                                                            {"audience", json_string(dimension)}};
    if (intelligems::is_capped(dimension)) {
      fields.emplace_back("topN", std::to_string(intelligems::k_max_top_n));
    }
    plan.push_back({analytics_request(settings, experience.id, std::move(fields)),
                    joined({"audience ", dimension}), settled});
  }
  plan.push_back({{std::string(intelligems::k_source),
                   "POST",
                   intelligems::timeseries_path(experience.id),
                   {},
                   R"({"granularity":"day","mode":"noncumulative","metrics":["conversion_rate",)"
                   R"("net_revenue_per_visitor","gross_profit_per_visitor","aov","n_visitors",)"
                   R"("n_orders","net_revenue"]})"},
                  "timeseries",
                  settled});
  if (!settings.days) {
    return plan;
  }
  for (const util::Date day : days_of(experience, settings)) {
    append_day(plan, experience.id, day, settings);
  }
  return plan;
}

std::vector<PlannedRequest> plan_sitewide(const PlanSettings& settings) {
  const util::Date last =
      settings.to ? *settings.to : settings.zone.date_of(settings.now_ms / 1000).plus_days(-1);
  const util::Date first = last.plus_days(1 - std::max(settings.sitewide_days, 1));
  const std::int64_t start = settings.zone.start_of_day(first);
  const std::int64_t end = settings.zone.start_of_day(last.plus_days(1)) - 1;
  const std::int64_t settled = (end + 1) * 1000 + settings.processing_lag_ms;
  std::vector<PlannedRequest> plan;
  if (settings.generation == ApiGeneration::legacy) {
    // The flat endpoint wants UTC instants with milliseconds.
    const util::TimeZone utc = util::TimeZone::utc();
    std::string body = joined({R"({"start":")", utc.iso8601(start).substr(0, 19),
                               R"(.000Z","end":")", utc.iso8601(end).substr(0, 19), R"(.999Z"})"});
    plan.push_back({{std::string(intelligems::k_source),
                     "POST",
                     intelligems::legacy_sitewide_path(),
                     {},
                     std::move(body)},
                    "sitewide",
                    settled});
    return plan;
  }
  const std::string window = joined({R"({"start":")", settings.zone.iso8601(start), R"(","end":")",
                                     settings.zone.iso8601(end), "\""});
  const auto sitewide = [&](std::string_view endpoint, std::string extra, std::string label) {
    plan.push_back({{std::string(intelligems::k_source),
                     "POST",
                     intelligems::sitewide_path(endpoint),
                     {},
                     joined({window, extra, "}"})},
                    std::move(label),
                    settled});
  };
  sitewide("snapshot", "", "sitewide snapshot");
  for (const std::string& dimension : settings.dimensions) {
    sitewide("snapshot",
             joined({R"(,"feature":{"name":"audience","audience":")", dimension, R"("})"}),
             joined({"sitewide snapshot ", dimension}));
  }
  sitewide("timeseries", R"(,"granularity":"day")", "sitewide timeseries");
  sitewide("order-distribution", "", "sitewide order distribution");
  sitewide("conversion-funnel", "", "sitewide conversion funnel");
  return plan;
}

} // namespace reckon::fetch
