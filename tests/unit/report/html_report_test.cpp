#include "reckon/report/html_report.hpp"

#include "report/html_posterior.hpp"

#include "reckon/stats/beta.hpp"
#include "reckon/stats/exact.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

namespace reckon::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* k_hostile = "A <&\"> test";

analysis::CellResult rate_cell(const std::string& variation, bool control, double rate,
                               std::uint64_t visitors) {
  analysis::CellResult cell;
  cell.slice = model::Slice::overall();
  cell.metric = "conversion_rate";
  cell.variation_id = variation;
  cell.is_control = control;
  cell.n_visitors = visitors;
  cell.n_orders = static_cast<std::uint64_t>(rate * static_cast<double>(visitors) + 0.5);
  cell.value = rate;
  cell.model = "beta_binomial";
  cell.assumptions = {"prior Beta(1, 1)"};
  return cell;
}

// A two-arm test whose names hold every character HTML must escape.
analysis::Results hostile_results() {
  analysis::ExperimentResult experiment;
  experiment.id = "exp-1";
  experiment.name = k_hostile;
  experiment.source = "counts_csv";
  experiment.runtime_days = 14;
  experiment.variations = {{"v0", "control", true, 0.5}, {"v1", "<b>\"bold\"&</b>", false, 0.5}};
  experiment.srm = analysis::SampleRatioCheck{0.5, 0.48, false, false};
  experiment.cells.push_back(rate_cell("v0", true, 0.05, 10'000));
  analysis::CellResult variant = rate_cell("v1", false, 0.055, 10'000);
  variant.prob_beat_control = 0.9996;
  variant.prob_best = 0.9996;
  variant.expected_loss = 0.00001;
  variant.uplift = analysis::UpliftEstimate{0.1, -0.02, 0.23};
  experiment.cells.push_back(variant);
  experiment.verdict = analysis::TestVerdict{
      "conversion_rate", "the only metric", {{"v1", analysis::Verdict::winner, "P 99.96 %"}}};
  analysis::Results results;
  results.experiments.push_back(experiment);
  return results;
}

std::string page_of(const analysis::Results& results,
                    std::map<std::string, std::string, std::less<>> health = {}) {
  const ReportInputs inputs{results, std::move(health)};
  return render_html_report(HtmlReportInput{inputs, RunInfo{"9.9.9", 1, {}}, "counts.csv"});
}

// The text of every <script type="application/json"> element.
std::vector<std::string> chart_specs(const std::string& page) {
  std::vector<std::string> specs;
  const std::string open = "<script type=\"application/json\"";
  for (std::size_t at = page.find(open); at != std::string::npos; at = page.find(open, at + 1)) {
    const std::size_t begin = page.find('>', at) + 1;
    specs.push_back(page.substr(begin, page.find("</script>", begin) - begin));
  }
  return specs;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

// The page without the inlined libraries' code, which mentions src= and URLs in its own strings.
std::string without_libraries(std::string page) {
  const std::string open = "<script data-library=";
  for (std::size_t at = page.find(open); at != std::string::npos; at = page.find(open, at)) {
    const std::size_t code = page.find('>', at) + 1;
    page.erase(code, page.find("</script>", code) - code);
    at = code;
  }
  return page;
}

TEST(HtmlReport, ForbidsEveryNetworkLoadAndLoadsNothingFromOutside) {
  const std::string whole = page_of(hostile_results());
  const std::string page = without_libraries(whole);
  EXPECT_GT(whole.size(), page.size() + 500'000); // vega, vega-lite and vega-embed are inside
  EXPECT_THAT(page, HasSubstr("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                              "'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                              "img-src data:;"));
  EXPECT_THAT(page, Not(HasSubstr(" src=")));
  EXPECT_THAT(page, Not(HasSubstr("<link")));
  EXPECT_THAT(page, Not(HasSubstr("@import")));
  // The three libraries are inlined, in load order.
  const std::size_t vega = page.find("<script data-library=\"vega@5.");
  const std::size_t lite = page.find("<script data-library=\"vega-lite@5.");
  const std::size_t embed = page.find("<script data-library=\"vega-embed@6.");
  ASSERT_NE(vega, std::string::npos);
  EXPECT_LT(vega, lite);
  EXPECT_LT(lite, embed);
  EXPECT_NE(embed, std::string::npos);
}

TEST(HtmlReport, EscapesNamesWhereverTheyAppear) {
  const std::string page = page_of(hostile_results());
  EXPECT_THAT(page, Not(HasSubstr(k_hostile)));
  EXPECT_THAT(page, Not(HasSubstr("<b>\"bold\"")));
  EXPECT_THAT(page, HasSubstr("<h2>A &lt;&amp;&quot;&gt; test</h2>"));
  EXPECT_THAT(page, HasSubstr("&lt;b&gt;&quot;bold&quot;&amp;&lt;/b&gt;"));
  // Inside the chart's JSON the name is a JSON string whose `<` cannot close the script.
  const std::vector<std::string> specs = chart_specs(page);
  ASSERT_EQ(specs.size(), 1U);
  EXPECT_THAT(specs[0], HasSubstr("\\u003cb>\\\"bold\\\"&\\u003c/b>"));
}

TEST(HtmlReport, ShowsIndexVerdictsProbabilitiesAndAssumptions) {
  const std::string page = page_of(hostile_results(), {{"exp-1", "healthy <ok>"}});
  EXPECT_THAT(page, HasSubstr("<a href=\"#test-1\">A &lt;&amp;&quot;&gt; test</a>"));
  EXPECT_THAT(page, HasSubstr("<td>healthy &lt;ok&gt;</td>"));
  EXPECT_THAT(page, HasSubstr("<span class=\"verdict v-winner\" data-experiment=\"exp-1\" "
                              "data-variation=\"v1\">WINNER</span>"));
  // GrowthBook's colouring, and probabilities as bounded percentages.
  EXPECT_THAT(page, HasSubstr("<td class=\"num win\">&gt;99.9 %</td>"));
  EXPECT_THAT(page, HasSubstr("+10.0 %"));
  EXPECT_THAT(page, HasSubstr("<li id=\"test-1-note-1\">prior Beta(1, 1)</li>"));
  EXPECT_THAT(page, HasSubstr("χ² = 0.50, p = 0.4800"));
  EXPECT_THAT(page, HasSubstr("<dt>Expected loss</dt>"));
  EXPECT_THAT(page, HasSubstr("<dt>LOW DATA</dt>"));
}

TEST(HtmlReport, MarksLowDataWhereTheVerdictRuleWouldNotDecide) {
  analysis::Results results = hostile_results();
  results.experiments[0].cells[0].n_visitors = 40; // under --min-visitors 100
  const std::string page = page_of(results);
  EXPECT_THAT(page, HasSubstr(">LOW DATA</span>"));
  EXPECT_THAT(page, HasSubstr("title=\"40 visitors in v0, 100 needed\""));
  EXPECT_THAT(page_of(hostile_results()), Not(HasSubstr(">LOW DATA</span>")));
}

TEST(HtmlReport, SaysWhatTheDailyAnalysisFoundOnThePrimaryMetric) {
  const analysis::Results results = hostile_results();
  analysis::TemporalResults temporal;
  analysis::ExperimentTimeline timeline;
  timeline.id = "exp-1";
  timeline.metric = "conversion_rate";
  timeline.days.resize(3);
  analysis::VariationTimeline variation;
  variation.variation_id = "v1";
  variation.metric = "conversion_rate";
  variation.trend.label = "fading";
  variation.day_type.call = "weekend only";
  timeline.timelines.push_back(variation);
  variation.metric = "net_revenue_per_visitor"; // not the primary metric: not described
  variation.trend.label = "growing";
  timeline.timelines.push_back(variation);
  temporal.experiments.push_back(timeline);
  const ReportInputs inputs{.results = results, .temporal = &temporal};
  const std::string page =
      render_html_report(HtmlReportInput{inputs, RunInfo{"9.9.9", 1, {}}, "counts.csv"});
  EXPECT_THAT(page, HasSubstr("<h3>By segment and over time</h3>"));
  EXPECT_THAT(page, HasSubstr("<li><b>&lt;b&gt;&quot;bold&quot;&amp;&lt;/b&gt;</b> over 3 days: "
                              "uplift fading; weekend only</li>"));
  EXPECT_THAT(page, Not(HasSubstr("growing")));
  EXPECT_THAT(page_of(results), Not(HasSubstr("By segment and over time")));
}

TEST(HtmlReport, EveryChartSpecIsValidVegaLiteJsonWithItsContainer) {
  const std::string page = page_of(hostile_results());
  const std::vector<std::string> specs = chart_specs(page);
  ASSERT_FALSE(specs.empty());
  EXPECT_EQ(count_of(page, "<div class=\"chart\" id=\"chart-"), specs.size());
  simdjson::dom::parser parser;
  for (const std::string& spec : specs) {
    simdjson::dom::element document;
    ASSERT_EQ(parser.parse(spec).get(document), simdjson::SUCCESS) << spec.substr(0, 200);
    std::string_view schema;
    ASSERT_EQ(document["$schema"].get(schema), simdjson::SUCCESS);
    EXPECT_EQ(schema, "https://vega.github.io/schema/vega-lite/v5.json");
    simdjson::dom::array values;
    ASSERT_EQ(document["data"]["values"].get(values), simdjson::SUCCESS);
    EXPECT_GT(values.size(), 10U);
  }
}

// The density of the uplift of two Beta posteriors integrates to the mass its grid covers, and
// its mass above zero is P(variant > control), which stats::prob_greater computes exactly.
TEST(HtmlPosterior, ExactBetaRatioDensityAgreesWithTheExactProbabilityToBeatControl) {
  const analysis::Results results = hostile_results();
  const std::vector<html::UpliftDensity> densities =
      html::uplift_densities(results.experiments[0], "conversion_rate", results.options);
  ASSERT_EQ(densities.size(), 1U);
  EXPECT_EQ(densities[0].method, html::DensityMethod::exact_beta_ratio);
  EXPECT_EQ(densities[0].variation, "<b>\"bold\"&</b>");
  double mass = 0.0;
  double above_zero = 0.0;
  const auto& points = densities[0].points;
  for (std::size_t i = 1; i < points.size(); ++i) {
    const double width = points[i].uplift - points[i - 1].uplift;
    const double area = width * (points[i].density + points[i - 1].density) / 2.0;
    mass += area;
    above_zero += points[i - 1].uplift >= 0.0 ? area : 0.0;
  }
  const stats::BetaParams control = stats::beta_posterior({}, 500, 10'000);
  const stats::BetaParams variant = stats::beta_posterior({}, 550, 10'000);
  EXPECT_NEAR(mass, 1.0, 0.002);
  // The trapezoids start at the first grid point at or above zero: within one step of mass.
  EXPECT_NEAR(above_zero, stats::prob_greater(variant, control), 0.01);
}

} // namespace
} // namespace reckon::report
