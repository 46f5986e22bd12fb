#include "generated_store.hpp"

#include "fixture.hpp"

namespace reckon::simulate::test {

std::optional<double> number_or_null(element value) {
  if (value.is_null()) {
    return std::nullopt;
  }
  return double(value);
}

std::optional<double> optional_field(element object, const char* key) {
  element value;
  if (object[key].get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return number_or_null(value);
}

std::string text(element value) {
  return std::string(std::string_view(value));
}

bool has_key(element object, const char* key) {
  element value;
  return object[key].get(value) == simdjson::SUCCESS;
}

Analytics read_analytics(const std::string& text) {
  simdjson::dom::parser parser;
  const element root = parser.parse(text);
  Analytics result;
  result.dataset = std::string(std::string_view(root["datasetId"]));
  result.cogs = bool(root["cogsConfigured"]);
  result.test_result = has_key(root, "testResult");
  for (const element variation : root["variations"]) {
    result.variations.emplace_back(std::string_view(variation["id"]));
    if (bool(variation["isControl"])) {
      result.control = std::string(std::string_view(variation["id"]));
    }
  }
  result.audience_order = simdjson::dom::array(root["audienceOrder"]).size();
  result.empty_graph_arrays = simdjson::dom::array(root["histogram"]).size() == 0 &&
                              simdjson::dom::array(root["kde"]).size() == 0 &&
                              simdjson::dom::array(root["cdf"]).size() == 0;
  for (const element row_element : root["metrics"]) {
    Row row;
    for (const auto [key, value] : simdjson::dom::object(row_element)) {
      const std::string name(key);
      if (name == "variation_id") {
        row.variation = std::string(std::string_view(value));
      } else if (name == "audience") {
        row.audience = std::string(std::string_view(value));
      } else if (value.is_null()) {
        row.null_metrics.insert(name);
      } else if (has_key(value, "p2bb")) {
        Stat stat;
        stat.value = optional_field(value, "value");
        stat.ci_low = optional_field(value, "ci_low");
        stat.ci_high = optional_field(value, "ci_high");
        stat.plus_minus = optional_field(value, "plus_minus");
        stat.p2bb = optional_field(value, "p2bb");
        stat.has_p2bc = has_key(value, "p2bc");
        stat.p2bc = optional_field(value, "p2bc");
        stat.has_uplift = has_key(value, "uplift");
        if (stat.has_uplift) {
          const element uplift = value["uplift"];
          stat.uplift_value = optional_field(uplift, "value");
          stat.uplift_ci_low = optional_field(uplift, "ci_low");
          stat.uplift_ci_high = optional_field(uplift, "ci_high");
          stat.uplift_plus_minus = optional_field(uplift, "plus_minus");
        }
        row.stats[name] = stat;
      } else {
        row.counts[name] = double(value["value"]);
      }
    }
    result.rows.push_back(std::move(row));
  }
  return result;
}

void GeneratedStore::SetUpTestSuite() {
  const model::Scenario scenario = small_scenario();
  for (GeneratedFile& file : generate(scenario)) {
    s_order.push_back(file.path);
    s_files.emplace(file.path, std::move(file.content));
  }
  simdjson::dom::parser parser;
  const element truth = parser.parse(s_files.at("truth.json"));
  for (const element experiment : truth["experiments"]) {
    for (const element planted : experiment["vendor_errors"]) {
      s_planted.insert(std::string(std::string_view(planted["file"])) + "#" +
                       std::string(std::string_view(planted["json_path"])));
    }
  }
}

bool GeneratedStore::planted(const std::string& file, std::size_t row, const std::string& metric,
                             const std::string& field) {
  return s_planted.count(file + "#metrics[" + std::to_string(row) + "]." + metric + "." + field) !=
         0;
}

std::vector<std::string> GeneratedStore::files_under(const std::string& prefix) {
  std::vector<std::string> found;
  for (const std::string& path : s_order) {
    if (path.rfind(prefix, 0) == 0) {
      found.push_back(path);
    }
  }
  return found;
}

} // namespace reckon::simulate::test
