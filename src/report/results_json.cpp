#include "reckon/report/results_output.hpp"

#include "results_json_parts.hpp"

#include "reckon/analysis/verdict.hpp"
#include "reckon/util/json_writer.hpp"

#include <utility>

namespace reckon::report {
namespace {

void write_verdict_rule(util::JsonWriter& json, const analysis::VerdictRule& rule) {
  json.key("verdict_rule").begin_object();
  json.key("threshold").value(rule.threshold);
  json.key("neutral_band").value(rule.neutral_band);
  json.key("min_runtime_days").value(rule.min_runtime_days);
  json.key("min_visitors").value(rule.min_visitors);
  json.key("min_orders").value(rule.min_orders);
  json.end_object();
}

void write_engine(util::JsonWriter& json, const analysis::AnalysisOptions& options,
                  const RunInfo& run) {
  json.key("engine").begin_object();
  json.key("version").value(run.version);
  json.key("draws").value(options.sampling.draws);
  json.key("seed").value(options.sampling.seed);
  json.key("threads").value(static_cast<std::uint64_t>(run.threads));
  if (run.ranks > 1) {
    json.key("ranks").value(static_cast<std::uint64_t>(run.ranks));
  }
  json.key("level").value(options.sampling.level);
  json.key("prior").begin_array().value(options.prior.alpha).value(options.prior.beta).end_array();
  write_verdict_rule(json, options.verdict);
  detail::write_day_range_json(json, run);
  json.end_object();
}

void write_variation(util::JsonWriter& json, const model::Variation& variation) {
  json.begin_object();
  json.key("id").value(variation.id);
  json.key("name").value(variation.name);
  json.key("is_control").value(variation.is_control);
  json.key("allocation").value(variation.allocation);
  json.end_object();
}

void write_srm(util::JsonWriter& json, const std::optional<analysis::SampleRatioCheck>& srm) {
  json.key("srm");
  if (!srm) {
    json.null();
    return;
  }
  json.begin_object();
  json.key("chi2").value(srm->chi2);
  json.key("p_value").value(srm->p_value);
  json.key("flag").value(srm->flagged);
  json.key("allocation_assumed_equal").value(srm->allocation_assumed_equal);
  json.end_object();
}

void write_reported(util::JsonWriter& json, const std::optional<model::ReportedMetric>& reported) {
  json.key("reported");
  if (!reported) {
    json.null();
    return;
  }
  if (reported->whole_null) {
    json.begin_object().key("whole_null").value(true).end_object();
    return;
  }
  json.begin_object();
  json.key("value").value(reported->value);
  json.key("ci_low").value(reported->ci_low);
  json.key("ci_high").value(reported->ci_high);
  json.key("plus_minus").value(reported->plus_minus);
  json.key("p2bb").value(reported->p2bb);
  json.key("p2bc").value(reported->p2bc);
  json.key("uplift");
  if (reported->uplift) {
    json.begin_object();
    json.key("value").value(reported->uplift->value);
    json.key("ci_low").value(reported->uplift->ci_low);
    json.key("ci_high").value(reported->uplift->ci_high);
    json.key("plus_minus").value(reported->uplift->plus_minus);
    json.end_object();
  } else {
    json.null();
  }
  // A frequentist source's test (the experimentation platform); absent for the others.
  if (reported->confidence) {
    json.key("confidence").value(*reported->confidence);
  }
  if (reported->significant) {
    json.key("significant").value(*reported->significant);
  }
  json.end_object();
}

void write_drift(util::JsonWriter& json, const std::optional<analysis::CellDrift>& drift) {
  json.key("drift");
  if (!drift) {
    json.null();
    return;
  }
  json.begin_object();
  for (const analysis::FieldDrift& field : drift->fields) {
    json.key(field.field).begin_object();
    json.key("reported").value(field.reported);
    json.key("recomputed").value(field.recomputed);
    json.key("difference").value(field.recomputed - field.reported);
    json.key("tolerance").value(field.tolerance);
    json.key("flag").value(field.flagged);
    json.end_object();
  }
  json.key("flag").value(drift->flagged);
  json.key("reason").value(drift->reason);
  json.end_object();
}

void write_coverage(util::JsonWriter& json, const std::vector<analysis::MetricCoverage>& metrics) {
  json.key("metrics").begin_array();
  for (const analysis::MetricCoverage& metric : metrics) {
    json.begin_object();
    json.key("name").value(metric.name);
    json.key("reanalysed").value(metric.reanalysed);
    json.key("reason");
    metric.reason.empty() ? json.null() : json.value(metric.reason);
    json.end_object();
  }
  json.end_array();
}

void write_cell(util::JsonWriter& json, const analysis::CellResult& cell) {
  json.begin_object();
  json.key("segment_type").value(cell.slice.segment_type);
  json.key("segment").value(cell.slice.segment);
  if (!cell.slice.date.empty()) {
    json.key("date").value(cell.slice.date);
  }
  json.key("metric").value(cell.metric);
  json.key("variation_id").value(cell.variation_id);
  json.key("is_control").value(cell.is_control);
  json.key("n_visitors").value(cell.n_visitors);
  json.key("n_orders").value(cell.n_orders);
  json.key("value").value(cell.value);
  json.key("ci_low").value(cell.ci_low);
  json.key("ci_high").value(cell.ci_high);
  json.key("p2bb").value(cell.prob_best);
  json.key("p2bc").value(cell.prob_beat_control);
  json.key("expected_loss").value(cell.expected_loss);
  json.key("uplift");
  if (cell.uplift) {
    json.begin_object();
    json.key("value").value(cell.uplift->value);
    json.key("ci_low").value(cell.uplift->ci_low);
    json.key("ci_high").value(cell.uplift->ci_high);
    json.end_object();
  } else {
    json.null();
  }
  json.key("mc_se").begin_object();
  json.key("p2bb").value(cell.prob_best_se);
  json.key("p2bc").value(cell.prob_beat_control_se);
  json.key("expected_loss").value(cell.expected_loss_se);
  json.key("ci_low").value(interval_bound(cell.ci_se, &stats::Interval::low));
  json.key("ci_high").value(interval_bound(cell.ci_se, &stats::Interval::high));
  json.key("uplift_ci_low").value(interval_bound(cell.uplift_ci_se, &stats::Interval::low));
  json.key("uplift_ci_high").value(interval_bound(cell.uplift_ci_se, &stats::Interval::high));
  json.end_object();
  json.key("model").value(cell.model);
  json.key("assumptions").begin_array();
  for (const std::string& assumption : cell.assumptions) {
    json.value(assumption);
  }
  json.end_array();
  write_reported(json, cell.reported);
  write_drift(json, cell.drift);
  json.end_object();
}

void write_experiment(util::JsonWriter& json, const analysis::ExperimentResult& experiment) {
  json.begin_object();
  json.key("id").value(experiment.id);
  json.key("name").value(experiment.name);
  json.key("status");
  experiment.status.empty() ? json.null() : json.value(experiment.status);
  json.key("source").value(experiment.source);
  json.key("runtime_days");
  experiment.runtime_days ? json.value(*experiment.runtime_days) : json.null();
  json.key("variations").begin_array();
  for (const model::Variation& variation : experiment.variations) {
    write_variation(json, variation);
  }
  json.end_array();
  write_srm(json, experiment.srm);
  // Only sources whose data need a word have notes (bandits), so other documents stay as they were.
  if (!experiment.notes.empty()) {
    json.key("notes").begin_array();
    for (const std::string& note : experiment.notes) {
      json.value(note);
    }
    json.end_array();
  }
  detail::write_verdict_json(json, experiment.verdict);
  write_coverage(json, experiment.metrics);
  json.key("cells").begin_array();
  for (const analysis::CellResult& cell : experiment.cells) {
    write_cell(json, cell);
  }
  json.end_array();
  json.end_object();
}

class JsonPieces final : public ResultsPieces {
public:
  JsonPieces(const analysis::AnalysisOptions& options, RunInfo run)
      : m_options(options), m_run(std::move(run)) {}

  std::string begin() const override {
    util::JsonWriter json;
    json.begin_object();
    json.key("schema").value("reckon.results/v1");
    write_engine(json, m_options, m_run);
    json.key("experiments").begin_array();
    return json.take();
  }

  std::string experiment(const analysis::ExperimentResult& experiment,
                         std::size_t index) const override {
    util::JsonWriter json = within_experiments(index);
    write_experiment(json, experiment);
    return json.take();
  }

  std::string end(std::size_t count) const override {
    util::JsonWriter json = within_experiments(count);
    json.end_array();
    json.end_object();
    return json.finish();
  }

private:
  // A writer inside the experiments array after `before` experiments: the layout (indent,
  // separating comma) the next one gets in the whole document.
  static util::JsonWriter within_experiments(std::size_t before) {
    util::JsonWriter json;
    json.begin_object().key("experiments").begin_array();
    if (before > 0) {
      json.null(); // stands for the experiments before
    }
    json.take();
    return json;
  }

  analysis::AnalysisOptions m_options;
  RunInfo m_run;
};

} // namespace

std::unique_ptr<ResultsPieces> results_json_pieces(const analysis::AnalysisOptions& options,
                                                   const RunInfo& run) {
  return std::make_unique<JsonPieces>(options, run);
}

std::string render_results_json(const analysis::Results& results, const RunInfo& run) {
  return join_pieces(*results_json_pieces(results.options, run), results);
}

std::string join_pieces(const ResultsPieces& pieces, const analysis::Results& results) {
  std::string text = pieces.begin();
  for (std::size_t i = 0; i < results.experiments.size(); ++i) {
    text += pieces.experiment(results.experiments[i], i);
  }
  return text + pieces.end(results.experiments.size());
}

namespace detail {

void write_engine_json(util::JsonWriter& json, const analysis::AnalysisOptions& options,
                       const RunInfo& run) {
  write_engine(json, options, run);
}

void write_cell_json(util::JsonWriter& json, const analysis::CellResult& cell) {
  write_cell(json, cell);
}

void write_day_range_json(util::JsonWriter& json, const RunInfo& run) {
  if (!run.days.bounded()) {
    return;
  }
  json.key("days").begin_object();
  for (const auto& [key, bound] : {std::pair{"from", &run.days.from}, {"to", &run.days.to}}) {
    json.key(key);
    if (*bound) {
      json.value((*bound)->to_string());
    } else {
      json.null();
    }
  }
  json.end_object();
}

void write_verdict_json(util::JsonWriter& json,
                        const std::optional<analysis::TestVerdict>& verdict) {
  json.key("verdict");
  if (!verdict) {
    json.null();
    return;
  }
  json.begin_object();
  json.key("metric").value(verdict->metric);
  json.key("metric_reason").value(verdict->metric_reason);
  json.key("variations");
  write_variation_verdicts_json(json, verdict->variations);
  json.end_object();
}

void write_variation_verdicts_json(util::JsonWriter& json,
                                   const std::vector<analysis::VariationVerdict>& verdicts) {
  json.begin_array();
  for (const analysis::VariationVerdict& variation : verdicts) {
    json.begin_object();
    json.key("variation_id").value(variation.variation_id);
    json.key("verdict").value(analysis::verdict_label(variation.verdict));
    json.key("reason").value(variation.reason);
    json.end_object();
  }
  json.end_array();
}

} // namespace detail

} // namespace reckon::report
