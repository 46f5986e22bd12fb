#pragma once

#include "reckon/model/experiment.hpp"
#include "reckon/util/calendar.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::model {

// The days an analysis keeps (`--from`, `--to`), inclusive; an absent bound is open.
struct DayRange {
  std::optional<util::Date> from;
  std::optional<util::Date> to;

  bool bounded() const { return from || to; }
  // Whether a day slice's date (YYYY-MM-DD) lies in the range.
  bool contains(std::string_view date) const;
  // "2026-09-02 to 2026-09-14", the open ends spelled "the first day" and "the last day".
  std::string describe() const;
};

// What keep_days left out of one experiment, for the user to be told once.
struct DayCutNote {
  std::string experiment_id;
  std::string experiment_name;
  // The whole-window slices ("overall", "device_type", ...) that had no per-day data to be
  // rebuilt from, and so were left out.
  std::vector<std::string> without_day_data;
  // The whole experiment was left out: it has no day slice at all, or none in the range.
  bool experiment_left_out = false;
  bool has_days = false; // whether it had day slices at all (why it was left out)
};

struct DayCut {
  Dataset dataset;
  std::vector<DayCutNote> notes;
};

// The dataset restricted to the days of `range`. Day slices (segment_type "day") and segments
// on a day (a non-empty date) outside it are dropped. The whole-window slices cannot be cut by
// date: when an experiment loses days, its overall slice is rebuilt as the sum of its kept day
// slices, and each segment as the sum of its kept segment-on-day slices, provided every kept day
// has some of that dimension; a whole-window slice that cannot be rebuilt is dropped and named in
// a note. A rebuilt cell has counts only (the vendor's statistics describe single days, not
// their sum) and keeps revenue_sq, profit, profit_sq and each total only where every summed arm
// has them; the experiment's `rebuilt_window` says how they were made and keeps the source's
// overall cell, which analysis borrows spreads from. An experiment that loses no
// day is kept as it is; one without any day slice in the range is left out.
DayCut keep_days(Dataset dataset, const DayRange& range);

} // namespace reckon::model
