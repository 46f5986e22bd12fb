#include "support/paths.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>

#include <simdjson.h>

#include <fstream>
#include <string>
#include <vector>

namespace reckon::test {
namespace {

const std::filesystem::path k_binary = RECKON_BINARY;

const std::string k_free_shipping_id = "839496aa-67cd-4f1c-ba67-3e4c51f71594";

std::string demo_counts() {
  return (data_dir() / "demo" / "counts.csv").string();
}

TEST(ListCommand, ListsEveryDemoTestWithItsOverallVisitors) {
  const std::filesystem::path dir = fresh_temp_dir("list");
  const ProcessResult table = run_process(k_binary, {"list", "--counts", demo_counts()}, dir);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("15 tests\n", 0), 0U) << table.out;
  for (const char* test :
       {"free-shipping-threshold", "cart-upsell-drawer", "checkout-trust-copy", "headline-bandit",
        "homepage-hero", "mobile-sticky-cart", "pdp-trust-badges", "price-ladder",
        "weekend-bundle-banner", "one-page-checkout", "free-returns-bar", "exit-intent-offer",
        "returns-promise-banner", "reviews-carousel", "size-guide-popup"}) {
    EXPECT_NE(table.out.find(std::string("  ") + test + " "), std::string::npos) << test;
  }
  // The CSV's overall rows of free-shipping-threshold: 22,424 + 22,536 visitors.
  EXPECT_NE(table.out.find("44,960\n"), std::string::npos) << table.out;
  std::size_t start = 0;
  while (start < table.out.size()) {
    const std::size_t end = table.out.find('\n', start);
    EXPECT_LE(end - start, 100U) << table.out.substr(start, end - start);
    start = end + 1;
  }

  const ProcessResult json =
      run_process(k_binary, {"list", "--counts", demo_counts(), "--format", "json"}, dir);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json.out).get(root), simdjson::SUCCESS) << json.out;
  EXPECT_EQ(std::string(root["schema"].get_string().value()), "reckon.list/v1");
  simdjson::dom::array tests = root["tests"].get_array().value();
  EXPECT_EQ(tests.size(), 15U);
  std::uint64_t visitors = 0;
  for (simdjson::dom::element test : tests) {
    EXPECT_EQ(std::string(test["source"].get_string().value()), "counts_csv");
    EXPECT_TRUE(test["status"].is_null());
    visitors += test["visitors"].get_uint64().value();
    if (std::string(test["id"].get_string().value()) == "free-shipping-threshold") {
      EXPECT_EQ(test["visitors"].get_uint64().value(), 44960U);
    }
  }
  // Every overall row of the demo CSV.
  EXPECT_EQ(visitors, 609248U);
}

TEST(ListCommand, AStoreListsNamesStatusAndDates) {
  const std::filesystem::path dir = fresh_temp_dir("list-store");
  ASSERT_EQ(run_process(k_binary,
                        {"-q", "import", (data_dir() / "demo").string(), "--store", "demo.db"}, dir)
                .exit_code,
            0);
  const ProcessResult csv =
      run_process(k_binary, {"list", "--store", "demo.db", "--format", "csv"}, dir);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("id,name,source,status,start,end,visitors\n", 0), 0U) << csv.out;
  EXPECT_NE(csv.out.find(k_free_shipping_id + ",Free shipping over $50,intelligems,"),
            std::string::npos)
      << csv.out;
  const ProcessResult table = run_process(k_binary, {"list", "--store", "demo.db"}, dir);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("  Free shipping over $50 "), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find(k_free_shipping_id), std::string::npos) << table.out;
}

TEST(ListCommand, ExperienceTakesAnIdASlugOrAName) {
  const std::filesystem::path dir = fresh_temp_dir("list-experience");
  ASSERT_EQ(run_process(k_binary,
                        {"-q", "import", (data_dir() / "demo").string(), "--store", "demo.db"}, dir)
                .exit_code,
            0);
  std::vector<std::string> outputs;
  for (const std::string& value : {k_free_shipping_id, std::string("free-shipping-over-50"),
                                   std::string("free shipping OVER $50")}) {
    const ProcessResult analyzed = run_process(
        k_binary, {"analyze", "--store", "demo.db", "--draws", "2000", "--experience", value}, dir);
    ASSERT_EQ(analyzed.exit_code, 0) << value << ": " << analyzed.err;
    EXPECT_NE(analyzed.out.find("Free shipping over $50"), std::string::npos) << analyzed.out;
    EXPECT_EQ(analyzed.out.find("Price ladder"), std::string::npos) << analyzed.out;
    outputs.push_back(analyzed.out);
  }
  EXPECT_EQ(outputs[0], outputs[1]);
  EXPECT_EQ(outputs[0], outputs[2]);

  // In a counts CSV the name is the id; its case does not matter.
  const ProcessResult by_id = run_process(
      k_binary,
      {"analyze", "--counts", demo_counts(), "--draws", "2000", "--experience", "price-ladder"},
      dir);
  const ProcessResult by_name = run_process(
      k_binary,
      {"analyze", "--counts", demo_counts(), "--draws", "2000", "--experience", "Price-Ladder"},
      dir);
  ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
  EXPECT_EQ(by_id.out, by_name.out);

  const ProcessResult unknown =
      run_process(k_binary, {"analyze", "--store", "demo.db", "--experience", "nope"}, dir);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("--experience: no experiment \"nope\" in demo.db (by id, slug or "
                             "name); the tests there: "),
            std::string::npos)
      << unknown.err;
  EXPECT_NE(unknown.err.find(k_free_shipping_id + " (Free shipping over $50)"), std::string::npos)
      << unknown.err;
}

TEST(ListCommand, AValueNamingSeveralTestsSaysWhich) {
  const std::filesystem::path dir = fresh_temp_dir("list-ambiguous");
  const std::string csv =
      "experiment,variation,is_control,segment_type,segment,date,visitors,conversions,revenue\n"
      "Promo,a,true,,,,100,5,50\nPromo,b,false,,,,100,6,60\n"
      "promo,a,true,,,,100,5,50\npromo,b,false,,,,100,6,60\n";
  {
    std::ofstream file(dir / "two.csv");
    file << csv;
  }
  const ProcessResult ambiguous =
      run_process(k_binary, {"list", "--counts", "two.csv", "--experience", "PROMO"}, dir);
  EXPECT_EQ(ambiguous.exit_code, 2);
  EXPECT_NE(ambiguous.err.find("--experience: \"PROMO\" is the name of 2 tests in two.csv: Promo, "
                               "promo; name one by its id"),
            std::string::npos)
      << ambiguous.err;
  const ProcessResult exact =
      run_process(k_binary, {"list", "--counts", "two.csv", "--experience", "promo"}, dir);
  ASSERT_EQ(exact.exit_code, 0) << exact.err;
  EXPECT_EQ(exact.out.rfind("1 test\n", 0), 0U) << exact.out;
}

} // namespace
} // namespace reckon::test
