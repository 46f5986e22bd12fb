#include "reckon/model/day_range.hpp"

#include <algorithm>
#include <set>

namespace reckon::model {
namespace {

bool is_day(const Slice& slice) {
  return slice.segment_type == "day";
}

// The date of a day slice or of a segment on a day; empty for a whole-window slice.
const std::string& date_of(const Slice& slice) {
  return is_day(slice) ? slice.segment : slice.date;
}

// Adds `arm` to `total`: the counts always, each optional sum and total only while every arm
// added so far had it (a partial sum would pass for a whole one).
void add_arm(ArmCounts& total, const ArmCounts& arm, bool first) {
  total.visitors += arm.visitors;
  total.conversions += arm.conversions;
  total.revenue += arm.revenue;
  const auto add = [first](std::optional<double>& sum, const std::optional<double>& part) {
    if (first) {
      sum = part;
    } else if (sum && part) {
      *sum += *part;
    } else {
      sum.reset();
    }
  };
  add(total.revenue_sq, arm.revenue_sq);
  add(total.profit, arm.profit);
  add(total.profit_sq, arm.profit_sq);
  if (first) {
    total.totals = arm.totals;
    return;
  }
  for (auto it = total.totals.begin(); it != total.totals.end();) {
    const auto part = arm.totals.find(it->first);
    if (part == arm.totals.end()) {
      it = total.totals.erase(it);
    } else {
      it->second += part->second;
      ++it;
    }
  }
}

// One cell summing `parts`, its arms in the experiment's variation order.
CountsCell sum_of(const Experiment& experiment, Slice slice,
                  const std::vector<const CountsCell*>& parts) {
  CountsCell cell{std::move(slice), {}, parts.front()->origin};
  for (const Variation& variation : experiment.variations) {
    ArmCounts total;
    total.variation_id = variation.id;
    bool first = true;
    for (const CountsCell* part : parts) {
      const auto arm = std::find_if(part->arms.begin(), part->arms.end(), [&](const ArmCounts& a) {
        return a.variation_id == variation.id;
      });
      if (arm != part->arms.end()) {
        add_arm(total, *arm, first);
        first = false;
      }
    }
    cell.arms.push_back(std::move(total));
  }
  return cell;
}

// The day cells of `cells` in the range, and the dates of every day slice.
struct Days {
  std::set<std::string> all;
  std::set<std::string> kept;
  std::vector<const CountsCell*> kept_cells;
};

Days days_of(const std::vector<CountsCell>& cells, const DayRange& range) {
  Days days;
  for (const CountsCell& cell : cells) {
    const std::string& date = date_of(cell.slice);
    if (date.empty()) {
      continue;
    }
    days.all.insert(date);
    if (range.contains(date)) {
      days.kept.insert(date);
      days.kept_cells.push_back(&cell);
    }
  }
  return days;
}

// The kept day cells of one whole-window slice (the day slices for the overall, the slice's
// segment on each day otherwise), or nothing when some kept day lacks its dimension entirely.
std::optional<std::vector<const CountsCell*>> parts_of(const Slice& whole, const Days& days) {
  const std::string type = whole.is_overall() ? "day" : whole.segment_type;
  std::set<std::string> covered;
  std::vector<const CountsCell*> parts;
  for (const CountsCell* cell : days.kept_cells) {
    if (cell->slice.segment_type != type) {
      continue;
    }
    covered.insert(date_of(cell->slice));
    if (whole.is_overall() || cell->slice.segment == whole.segment) {
      parts.push_back(cell);
    }
  }
  if (covered != days.kept) {
    return std::nullopt;
  }
  return parts;
}

// Rebuilds the experiment's cells over the kept days; false when it has none to keep.
bool cut_experiment(Experiment& experiment, const DayRange& range, DayCutNote& note) {
  const Days days = days_of(experiment.cells, range);
  note.has_days = !days.all.empty();
  if (days.kept.empty()) {
    note.experiment_left_out = true;
    return false;
  }
  if (days.kept.size() == days.all.size()) {
    return true;
  }
  Experiment::RebuiltWindow rebuilt;
  rebuilt.derivation = "a sum of the " + std::to_string(days.kept.size()) + " days " +
                       *days.kept.begin() + " to " + *days.kept.rbegin() +
                       " in the day range: counts only, the source's statistics "
                       "describe single days or the whole window";
  std::vector<CountsCell> cells;
  for (const CountsCell& cell : experiment.cells) {
    if (!date_of(cell.slice).empty()) {
      if (range.contains(date_of(cell.slice))) {
        cells.push_back(cell);
      }
      continue;
    }
    if (cell.slice.is_overall()) {
      rebuilt.source_overall = cell;
    }
    const auto parts = parts_of(cell.slice, days);
    if (!parts) {
      const std::string& type = cell.slice.segment_type;
      if (std::find(note.without_day_data.begin(), note.without_day_data.end(), type) ==
          note.without_day_data.end()) {
        note.without_day_data.push_back(type);
      }
    } else if (!parts->empty()) { // a segment without traffic in the range has no cell
      cells.push_back(sum_of(experiment, cell.slice, *parts));
    }
  }
  experiment.cells = std::move(cells);
  experiment.rebuilt_window = std::move(rebuilt);
  return true;
}

} // namespace

bool DayRange::contains(std::string_view date) const {
  const std::optional<util::Date> day = util::Date::parse(date);
  return day && (!from || *day >= *from) && (!to || *day <= *to);
}

std::string DayRange::describe() const {
  return (from ? from->to_string() : std::string("the first day")) + " to " +
         (to ? to->to_string() : std::string("the last day"));
}

DayCut keep_days(Dataset dataset, const DayRange& range) {
  DayCut cut;
  if (!range.bounded()) {
    cut.dataset = std::move(dataset);
    return cut;
  }
  for (Experiment& experiment : dataset.experiments) {
    DayCutNote note{experiment.id, experiment.name, {}, false, false};
    const bool kept = cut_experiment(experiment, range, note);
    if (kept) {
      cut.dataset.experiments.push_back(std::move(experiment));
    }
    if (!kept || !note.without_day_data.empty()) {
      cut.notes.push_back(std::move(note));
    }
  }
  return cut;
}

} // namespace reckon::model
