#include "support/paths.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

namespace reckon::test {
namespace {

// Why a browser and not a JavaScript engine: the page's promise is that it renders in one,
// offline, under its Content-Security-Policy. Chromium's --dump-dom prints the DOM once the
// virtual time budget has run out, so the page itself writes what the test reads into
// attributes (data-rendered per chart, data-errors and data-charts-done on the body): no
// WebDriver server to start and talk to.
constexpr const char* k_virtual_time_ms = "30000";

std::optional<std::filesystem::path> find_chromium() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::filesystem::path candidate = std::filesystem::path(dirs.substr(start, end - start));
    for (const char* name : {"chromium", "chromium-browser"}) {
      if (::access((candidate / name).c_str(), X_OK) == 0) {
        return candidate / name;
      }
    }
    start = end + 1;
  }
  return std::nullopt;
}

// Headless, sandbox-less (tests may run as root), and with every host name unresolvable, so
// that a request the CSP let through would fail instead of reaching the network.
std::vector<std::string> browser_args(const std::filesystem::path& chromium,
                                      const std::filesystem::path& profile) {
  return {"120",
          chromium.string(),
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--host-resolver-rules=MAP * ~NOTFOUND",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--hide-scrollbars",
          "--user-data-dir=" + profile.string(),
          std::string("--virtual-time-budget=") + k_virtual_time_ms};
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string unescape(std::string text) {
  for (const auto& [entity, c] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
    for (std::size_t at = text.find(entity); at != std::string::npos;
         at = text.find(entity, at + 1)) {
      text.replace(at, entity.size(), c);
    }
  }
  return text;
}

std::string attribute(const std::string& tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const std::size_t at = tag.find(key);
  if (at == std::string::npos) {
    return {};
  }
  const std::size_t begin = at + key.size();
  return unescape(tag.substr(begin, tag.find('"', begin) - begin));
}

using Verdicts = std::map<std::pair<std::string, std::string>, std::string>;

// (experiment id, variation id) -> label, from the verdict badges of the rendered page.
Verdicts verdicts_shown(const std::string& dom) {
  Verdicts shown;
  const std::string open = "<span class=\"verdict ";
  for (std::size_t at = dom.find(open); at != std::string::npos; at = dom.find(open, at + 1)) {
    const std::size_t close = dom.find('>', at);
    const std::string tag = dom.substr(at, close - at);
    if (attribute(tag, "data-experiment").empty()) {
      continue; // the index repeats the badges without ids
    }
    shown[{attribute(tag, "data-experiment"), attribute(tag, "data-variation")}] =
        dom.substr(close + 1, dom.find('<', close) - close - 1);
  }
  return shown;
}

Verdicts verdicts_in_results(const std::filesystem::path& results_json) {
  Verdicts verdicts;
  simdjson::dom::parser parser;
  simdjson::dom::element document = parser.load(results_json.string());
  for (simdjson::dom::element experiment : document["experiments"].get_array()) {
    const std::string id(experiment["id"].get_string().value());
    simdjson::dom::element verdict = experiment["verdict"];
    if (verdict.is_null()) {
      continue;
    }
    for (simdjson::dom::element variation : verdict["variations"].get_array()) {
      verdicts[{id, std::string(variation["variation_id"].get_string().value())}] =
          std::string(variation["verdict"].get_string().value());
    }
  }
  return verdicts;
}

// The opening tags of the chart containers, each with what the page rendered into it.
std::vector<std::pair<std::string, std::string>> chart_containers(const std::string& dom) {
  std::vector<std::pair<std::string, std::string>> charts;
  const std::string open = "<div class=\"chart";
  for (std::size_t at = dom.find(open); at != std::string::npos; at = dom.find(open, at + 1)) {
    const std::size_t close = dom.find('>', at);
    const std::size_t end = dom.find("</figure>", close);
    charts.emplace_back(dom.substr(at, close - at), dom.substr(close, end - close));
  }
  return charts;
}

TEST(ReportInBrowser, EveryChartRendersOfflineWithoutErrorsAndTheVerdictsMatchTheResults) {
  const std::optional<std::filesystem::path> chromium = find_chromium();
  if (!chromium) {
    GTEST_SKIP() << "chromium is not installed (Debian: apt-get install chromium; "
                    "scripts/run test installs it): the report is not opened in a browser";
  }
  const auto dir = fresh_temp_dir("browser");
  // The demo's own report: the saved API responses imported, analysed and checked.
  const ProcessResult report = run_process(RECKON_BINARY,
                                           {"-q", "demo", "--data", (data_dir() / "demo").string(),
                                            "--out", "report", "--draws", "20000"},
                                           dir);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const std::filesystem::path index = dir / "report" / "index.html";
  const std::string url = "file://" + index.string();

  std::vector<std::string> args = browser_args(*chromium, dir / "profile");
  args.insert(args.end(), {"--dump-dom", url});
  const ProcessResult browser = run_process("/usr/bin/timeout", args, dir);
  ASSERT_EQ(browser.exit_code, 0) << browser.err;
  const std::string& dom = browser.out;

  // The page finished: every chart's promise settled, and nothing went wrong on the way.
  const auto charts = chart_containers(dom);
  ASSERT_GE(charts.size(), 9U) << "one uplift posterior per demo test";
  EXPECT_NE(dom.find("data-charts-done=\"" + std::to_string(charts.size()) + "\""),
            std::string::npos)
      << dom.substr(0, 2000);
  EXPECT_NE(dom.find("data-errors=\"[]\""), std::string::npos)
      << dom.substr(dom.find("data-errors"), 2000);
  for (const auto& [tag, content] : charts) {
    EXPECT_EQ(attribute(tag, "data-rendered"), "yes") << tag;
    EXPECT_NE(content.find("<svg"), std::string::npos) << tag;
  }

  // The segment and daily analyses are summarised beside each test's numbers.
  EXPECT_NE(dom.find("across segments: <b>"), std::string::npos);
  EXPECT_NE(dom.find(" over 14 days: "), std::string::npos);

  const Verdicts shown = verdicts_shown(dom);
  EXPECT_FALSE(shown.empty());
  EXPECT_EQ(shown, verdicts_in_results(dir / "report" / "results.json"));

  const std::filesystem::path screenshot =
      std::filesystem::path(RECKON_BROWSER_OUTPUT_DIR) / "report-demo.png";
  std::filesystem::remove(screenshot);
  args = browser_args(*chromium, dir / "profile");
  args.insert(args.end(), {"--window-size=1280,2400", "--screenshot=" + screenshot.string(), url});
  const ProcessResult shot = run_process("/usr/bin/timeout", args, dir);
  ASSERT_EQ(shot.exit_code, 0) << shot.err;
  const std::string png = read_text(screenshot);
  ASSERT_GT(png.size(), 20'000U) << "a blank page compresses to less";
  EXPECT_EQ(png.substr(1, 3), "PNG");
  std::cout << "screenshot of the demo report: " << screenshot.string() << '\n'
            << "index.html: " << std::filesystem::file_size(index) << " bytes\n";
}

} // namespace
} // namespace reckon::test
