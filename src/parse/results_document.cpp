#include "reckon/parse/results_document.hpp"

#include "json_reader.hpp"

namespace reckon::parse {
namespace {

using detail::JsonPath;
using detail::JsonReader;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::string_view k_results_schema = "reckon.results/v1";

// Reckon wrote these documents itself, so a figure is a number or null and a missing member
// is a null: nullopt for both.
std::optional<double> number_at(JsonReader& r, object parent, std::string_view key,
                                const JsonPath& path) {
  const auto value = JsonReader::field(parent, key);
  return value ? r.number_or_null(*value, path.key(key)) : std::nullopt;
}

std::string string_at(JsonReader& r, object parent, std::string_view key, const JsonPath& path) {
  const auto value = JsonReader::field(parent, key);
  if (!value || value->is_null()) {
    return {};
  }
  return std::string(r.string(*value, path.key(key)).value_or(""));
}

model::ReportedUplift read_uplift(JsonReader& r, object uplift, const JsonPath& path) {
  return {number_at(r, uplift, "value", path), number_at(r, uplift, "ci_low", path),
          number_at(r, uplift, "ci_high", path), number_at(r, uplift, "plus_minus", path)};
}

model::ReportedMetric read_reported(JsonReader& r, object reported, const JsonPath& path,
                                    std::string metric) {
  model::ReportedMetric figure;
  figure.name = std::move(metric);
  if (const auto whole_null = JsonReader::field(reported, "whole_null")) {
    figure.whole_null = r.boolean(*whole_null, path.key("whole_null")).value_or(false);
    if (figure.whole_null) {
      return figure;
    }
  }
  figure.value = number_at(r, reported, "value", path);
  figure.ci_low = number_at(r, reported, "ci_low", path);
  figure.ci_high = number_at(r, reported, "ci_high", path);
  figure.plus_minus = number_at(r, reported, "plus_minus", path);
  figure.p2bb = number_at(r, reported, "p2bb", path);
  figure.p2bc = number_at(r, reported, "p2bc", path);
  if (const auto uplift = JsonReader::field(reported, "uplift"); uplift && !uplift->is_null()) {
    const JsonPath uplift_path = path.key("uplift");
    if (const auto body = r.object(*uplift, uplift_path)) {
      figure.uplift = read_uplift(r, *body, uplift_path);
    }
  }
  return figure;
}

// The figures of one experiment's cells; a cell whose `reported` is null kept none.
void read_cells(JsonReader& r, object experiment, const JsonPath& path,
                std::vector<model::ReportedFigure>& figures) {
  const auto cells = r.required(experiment, "cells", path);
  const JsonPath cells_path = path.key("cells");
  const auto list = cells ? r.array(*cells, cells_path) : std::nullopt;
  if (!list) {
    return;
  }
  const std::string id = string_at(r, experiment, "id", path);
  std::size_t index = 0;
  for (const element item : *list) {
    const JsonPath cell_path = cells_path.index(index++);
    const auto cell = r.object(item, cell_path);
    if (!cell) {
      return;
    }
    const auto reported = JsonReader::field(*cell, "reported");
    if (!reported || reported->is_null()) {
      continue;
    }
    const JsonPath reported_path = cell_path.key("reported");
    const auto reported_body = r.object(*reported, reported_path);
    if (!reported_body) {
      return;
    }
    figures.push_back(
        {id,
         {string_at(r, *cell, "segment_type", cell_path), string_at(r, *cell, "segment", cell_path),
          string_at(r, *cell, "date", cell_path)},
         string_at(r, *cell, "variation_id", cell_path),
         read_reported(r, *reported_body, reported_path,
                       string_at(r, *cell, "metric", cell_path))});
  }
}

} // namespace

util::Result<std::vector<model::ReportedFigure>> read_reported_figures(std::string_view document,
                                                                       std::string_view origin) {
  detail::JsonDocuments documents;
  const auto root = documents.read(document, std::string(origin));
  if (!root) {
    return root.error();
  }
  JsonReader r(std::string(origin), ": ", "");
  const JsonPath top;
  const auto body = r.object(*root, top);
  if (!body) {
    return r.error();
  }
  const auto schema = r.required(*body, "schema", top);
  const auto name = schema ? r.string(*schema, top.key("schema")) : std::nullopt;
  if (name && *name != k_results_schema) {
    r.fail(top.key("schema"), "not a " + std::string(k_results_schema) + " document (got " +
                                  detail::quoted(*name) + ")");
  }
  const auto experiments = r.required(*body, "experiments", top);
  const JsonPath experiments_path = top.key("experiments");
  const auto list = experiments ? r.array(*experiments, experiments_path) : std::nullopt;
  if (r.failed() || !list) {
    return r.error();
  }
  std::vector<model::ReportedFigure> figures;
  std::size_t index = 0;
  for (const element item : *list) {
    const JsonPath experiment_path = experiments_path.index(index++);
    if (const auto experiment = r.object(item, experiment_path)) {
      read_cells(r, *experiment, experiment_path, figures);
    }
    if (r.failed()) {
      return r.error();
    }
  }
  return figures;
}

} // namespace reckon::parse
