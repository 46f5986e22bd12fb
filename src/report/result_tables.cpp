#include "reckon/report/result_tables.hpp"

#include "names.hpp"

#include "reckon/analysis/verdict.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace reckon::report {
namespace {

using util::ColumnType;
using util::TableValue;

constexpr ColumnType k_int = ColumnType::integer;
constexpr ColumnType k_real = ColumnType::real;
constexpr ColumnType k_text = ColumnType::text;

TableValue text(std::string_view value) {
  return std::string(value);
}

TableValue real(std::optional<double> value) {
  return value ? TableValue(*value) : TableValue();
}

TableValue integer(std::optional<std::int64_t> value) {
  return value ? TableValue(*value) : TableValue();
}

TableValue count(std::uint64_t value) {
  return static_cast<std::int64_t>(value);
}

TableValue flag(bool value) {
  return std::int64_t{value ? 1 : 0};
}

TableValue optional_text(const std::map<std::string, std::string, std::less<>>& by_id,
                         const std::string& id) {
  const auto found = by_id.find(id);
  return found == by_id.end() ? TableValue() : text(found->second);
}

util::Table experiments_table(const ReportInputs& inputs) {
  util::Table table{"experiments",
                    {{"id", k_text},
                     {"name", k_text},
                     {"status", k_text},
                     {"source", k_text},
                     {"runtime_days", k_int},
                     {"primary_metric", k_text},
                     {"primary_metric_reason", k_text},
                     {"srm_chi2", k_real},
                     {"srm_p_value", k_real},
                     {"srm_flagged", k_int},
                     {"allocation_assumed_equal", k_int},
                     {"health", k_text}},
                    {"id"},
                    {},
                    {}};
  for (const analysis::ExperimentResult& e : inputs.results.experiments) {
    const auto& srm = e.srm;
    table.rows.push_back(
        {text(e.id), text(e.name), text(e.status), text(e.source),
         integer(e.runtime_days ? std::optional<std::int64_t>(*e.runtime_days) : std::nullopt),
         e.verdict ? text(e.verdict->metric) : TableValue(),
         e.verdict ? text(e.verdict->metric_reason) : TableValue(),
         real(srm ? std::optional(srm->chi2) : std::nullopt),
         real(srm ? std::optional(srm->p_value) : std::nullopt),
         srm ? flag(srm->flagged) : TableValue(),
         srm ? flag(srm->allocation_assumed_equal) : TableValue(),
         optional_text(inputs.health, e.id)});
  }
  return table;
}

util::Table variations_table(const analysis::Results& results) {
  util::Table table{"variations",
                    {{"experiment_id", k_text},
                     {"variation_id", k_text},
                     {"name", k_text},
                     {"is_control", k_int},
                     {"allocation", k_real}},
                    {"experiment_id", "variation_id"},
                    {},
                    {}};
  for (const analysis::ExperimentResult& e : results.experiments) {
    for (const model::Variation& v : e.variations) {
      table.rows.push_back({text(e.id), text(v.id),
                            text(detail::variation_name(e.variations, v.id)), flag(v.is_control),
                            real(v.allocation)});
    }
  }
  return table;
}

util::Table verdicts_table(const analysis::Results& results) {
  util::Table table{"verdicts",
                    {{"experiment_id", k_text},
                     {"variation_id", k_text},
                     {"metric", k_text},
                     {"verdict", k_text},
                     {"reason", k_text}},
                    {"experiment_id", "variation_id"},
                    {},
                    {}};
  for (const analysis::ExperimentResult& e : results.experiments) {
    if (!e.verdict) {
      continue;
    }
    for (const analysis::VariationVerdict& v : e.verdict->variations) {
      table.rows.push_back({text(e.id), text(v.variation_id), text(e.verdict->metric),
                            text(analysis::verdict_label(v.verdict)), text(v.reason)});
    }
  }
  return table;
}

std::vector<TableValue> cell_row(const analysis::ExperimentResult& e,
                                 const analysis::CellResult& c) {
  const analysis::UpliftEstimate uplift = c.uplift.value_or(analysis::UpliftEstimate{});
  const model::ReportedMetric reported = c.reported.value_or(model::ReportedMetric{});
  const model::ReportedUplift reported_uplift = reported.uplift.value_or(model::ReportedUplift{});
  return {text(e.id),
          text(c.slice.segment_type),
          text(c.slice.segment),
          text(c.slice.date),
          text(detail::slice_kind(c.slice)),
          text(c.metric),
          text(c.variation_id),
          flag(c.is_control),
          count(c.n_visitors),
          count(c.n_orders),
          real(c.value),
          real(c.ci_low),
          real(c.ci_high),
          real(c.prob_best),
          real(c.prob_beat_control),
          real(c.expected_loss),
          real(uplift.value),
          real(uplift.ci_low),
          real(uplift.ci_high),
          text(c.model),
          real(reported.value),
          real(reported.p2bb),
          real(reported.p2bc),
          real(reported_uplift.value),
          c.drift ? flag(c.drift->flagged) : TableValue(),
          c.drift ? text(c.drift->reason) : TableValue()};
}

util::Table cells_table(const analysis::Results& results) {
  util::Table table{
      "cells",
      {{"experiment_id", k_text},  {"segment_type", k_text},  {"segment", k_text},
       {"date", k_text},           {"slice_kind", k_text},    {"metric", k_text},
       {"variation_id", k_text},   {"is_control", k_int},     {"n_visitors", k_int},
       {"n_orders", k_int},        {"value", k_real},         {"ci_low", k_real},
       {"ci_high", k_real},        {"p2bb", k_real},          {"p2bc", k_real},
       {"expected_loss", k_real},  {"uplift", k_real},        {"uplift_ci_low", k_real},
       {"uplift_ci_high", k_real}, {"model", k_text},         {"reported_value", k_real},
       {"reported_p2bb", k_real},  {"reported_p2bc", k_real}, {"reported_uplift", k_real},
       {"drift_flagged", k_int},   {"drift_reason", k_text}},
      {"experiment_id", "segment_type", "segment", "date", "metric", "variation_id"},
      {{"experiment_id", "slice_kind", "metric"}, {"experiment_id", "variation_id"}},
      {}};
  for (const analysis::ExperimentResult& e : results.experiments) {
    for (const analysis::CellResult& c : e.cells) {
      table.rows.push_back(cell_row(e, c));
    }
  }
  return table;
}

void add_call(std::vector<TableValue>& row, const analysis::SegmentCall& call) {
  const analysis::Evidence& evidence = call.evidence;
  row.insert(row.end(),
             {real(evidence.uplift), real(evidence.uplift_low), real(evidence.uplift_high),
              real(evidence.p2bc), text(analysis::segment_verdict_label(call.verdict))});
}

util::Table segments_table(const analysis::SegmentsReport& report) {
  util::Table table{"segments",
                    {{"experiment_id", k_text},
                     {"dimension", k_text},
                     {"segment", k_text},
                     {"variation_id", k_text},
                     {"metric", k_text},
                     {"control_visitors", k_int},
                     {"variant_visitors", k_int},
                     {"uplift", k_real},
                     {"uplift_ci_low", k_real},
                     {"uplift_ci_high", k_real},
                     {"p2bc", k_real},
                     {"verdict", k_text},
                     {"pooled_uplift", k_real},
                     {"pooled_uplift_ci_low", k_real},
                     {"pooled_uplift_ci_high", k_real},
                     {"pooled_p2bc", k_real},
                     {"pooled_verdict", k_text},
                     {"contradiction", k_int}},
                    {"experiment_id", "dimension", "segment", "variation_id", "metric"},
                    {{"experiment_id", "metric", "verdict"}},
                    {}};
  for (const analysis::ExperimentSegments& e : report.experiments) {
    for (const analysis::SegmentRow& r : e.rows) {
      std::vector<TableValue> row{
          text(e.id),     text(r.dimension),         text(r.segment),          text(r.variation_id),
          text(r.metric), count(r.control_visitors), count(r.variant_visitors)};
      add_call(row, r.raw);
      add_call(row, r.pooled);
      row.push_back(flag(r.contradiction));
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

} // namespace

std::vector<util::Table> result_tables(const ReportInputs& inputs) {
  std::vector<util::Table> tables{experiments_table(inputs), variations_table(inputs.results),
                                  verdicts_table(inputs.results), cells_table(inputs.results)};
  if (inputs.segments != nullptr) {
    tables.push_back(segments_table(*inputs.segments));
  }
  return tables;
}

} // namespace reckon::report
