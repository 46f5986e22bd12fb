#include "intelligems_analytics.hpp"
#include "intelligems_experience.hpp"
#include "intelligems_metrics.hpp"

#include <limits>
#include <string>
#include <unordered_map>
#include <utility>

namespace reckon::parse::detail {

namespace {

using simdjson::dom::element;

constexpr std::size_t k_no_row = std::numeric_limits<std::size_t>::max();

// One slice while its rows arrive: the arms in variation order and the row that gave each.
struct PendingCell {
  std::string_view label;
  std::vector<model::ArmCounts> arms;
  std::vector<std::size_t> row_of;
};

model::Slice slice_of(const SliceGroup& group, std::string_view label) {
  switch (group.kind) {
  case SliceGroup::Kind::overall:
    return model::Slice::overall();
  case SliceGroup::Kind::day:
    return {"day", group.date, {}};
  case SliceGroup::Kind::audience:
    return {group.dimension, std::string(label), {}};
  case SliceGroup::Kind::audience_day:
    return {group.dimension, std::string(label), group.date};
  }
  return model::Slice::overall();
}

std::size_t variation_index(const std::vector<model::Variation>& variations, std::string_view id) {
  for (std::size_t i = 0; i < variations.size(); ++i) {
    if (variations[i].id == id) {
      return i;
    }
  }
  return k_no_row;
}

// Cells in `audienceOrder` (labels it lists), then in order of first appearance.
std::vector<std::size_t>
label_order(JsonReader& r, simdjson::dom::object body, const std::vector<PendingCell>& cells,
            const std::unordered_map<std::string_view, std::size_t>& by_label) {
  std::vector<std::size_t> order;
  order.reserve(cells.size());
  std::vector<bool> placed(cells.size(), false);
  if (const auto listed = JsonReader::field(body, "audienceOrder"); listed && !listed->is_null()) {
    const JsonPath top;
    const JsonPath path = top.key("audienceOrder");
    const auto labels = r.array(*listed, path);
    if (!labels) {
      return order;
    }
    std::size_t index = 0;
    for (const element item : *labels) {
      const auto label = r.string(item, path.index(index++));
      if (!label) {
        return order;
      }
      const auto found = by_label.find(*label);
      if (found != by_label.end() && !placed[found->second]) {
        placed[found->second] = true;
        order.push_back(found->second);
      }
    }
  }
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (!placed[i]) {
      order.push_back(i);
    }
  }
  return order;
}

} // namespace

util::Result<model::Experiment> experiment_from_analytics(const contract::ApiExchange& exchange,
                                                          element root,
                                                          const std::string& experience_id) {
  JsonReader r(exchange.origin, ": ", "");
  const JsonPath top;
  const auto body = r.object(root, top);
  if (!body) {
    return r.error();
  }
  const auto variations = JsonReader::field(*body, "variations");
  if (!variations || variations->is_null()) {
    return util::make_error(util::ErrorCode::bad_input, exchange.origin,
                            "experience \"" + experience_id +
                                "\" is in no experiences list or detail response, and this "
                                "response names no variations");
  }
  model::Experiment experiment;
  experiment.id = experience_id;
  experiment.name = experience_id;
  experiment.source = "intelligems";
  experiment.variations = read_variations(r, *variations, top.key("variations"));
  if (const auto name = JsonReader::field(*body, "experienceName"); name && !name->is_null()) {
    experiment.name = std::string(r.string(*name, top.key("experienceName")).value_or(""));
  }
  if (r.failed()) {
    return r.error();
  }
  return experiment;
}

namespace {

// The cells of a response while its rows arrive, keyed by segment label.
struct PendingCells {
  std::vector<PendingCell> cells;
  std::unordered_map<std::string_view, std::size_t> by_label;
  StatisticalNames statistical;
};

// One row into the cell of its segment label, at its variation's place: false for a row of
// no variation of the experience, or a second row for the same place.
bool place_row(JsonReader& r, MetricsRow& row, std::size_t index, const JsonPath& row_path,
               bool audience_view, const std::vector<model::Variation>& variations,
               PendingCells& pending) {
  const std::size_t variation = variation_index(variations, row.variation_id);
  if (variation == k_no_row) {
    r.fail(row_path.key("variation_id"),
           "\"" + std::string(row.variation_id) + "\" is not a variation of the experience");
    return false;
  }
  const auto [found, added] = pending.by_label.try_emplace(row.audience, pending.cells.size());
  if (added) {
    pending.cells.push_back({row.audience, std::vector<model::ArmCounts>(variations.size()),
                             std::vector<std::size_t>(variations.size(), k_no_row)});
  }
  PendingCell& cell = pending.cells[found->second];
  if (cell.row_of[variation] != k_no_row) {
    r.fail(row_path.key("variation_id"),
           "a second row for variation \"" + variations[variation].id +
               (audience_view ? "\" in segment \"" + std::string(row.audience) : std::string()) +
               "\" (the first is metrics[" + std::to_string(cell.row_of[variation]) + "])");
    return false;
  }
  cell.row_of[variation] = index;
  row.arm.variation_id = variations[variation].id;
  cell.arms[variation] = std::move(row.arm);
  return true;
}

bool gather_rows(JsonReader& r, simdjson::dom::array rows, const JsonPath& metrics_path,
                 bool audience_view, const std::vector<model::Variation>& variations,
                 PendingCells& pending) {
  std::size_t index = 0;
  for (const element item : rows) {
    const JsonPath row_path = metrics_path.index(index);
    auto row = read_metrics_row(r, item, row_path, audience_view, pending.statistical);
    if (!row || !place_row(r, *row, index, row_path, audience_view, variations, pending)) {
      return false;
    }
    ++index;
  }
  return true;
}

// The first variation without a row in `cell`, or k_no_row.
std::size_t first_missing(const PendingCell& cell) {
  for (std::size_t v = 0; v < cell.row_of.size(); ++v) {
    if (cell.row_of[v] == k_no_row) {
      return v;
    }
  }
  return k_no_row;
}

// Names shared by rows with statistics are ratios, not totals (see StatisticalNames).
void drop_statistical_totals(PendingCell& cell, const StatisticalNames& statistical) {
  for (model::ArmCounts& arm : cell.arms) {
    for (const std::string_view name : statistical) {
      if (const auto total = arm.totals.find(name); total != arm.totals.end()) {
        arm.totals.erase(total);
      }
    }
  }
}

} // namespace

util::Result<std::vector<model::CountsCell>>
read_resource_cells(const contract::ApiExchange& exchange, element root, const SliceGroup& group,
                    const std::vector<model::Variation>& variations, const SkipNote& note) {
  JsonReader r(exchange.origin, ": ", "");
  const JsonPath top;
  const auto body = r.object(root, top);
  if (!body) {
    return r.error();
  }
  const JsonPath metrics_path = top.key("metrics");
  const auto metrics = r.required(*body, "metrics", top);
  const auto rows = metrics ? r.array(*metrics, metrics_path) : std::nullopt;
  const bool audience_view =
      group.kind == SliceGroup::Kind::audience || group.kind == SliceGroup::Kind::audience_day;
  PendingCells pending;
  if (!rows || !gather_rows(r, *rows, metrics_path, audience_view, variations, pending)) {
    return r.error();
  }
  if (pending.cells.empty()) {
    // The vendor answers "metrics": [] for a window it has no rows for (today before its
    // processing, the days after a test paused, past the last traffic): a window without
    // data, which gives no cell, not a malformed answer.
    if (note && !audience_view) {
      note(exchange.origin, "no rows: a window without data");
    }
    return std::vector<model::CountsCell>{};
  }
  const std::vector<std::size_t> order = label_order(r, *body, pending.cells, pending.by_label);
  if (r.failed()) {
    return r.error();
  }
  std::vector<model::CountsCell> result;
  result.reserve(pending.cells.size());
  for (const std::size_t i : order) {
    PendingCell& cell = pending.cells[i];
    const std::size_t missing = first_missing(cell);
    if (missing != k_no_row && !audience_view) {
      r.fail(metrics_path, "no row for variation \"" + variations[missing].id + "\" (" +
                               variations[missing].name + ")");
      return r.error();
    }
    if (missing != k_no_row) {
      if (note) {
        note(exchange.origin, "segment \"" + std::string(cell.label) + "\" of " + group.dimension +
                                  " has no row for variation \"" + variations[missing].id +
                                  "\"; left out");
      }
      continue;
    }
    drop_statistical_totals(cell, pending.statistical);
    result.push_back({slice_of(group, cell.label), std::move(cell.arms), exchange.origin});
  }
  return result;
}

} // namespace reckon::parse::detail
