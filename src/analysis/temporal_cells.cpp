#include "temporal_parts.hpp"

#include "reckon/util/calendar.hpp"

#include <algorithm>
#include <array>

namespace reckon::analysis::temporal_detail {
namespace {

constexpr std::array<const char*, 7> k_weekdays{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                "Friday", "Saturday", "Sunday"};

// Traffic-source dimensions whose daily share may move the daily uplift.
bool is_traffic_source(const std::string& dimension) {
  return dimension == "source_channel" || dimension == "source_site";
}

std::string day_source(const model::Experiment& experiment, const model::CountsCell& cell) {
  if (experiment.source == "counts_csv") {
    return "counts CSV";
  }
  return cell.origin.find("/timeseries") != std::string::npos ? "timeseries" : "day window";
}

std::uint64_t visitors(const model::CountsCell& cell) {
  std::uint64_t total = 0;
  for (const model::ArmCounts& arm : cell.arms) {
    total += arm.visitors;
  }
  return total;
}

template <typename T>
void add_optional(std::optional<T>& sum, const std::optional<T>& part) {
  sum = sum && part ? std::optional<T>(*sum + *part) : std::nullopt;
}

} // namespace

const char* weekday_name(int iso_index) {
  return k_weekdays.at(static_cast<std::size_t>(iso_index));
}

model::CountsCell pool_cells(const std::vector<const model::CountsCell*>& cells,
                             model::Slice slice) {
  model::CountsCell pooled;
  pooled.slice = std::move(slice);
  if (cells.empty()) {
    return pooled;
  }
  pooled.origin = cells.front()->origin;
  for (const model::ArmCounts& arm : cells.front()->arms) {
    model::ArmCounts& sum = pooled.arms.emplace_back();
    sum.variation_id = arm.variation_id;
    sum.revenue_sq = 0.0;
    sum.profit = 0.0;
    sum.profit_sq = 0.0;
    sum.totals = arm.totals;
    for (auto& [name, total] : sum.totals) {
      total = 0.0;
    }
  }
  for (const model::CountsCell* cell : cells) {
    for (std::size_t a = 0; a < pooled.arms.size(); ++a) {
      const model::ArmCounts& arm = cell->arms[a];
      model::ArmCounts& sum = pooled.arms[a];
      sum.visitors += arm.visitors;
      sum.conversions += arm.conversions;
      sum.revenue += arm.revenue;
      add_optional(sum.revenue_sq, arm.revenue_sq);
      add_optional(sum.profit, arm.profit);
      add_optional(sum.profit_sq, arm.profit_sq);
      for (auto total = sum.totals.begin(); total != sum.totals.end();) {
        const auto part = arm.totals.find(total->first);
        if (part == arm.totals.end()) {
          total = sum.totals.erase(total);
        } else {
          total->second += part->second;
          ++total;
        }
      }
    }
  }
  return pooled;
}

std::optional<TimelineInput> timeline_input(const model::Experiment& experiment) {
  TimelineInput input;
  input.experiment = experiment;
  input.experiment.cells.clear();
  std::vector<const model::CountsCell*> days;
  for (const model::CountsCell& cell : experiment.cells) {
    if (cell.slice.is_overall()) {
      input.experiment.cells.push_back(cell);
    } else if (cell.slice.segment_type == "day" && util::Date::parse(cell.slice.segment)) {
      days.push_back(&cell);
    } else if (!cell.slice.date.empty() && is_traffic_source(cell.slice.segment_type)) {
      input.sources[cell.slice.segment_type][cell.slice.date][cell.slice.segment] += visitors(cell);
    }
  }
  if (days.empty()) {
    return std::nullopt;
  }
  std::sort(days.begin(), days.end(), [](const model::CountsCell* a, const model::CountsCell* b) {
    return a->slice.segment < b->slice.segment;
  });
  std::array<std::vector<const model::CountsCell*>, 7> by_weekday;
  std::array<std::vector<const model::CountsCell*>, 2> by_type; // weekday, weekend
  std::vector<model::CountsCell> cumulative;
  std::vector<const model::CountsCell*> so_far;
  for (const model::CountsCell* cell : days) {
    const util::Date date = *util::Date::parse(cell->slice.segment);
    const int weekday = date.weekday();
    input.days.push_back({cell->slice.segment, weekday_name(weekday), date.is_weekend(),
                          day_source(experiment, *cell)});
    by_weekday[static_cast<std::size_t>(weekday)].push_back(cell);
    by_type[date.is_weekend() ? 1 : 0].push_back(cell);
    so_far.push_back(cell);
    cumulative.push_back(pool_cells(so_far, {k_cumulative, cell->slice.segment, {}}));
    input.experiment.cells.push_back(*cell);
  }
  for (std::size_t type = 0; type < by_type.size(); ++type) {
    if (!by_type[type].empty()) {
      input.experiment.cells.push_back(
          pool_cells(by_type[type], {k_day_type, type == 0 ? "weekday" : "weekend", {}}));
    }
  }
  for (std::size_t weekday = 0; weekday < by_weekday.size(); ++weekday) {
    if (!by_weekday[weekday].empty()) {
      input.experiment.cells.push_back(pool_cells(
          by_weekday[weekday], {k_day_of_week, weekday_name(static_cast<int>(weekday)), {}}));
    }
  }
  std::move(cumulative.begin(), cumulative.end(), std::back_inserter(input.experiment.cells));
  return input;
}

CellIndex::CellIndex(const std::vector<CellResult>& cells) {
  for (const CellResult& cell : cells) {
    m_cells.emplace(std::make_tuple(cell.slice, cell.metric, cell.variation_id), &cell);
  }
}

const CellResult* CellIndex::find(const model::Slice& slice, const std::string& metric,
                                  const std::string& variation) const {
  const auto found = m_cells.find(std::make_tuple(slice, metric, variation));
  return found == m_cells.end() ? nullptr : found->second;
}

} // namespace reckon::analysis::temporal_detail
