#pragma once

#include "reckon/analysis/results.hpp"
#include "reckon/model/reported_figure.hpp"
#include "reckon/store/store.hpp"

#include <span>
#include <vector>

namespace reckon::app {

// What a check run keeps in the store: for every cell the source reported, each of its
// numbers as reported and as recomputed (the names `analysis::reported_moves` uses, plus
// "plus_minus" and "uplift.plus_minus", which have no recomputed side). A number absent on
// both sides is not kept; a cell with none at all keeps an empty "value", so that a later
// `--since` still sees that the source reported the cell.
std::vector<store::KeptCell> kept_cells(const analysis::Results& results);

// The source's figures of a kept run, as `analysis::reported_moves` compares them.
std::vector<model::ReportedFigure> reported_figures(std::span<const store::KeptCell> cells);

} // namespace reckon::app
