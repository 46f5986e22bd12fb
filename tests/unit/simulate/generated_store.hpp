// The small store generated once, and its analytics responses read back the way an importer
// would: with simdjson, by the file layout and the manifest.
#pragma once

#include "reckon/simulate/simulate.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace reckon::simulate::test {

using simdjson::dom::element;

std::optional<double> number_or_null(element value);
std::optional<double> optional_field(element object, const char* key);
std::string text(element value);
bool has_key(element object, const char* key);

struct Stat {
  std::optional<double> value, ci_low, ci_high, plus_minus, p2bb, p2bc;
  bool has_p2bc = false;
  bool has_uplift = false;
  std::optional<double> uplift_value, uplift_ci_low, uplift_ci_high, uplift_plus_minus;
};

struct Row {
  std::string variation;
  std::string audience;
  std::map<std::string, double> counts;
  std::map<std::string, Stat> stats;
  std::set<std::string> null_metrics;
};

struct Analytics {
  std::string dataset;
  std::vector<Row> rows;
  std::vector<std::string> variations; // ids in display order
  std::string control;
  std::size_t audience_order = 0;
  bool cogs = true;
  bool test_result = false;
  bool empty_graph_arrays = false;
};

Analytics read_analytics(const std::string& text);

// Every file of the small scenario, generated once for the suite.
class GeneratedStore : public ::testing::Test {
public:
  static void SetUpTestSuite();

  // Whether the truth lists a planted vendor error at this place of an analytics body.
  static bool planted(const std::string& file, std::size_t row, const std::string& metric,
                      const std::string& field);
  static std::vector<std::string> files_under(const std::string& prefix);

  static inline std::map<std::string, std::string> s_files;
  static inline std::vector<std::string> s_order;
  static inline std::set<std::string> s_planted;
};

} // namespace reckon::simulate::test
