#include "reckon/parse/results_document.hpp"

#include <simdjson.h>

namespace reckon::parse {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

std::optional<double> number_at(object parent, std::string_view key) {
  double number = 0.0;
  if (parent[key].get(number) != simdjson::SUCCESS) {
    return std::nullopt; // absent or null
  }
  return number;
}

std::string string_at(object parent, std::string_view key) {
  std::string_view text;
  if (parent[key].get(text) != simdjson::SUCCESS) {
    return {};
  }
  return std::string(text);
}

model::ReportedMetric read_reported(object reported, std::string metric) {
  model::ReportedMetric figure;
  figure.name = std::move(metric);
  bool whole_null = false;
  if (reported["whole_null"].get(whole_null) == simdjson::SUCCESS && whole_null) {
    figure.whole_null = true;
    return figure;
  }
  figure.value = number_at(reported, "value");
  figure.ci_low = number_at(reported, "ci_low");
  figure.ci_high = number_at(reported, "ci_high");
  figure.plus_minus = number_at(reported, "plus_minus");
  figure.p2bb = number_at(reported, "p2bb");
  figure.p2bc = number_at(reported, "p2bc");
  object uplift;
  if (reported["uplift"].get(uplift) == simdjson::SUCCESS) {
    figure.uplift =
        model::ReportedUplift{number_at(uplift, "value"), number_at(uplift, "ci_low"),
                              number_at(uplift, "ci_high"), number_at(uplift, "plus_minus")};
  }
  return figure;
}

util::Error malformed(std::string_view origin, const std::string& path) {
  return util::make_error(util::ErrorCode::bad_input, std::string(origin) + ": " + path,
                          "not a reckon.results/v1 document");
}

} // namespace

util::Result<std::vector<model::ReportedFigure>> read_reported_figures(std::string_view document,
                                                                       std::string_view origin) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(document.data(), document.size()).get(root) != simdjson::SUCCESS) {
    return util::make_error(util::ErrorCode::bad_input, std::string(origin),
                            "malformed JSON in a kept results document");
  }
  std::string_view schema;
  if (root["schema"].get(schema) != simdjson::SUCCESS || schema != "reckon.results/v1") {
    return malformed(origin, "schema");
  }
  simdjson::dom::array experiments;
  if (root["experiments"].get(experiments) != simdjson::SUCCESS) {
    return malformed(origin, "experiments");
  }
  std::vector<model::ReportedFigure> figures;
  std::size_t e = 0;
  for (element experiment_element : experiments) {
    object experiment;
    simdjson::dom::array cells;
    if (experiment_element.get(experiment) != simdjson::SUCCESS ||
        experiment["cells"].get(cells) != simdjson::SUCCESS) {
      return malformed(origin, "experiments[" + std::to_string(e) + "].cells");
    }
    const std::string id = string_at(experiment, "id");
    for (element cell_element : cells) {
      object cell;
      object reported;
      if (cell_element.get(cell) != simdjson::SUCCESS ||
          cell["reported"].get(reported) != simdjson::SUCCESS) {
        continue; // no figure kept for this cell
      }
      figures.push_back(
          {id,
           {string_at(cell, "segment_type"), string_at(cell, "segment"), string_at(cell, "date")},
           string_at(cell, "variation_id"),
           read_reported(reported, string_at(cell, "metric"))});
    }
    ++e;
  }
  return figures;
}

} // namespace reckon::parse
