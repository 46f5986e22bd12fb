#include "reckon/report/html_report.hpp"

#include "chart_library.hpp"
#include "html_sections.hpp"
#include "html_text.hpp"
#include "method_text.hpp"

#include "reckon/analysis/verdict.hpp"
#include "reckon/util/number_format.hpp"

namespace reckon::report {
namespace {

using namespace std::string_view_literals;

// Nothing may be fetched: no script, style, image, font, frame or connection from anywhere.
// Only the inline scripts and styles of the page itself and data: images (a chart exported as
// PNG) are allowed.
constexpr std::string_view k_content_security_policy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'";

constexpr std::string_view k_style = R"css(
:root { --ink: #1f2933; --muted: #65717e; --line: #dde3ea; --soft: #f5f7fa;
  --win: #1e7e34; --win-bg: #e3f4e8; --lose: #b42318; --lose-bg: #fde8e6;
  --warn: #9a6700; --warn-bg: #fff4d6; --accent: #2f5d8a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fff; }
main { max-width: 1260px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 0 0 2px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
a { color: var(--accent); }
code { font-size: 12px; color: var(--muted); }
.meta, .muted, .why { color: var(--muted); }
.why { font-size: 13px; }
.lead { margin: 0 0 18px; color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 5px 6px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
thead th { font-size: 12px; text-transform: uppercase; letter-spacing: .03em;
  color: var(--muted); border-bottom: 2px solid var(--line); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.metric-head th { background: var(--soft); font-size: 14px; }
tr.control td { color: #3d4852; }
td.win { color: var(--win); background: var(--win-bg); font-weight: 600; }
td.lose { color: var(--lose); background: var(--lose-bg); font-weight: 600; }
.scroll { overflow-x: auto; }
section.test { margin-top: 34px; padding-top: 18px; border-top: 3px solid var(--line); }
.headline { margin: 10px 0 14px; padding: 10px 14px; background: var(--soft);
  border-radius: 6px; }
.headline p { margin: 0 0 4px; }
.headline ul { margin: 0; padding: 0; list-style: none; }
.headline li { margin: 4px 0; }
.verdict { display: inline-block; min-width: 96px; padding: 1px 8px; border-radius: 4px;
  font-size: 12px; font-weight: 700; text-align: center; letter-spacing: .03em; }
.v-winner { background: var(--win-bg); color: var(--win); }
.v-loser { background: var(--lose-bg); color: var(--lose); }
.v-flat { background: #e9edf2; color: #3d4852; }
.v-keep-running { background: var(--warn-bg); color: var(--warn); }
.v-too-early { background: #e8eef8; color: var(--accent); }
.low-data { font-size: 11px; font-weight: 700; color: var(--warn); background: var(--warn-bg);
  padding: 0 4px; border-radius: 3px; }
.reported { display: inline-block; margin-right: 8px; white-space: nowrap; font-size: 12px; }
.reported.drift { color: var(--lose); font-weight: 600; }
td.notes, td.name { white-space: nowrap; }
a.note { display: inline-block; min-width: 18px; margin-right: 2px; font-size: 11px;
  text-align: center; text-decoration: none; border: 1px solid var(--line); border-radius: 9px; }
ol.notes { font-size: 12.5px; color: var(--muted); margin: 6px 0 0; padding-left: 22px; }
figure.chart-box { margin: 18px 0; }
figcaption { font-size: 13px; color: var(--muted); margin-bottom: 6px; }
figcaption b { color: var(--ink); font-size: 14px; margin-right: 6px; }
.srm.flagged { color: var(--lose); }
details { margin: 8px 0; font-size: 13px; }
dl.glossary dt { font-weight: 700; margin-top: 10px; }
dl.glossary dd { margin: 2px 0 0 0; color: #3d4852; }
footer { margin-top: 40px; font-size: 12px; color: var(--muted); }
)css";

// Runs before the chart libraries: records every error, rejected promise, CSP violation and
// console error or warning into the body's data-errors attribute, where a test reads them.
constexpr std::string_view k_error_recorder = R"js(
window.reckonErrors = [];
window.reckonNote = function (message) {
  window.reckonErrors.push(String(message && message.stack ? message.stack : message));
};
window.addEventListener('error', function (e) { window.reckonNote(e.message || 'error'); });
window.addEventListener('unhandledrejection', function (e) { window.reckonNote(e.reason); });
document.addEventListener('securitypolicyviolation', function (e) {
  window.reckonNote('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
});
['error', 'warn'].forEach(function (level) {
  var original = console[level];
  console[level] = function () {
    window.reckonNote(level + ': ' + Array.prototype.join.call(arguments, ' '));
    original.apply(console, arguments);
  };
});
)js";

// Renders every chart (SVG; the expression interpreter instead of eval, as the CSP forbids
// eval), then marks the body with the outcome.
constexpr std::string_view k_chart_runner = R"js(
(function () {
  var charts = document.querySelectorAll('.chart[data-spec]');
  var jobs = Array.prototype.map.call(charts, function (element) {
    try {
      var spec = JSON.parse(document.getElementById(element.dataset.spec).textContent);
      return vegaEmbed(element, spec, { renderer: 'svg', actions: false, ast: true })
        .then(function () {
          element.dataset.rendered = element.querySelector('svg, canvas') ? 'yes' : 'empty';
        })
        .catch(function (e) { element.dataset.rendered = 'failed'; window.reckonNote(e); });
    } catch (e) {
      element.dataset.rendered = 'failed';
      window.reckonNote(e);
      return Promise.resolve();
    }
  });
  Promise.all(jobs).then(function () {
    document.body.dataset.errors = JSON.stringify(window.reckonErrors);
    document.body.dataset.chartsDone = String(charts.length);
  });
})();
)js";

constexpr std::string_view k_glossary = R"html(
<section id="glossary"><h2>Glossary</h2><dl class="glossary">
<dt>Uplift</dt><dd>How much higher a variation's metric is than the control's, relative to the
control: (variation − control) / control. For lower-is-better metrics the verdict reads it the
other way round.</dd>
<dt>Credible interval</dt><dd>The range that holds the true value with the stated probability
(95 % unless the run says otherwise), given the data and the prior. Narrow intervals mean
precise numbers.</dd>
<dt>Chance to beat control (p2bc)</dt><dd>The posterior probability that the variation is
better than the control on this metric. Green at 95 % or more, red at 5 % or less.</dd>
<dt>Chance to be best (p2bb)</dt><dd>The posterior probability that the variation is the best
of all arms, the control included. With two arms it equals p2bc for the variant.</dd>
<dt>Expected loss</dt><dd>What you give up on average, in the metric's units, if you ship this
arm and it is not in fact the best: the risk of the decision. Small against the metric's value
means a safe choice even when the chance to win is modest.</dd>
<dt>LOW DATA</dt><dd>Too few visitors in an arm or too few orders in both arms together for the
verdict rule (--min-visitors, --min-orders): the numbers are shown, but no verdict rests on
them.</dd>
<dt>Drift (⚠)</dt><dd>A number the vendor reported that lies further from Reckon's
recomputation than Monte Carlo noise on both sides and the vendor's rounding allow. Hover the
mark for the numbers.</dd>
<dt>Verdicts</dt><dd>WINNER or LOSER: the chance to beat control passes the threshold and the
uplift leaves the neutral band. FLAT: the whole uplift interval lies inside the band. KEEP
RUNNING: none of these yet. TOO EARLY: too few days, visitors or orders.</dd>
<dt>Sample ratio mismatch (SRM)</dt><dd>A chi-square test of the visitors per arm against the
allocation; a small p-value means the split itself is broken.</dd>
</dl></section>
)html";

std::string head(const HtmlReportInput& input) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"";
  out += k_content_security_policy;
  out += "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
         "Reckon report: " +
         html::escape(input.source_name) + "</title>\n<style>";
  out += k_style;
  out += "</style>\n<script>";
  out += k_error_recorder;
  out += "</script>\n";
  for (const ChartScript& script : chart_library()) {
    out += "<script data-library=\"" + std::string(script.package) + "@" +
           std::string(script.version) + "\">";
    out += script.code;
    out += "</script>\n";
  }
  return out + "</head>\n";
}

std::string verdict_summary(const analysis::ExperimentResult& experiment) {
  if (!experiment.verdict) {
    return "<span class=\"muted\">no verdict</span>";
  }
  std::string out;
  for (const analysis::VariationVerdict& variation : experiment.verdict->variations) {
    out += "<div><span class=\"" + html::verdict_css(variation.verdict) + "\">" +
           html::escape(analysis::verdict_label(variation.verdict)) + "</span> " +
           html::escape(html::variation_name(experiment, variation.variation_id)) + "</div>";
  }
  return out;
}

std::string test_index(const HtmlReportInput& input) {
  std::string out = "<table class=\"index\">\n<thead><tr><th>Test</th><th>Source</th>"
                    "<th>Runtime</th><th>Verdict</th><th>Health</th></tr></thead>\n<tbody>\n";
  const auto& experiments = input.report.results.experiments;
  for (std::size_t i = 0; i < experiments.size(); ++i) {
    const analysis::ExperimentResult& experiment = experiments[i];
    const auto health = input.report.health.find(experiment.id);
    out += "<tr><td><a href=\"#" + html::section_anchor(i) + "\">" +
           html::escape(experiment.name.empty() ? experiment.id : experiment.name) +
           "</a></td><td>" + html::escape(experiment.source) + "</td><td class=\"num\">" +
           (experiment.runtime_days ? std::to_string(*experiment.runtime_days) + " days" : "") +
           "</td><td>" + verdict_summary(experiment) + "</td><td>" +
           (health == input.report.health.end() ? std::string() : html::escape(health->second)) +
           "</td></tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string run_facts(const HtmlReportInput& input) {
  const analysis::AnalysisOptions& options = input.report.results.options;
  std::string out = "<footer>Reckon " + html::escape(input.run.version) + " · " +
                    detail::method_summary(options) + ", " +
                    util::format_fixed(options.sampling.level * 100.0, 0) +
                    " % credible intervals, prior Beta(" +
                    util::format_round_trip(options.prior.alpha) + ", " +
                    util::format_round_trip(options.prior.beta) + ")";
  if (input.run.days.bounded()) {
    out += " · days " + html::escape(input.run.days.describe());
  }
  out += " · charts drawn by";
  for (const ChartScript& script : chart_library()) {
    out += " " + std::string(script.package) + " " + std::string(script.version);
  }
  return out + ", compiled into this page.</footer>\n";
}

} // namespace

std::string render_html_report(const HtmlReportInput& input) {
  std::string body = "<body>\n<main>\n<h1>Reckon report</h1>\n<p class=\"lead\">" +
                     std::to_string(input.report.results.experiments.size()) + " tests from " +
                     html::escape(input.source_name) +
                     ", re-analysed offline. Verdicts are on each test's primary metric; "
                     "see the <a href=\"#glossary\">glossary</a> for the terms.</p>\n";
  body += test_index(input);
  html::ChartCounter charts;
  for (std::size_t i = 0; i < input.report.results.experiments.size(); ++i) {
    body += html::experiment_section(input, i, charts);
  }
  body += k_glossary;
  body += run_facts(input);
  body += "</main>\n<script>";
  body += k_chart_runner;
  body += "</script>\n</body>\n</html>\n";
  return head(input) + body;
}

} // namespace reckon::report
