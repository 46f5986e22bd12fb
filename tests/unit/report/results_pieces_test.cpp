#include "reckon/report/results_output.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace reckon::report {
namespace {

analysis::Results results_of(std::size_t experiments) {
  analysis::Results results;
  for (std::size_t i = 0; i < experiments; ++i) {
    analysis::ExperimentResult experiment;
    experiment.id = "e" + std::to_string(i);
    experiment.name = experiment.id;
    experiment.variations = {{"a", "a", true, {}}, {"b", "b", false, {}}};
    analysis::CellResult cell;
    cell.slice = model::Slice::overall();
    cell.metric = "conversion_rate";
    cell.variation_id = "a";
    cell.value = 0.1 * static_cast<double>(i + 1);
    experiment.cells.push_back(cell);
    results.experiments.push_back(experiment);
  }
  return results;
}

// The layout of the whole document (comma and indent before each experiment, an empty array
// closed on its line) comes out of pieces made apart.
TEST(ResultsPieces, JsonPiecesJoinIntoOneDocumentForAnyNumberOfExperiments) {
  EXPECT_NE(render_results_json(results_of(0), {"1", 1}).find("\"experiments\": []\n}\n"),
            std::string::npos);
  const std::string three = render_results_json(results_of(3), {"1", 1});
  EXPECT_NE(three.find("\"experiments\": [\n    {\n      \"id\": \"e0\""), std::string::npos);
  EXPECT_NE(three.find("\n    },\n    {\n      \"id\": \"e1\""), std::string::npos);
  EXPECT_EQ(three.substr(three.size() - 12), "    }\n  ]\n}\n");
  // Each piece depends on its index only, as another rank makes it.
  const auto pieces = results_json_pieces(results_of(3).options, {"1", 1});
  const analysis::Results results = results_of(3);
  std::string joined = pieces->begin();
  for (std::size_t i = 0; i < 3; ++i) {
    joined += results_json_pieces(results.options, {"1", 1})->experiment(results.experiments[i], i);
  }
  EXPECT_EQ(joined + pieces->end(3), three);
}

TEST(ResultsPieces, TheEngineNamesRanksOnlyWhenSeveralShared) {
  RunInfo alone{"1", 2};
  RunInfo shared = alone;
  shared.ranks = 3;
  const std::string one = render_results_json(results_of(1), alone);
  const std::string three = render_results_json(results_of(1), shared);
  EXPECT_EQ(one.find("\"ranks\""), std::string::npos);
  EXPECT_NE(three.find("\"threads\": 2,\n    \"ranks\": 3,\n"), std::string::npos);
  std::string without = three;
  without.erase(without.find("    \"ranks\": 3,\n"), std::string("    \"ranks\": 3,\n").size());
  EXPECT_EQ(without, one);
}

TEST(ResultsPieces, CsvAndTablePiecesJoinIntoTheirDocuments) {
  const analysis::Results results = results_of(2);
  const auto csv = results_csv_pieces();
  EXPECT_EQ(csv->begin() + csv->experiment(results.experiments[0], 0) +
                csv->experiment(results.experiments[1], 1) + csv->end(2),
            render_results_csv(results));
  const std::string header = csv->begin();
  EXPECT_EQ(std::count(header.begin(), header.end(), '\n'), 1);
  const auto table = results_table_pieces(results.options, {});
  EXPECT_EQ(table->experiment(results.experiments[0], 0) +
                table->experiment(results.experiments[1], 1),
            render_results_table(results));
}

} // namespace
} // namespace reckon::report
