#include "reckon/analysis/history.hpp"

#include <map>
#include <tuple>

namespace reckon::analysis {
namespace {

using CellKey = std::tuple<std::string, model::Slice, std::string, std::string>;

void compare(const char* field, std::optional<double> then, std::optional<double> now,
             const model::ReportedFigure& figure, std::vector<ReportedMove>& moves) {
  if (then == now) {
    return;
  }
  moves.push_back({figure.experiment_id, figure.slice, figure.reported.name, figure.variation_id,
                   field, then, now, figure.slice.segment_type == "day"});
}

} // namespace

std::vector<ReportedMove> reported_moves(std::span<const model::ReportedFigure> earlier,
                                         const Results& current) {
  std::map<CellKey, const model::ReportedMetric*> now;
  for (const ExperimentResult& experiment : current.experiments) {
    for (const CellResult& cell : experiment.cells) {
      if (cell.reported) {
        now[{experiment.id, cell.slice, cell.metric, cell.variation_id}] = &*cell.reported;
      }
    }
  }
  std::vector<ReportedMove> moves;
  for (const model::ReportedFigure& figure : earlier) {
    const auto found =
        now.find({figure.experiment_id, figure.slice, figure.reported.name, figure.variation_id});
    if (found == now.end()) {
      continue;
    }
    const model::ReportedMetric& then = figure.reported;
    const model::ReportedMetric& current_figure = *found->second;
    compare("value", then.value, current_figure.value, figure, moves);
    compare("ci_low", then.ci_low, current_figure.ci_low, figure, moves);
    compare("ci_high", then.ci_high, current_figure.ci_high, figure, moves);
    compare("p2bb", then.p2bb, current_figure.p2bb, figure, moves);
    compare("p2bc", then.p2bc, current_figure.p2bc, figure, moves);
    const model::ReportedUplift none;
    const model::ReportedUplift& a = then.uplift ? *then.uplift : none;
    const model::ReportedUplift& b = current_figure.uplift ? *current_figure.uplift : none;
    compare("uplift.value", a.value, b.value, figure, moves);
    compare("uplift.ci_low", a.ci_low, b.ci_low, figure, moves);
    compare("uplift.ci_high", a.ci_high, b.ci_high, figure, moves);
  }
  return moves;
}

} // namespace reckon::analysis
