#include "kept_figures.hpp"

#include <optional>
#include <string_view>

namespace reckon::app {
namespace {

using Number = std::optional<double>;

// The side of a reported metric or of a recomputed cell that one kept field reads and writes.
struct FieldAccess {
  std::string_view name;
  Number model::ReportedMetric::*reported = nullptr;
  Number model::ReportedUplift::*reported_uplift = nullptr;
  Number analysis::CellResult::*recomputed = nullptr;
  Number analysis::UpliftEstimate::*recomputed_uplift = nullptr;
};

using analysis::CellResult;
using analysis::UpliftEstimate;
using model::ReportedMetric;
using model::ReportedUplift;

const FieldAccess k_fields[] = {
    {"value", &ReportedMetric::value, nullptr, &CellResult::value, nullptr},
    {"ci_low", &ReportedMetric::ci_low, nullptr, &CellResult::ci_low, nullptr},
    {"ci_high", &ReportedMetric::ci_high, nullptr, &CellResult::ci_high, nullptr},
    {"plus_minus", &ReportedMetric::plus_minus, nullptr, nullptr, nullptr},
    {"p2bb", &ReportedMetric::p2bb, nullptr, &CellResult::prob_best, nullptr},
    {"p2bc", &ReportedMetric::p2bc, nullptr, &CellResult::prob_beat_control, nullptr},
    {"uplift.value", nullptr, &ReportedUplift::value, nullptr, &UpliftEstimate::value},
    {"uplift.ci_low", nullptr, &ReportedUplift::ci_low, nullptr, &UpliftEstimate::ci_low},
    {"uplift.ci_high", nullptr, &ReportedUplift::ci_high, nullptr, &UpliftEstimate::ci_high},
    {"uplift.plus_minus", nullptr, &ReportedUplift::plus_minus, nullptr, nullptr},
};
// Kept, with a reported 1, only for a metric the source left null as a whole.
constexpr std::string_view k_whole_null = "whole_null";

Number reported_side(const FieldAccess& field, const ReportedMetric& metric) {
  if (field.reported != nullptr) {
    return metric.*field.reported;
  }
  return metric.uplift ? (*metric.uplift).*field.reported_uplift : std::nullopt;
}

Number recomputed_side(const FieldAccess& field, const CellResult& cell) {
  if (field.recomputed != nullptr) {
    return cell.*field.recomputed;
  }
  if (field.recomputed_uplift != nullptr && cell.uplift) {
    return (*cell.uplift).*field.recomputed_uplift;
  }
  return std::nullopt;
}

store::KeptCell kept_cell(const std::string& experiment_id, const CellResult& cell) {
  store::KeptCell kept{{experiment_id, cell.slice.segment_type, cell.slice.segment, cell.slice.date,
                        cell.metric, cell.variation_id},
                       {}};
  const ReportedMetric& reported = *cell.reported;
  if (reported.whole_null) {
    kept.figures.push_back({std::string(k_whole_null), 1.0, std::nullopt});
  }
  for (const FieldAccess& field : k_fields) {
    const Number then = reported_side(field, reported);
    const Number ours = recomputed_side(field, cell);
    if (then || ours) {
      kept.figures.push_back({std::string(field.name), then, ours});
    }
  }
  if (kept.figures.empty()) {
    kept.figures.push_back({"value", std::nullopt, std::nullopt});
  }
  return kept;
}

void restore(ReportedMetric& metric, const store::KeptFigure& figure) {
  if (figure.field == k_whole_null) {
    metric.whole_null = true;
    return;
  }
  for (const FieldAccess& field : k_fields) {
    if (field.name != figure.field) {
      continue;
    }
    if (field.reported != nullptr) {
      metric.*field.reported = figure.reported;
    } else {
      if (!metric.uplift) {
        metric.uplift.emplace();
      }
      (*metric.uplift).*field.reported_uplift = figure.reported;
    }
    return;
  }
}

} // namespace

std::vector<store::KeptCell> kept_cells(const analysis::Results& results) {
  std::vector<store::KeptCell> cells;
  for (const analysis::ExperimentResult& experiment : results.experiments) {
    for (const CellResult& cell : experiment.cells) {
      if (cell.reported) {
        cells.push_back(kept_cell(experiment.id, cell));
      }
    }
  }
  return cells;
}

std::vector<model::ReportedFigure> reported_figures(std::span<const store::KeptCell> cells) {
  std::vector<model::ReportedFigure> figures;
  figures.reserve(cells.size());
  for (const store::KeptCell& cell : cells) {
    model::ReportedFigure& figure = figures.emplace_back();
    figure.experiment_id = cell.key.experiment;
    figure.slice = {cell.key.segment_type, cell.key.segment, cell.key.date};
    figure.variation_id = cell.key.variation;
    figure.reported.name = cell.key.metric;
    for (const store::KeptFigure& kept : cell.figures) {
      restore(figure.reported, kept);
    }
  }
  return figures;
}

} // namespace reckon::app
