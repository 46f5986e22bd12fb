#include "reckon/report/results_output.hpp"

#include "csv_text.hpp"
#include "names.hpp"

#include "reckon/analysis/verdict.hpp"

#include <string_view>
#include <vector>

namespace reckon::report {

using detail::csv_field;
using detail::csv_number;

namespace {

struct Row {
  const analysis::ExperimentResult& experiment;
  const analysis::CellResult& cell;

  analysis::UpliftEstimate uplift() const {
    return cell.uplift.value_or(analysis::UpliftEstimate{});
  }
  model::ReportedMetric reported() const { return cell.reported.value_or(model::ReportedMetric{}); }
  model::ReportedUplift reported_uplift() const {
    return reported().uplift.value_or(model::ReportedUplift{});
  }
};

// results.csv (`analyze --format csv`) is what scripts already read: its columns stay as they
// are. cells.csv, the report folder's table of every cell, adds the names beside the ids, the
// kind of slice, the test's verdict on every row of a variation, the vendor's numbers and the
// drift check: the same rows and numbers, with everything a spreadsheet needs to stand alone.
enum class Document { both, cells_only };

struct Column {
  std::string_view name;
  Document document;
  std::string (*field)(const Row&);
};

std::string flag(bool value) {
  return value ? "true" : "false";
}

// The verdict the overall cell of a variant on the primary metric carries; empty elsewhere.
std::string deciding_verdict(const Row& row) {
  const analysis::VariationVerdict* verdict =
      detail::verdict_of(row.experiment, row.cell.variation_id);
  if (verdict == nullptr || row.cell.is_control || !row.cell.slice.is_overall() ||
      row.cell.metric != row.experiment.verdict->metric) {
    return {};
  }
  return std::string(analysis::verdict_label(verdict->verdict));
}

std::string test_verdict(const Row& row) {
  const analysis::VariationVerdict* verdict =
      detail::verdict_of(row.experiment, row.cell.variation_id);
  return verdict == nullptr ? std::string()
                            : std::string(analysis::verdict_label(verdict->verdict));
}

std::string drifted_fields(const Row& row) {
  std::string fields;
  if (row.cell.drift) {
    for (const analysis::FieldDrift& field : row.cell.drift->fields) {
      if (field.flagged) {
        fields += (fields.empty() ? "" : ";") + field.field;
      }
    }
  }
  return csv_field(fields);
}

std::string joined_assumptions(const Row& row) {
  std::string text;
  for (const std::string& assumption : row.cell.assumptions) {
    text += (text.empty() ? "" : "; ") + assumption;
  }
  return csv_field(text);
}

using D = Document;

const std::vector<Column>& columns() {
  static const std::vector<Column> k_columns{
      {"experiment", D::both, [](const Row& r) { return csv_field(r.experiment.id); }},
      {"experiment_name", D::cells_only, [](const Row& r) { return csv_field(r.experiment.name); }},
      {"slice_kind", D::cells_only,
       [](const Row& r) { return std::string(detail::slice_kind(r.cell.slice)); }},
      {"segment_type", D::both, [](const Row& r) { return csv_field(r.cell.slice.segment_type); }},
      {"segment", D::both, [](const Row& r) { return csv_field(r.cell.slice.segment); }},
      {"date", D::both, [](const Row& r) { return csv_field(r.cell.slice.date); }},
      {"metric", D::both, [](const Row& r) { return csv_field(r.cell.metric); }},
      {"variation_id", D::both, [](const Row& r) { return csv_field(r.cell.variation_id); }},
      {"variation_name", D::cells_only,
       [](const Row& r) {
         return csv_field(detail::variation_name(r.experiment.variations, r.cell.variation_id));
       }},
      {"is_control", D::both, [](const Row& r) { return flag(r.cell.is_control); }},
      {"n_visitors", D::both, [](const Row& r) { return std::to_string(r.cell.n_visitors); }},
      {"n_orders", D::both, [](const Row& r) { return std::to_string(r.cell.n_orders); }},
      {"value", D::both, [](const Row& r) { return csv_number(r.cell.value); }},
      {"ci_low", D::both, [](const Row& r) { return csv_number(r.cell.ci_low); }},
      {"ci_high", D::both, [](const Row& r) { return csv_number(r.cell.ci_high); }},
      {"p2bb", D::both, [](const Row& r) { return csv_number(r.cell.prob_best); }},
      {"p2bc", D::both, [](const Row& r) { return csv_number(r.cell.prob_beat_control); }},
      {"expected_loss", D::both, [](const Row& r) { return csv_number(r.cell.expected_loss); }},
      {"uplift", D::both, [](const Row& r) { return csv_number(r.uplift().value); }},
      {"uplift_ci_low", D::both, [](const Row& r) { return csv_number(r.uplift().ci_low); }},
      {"uplift_ci_high", D::both, [](const Row& r) { return csv_number(r.uplift().ci_high); }},
      {"mc_se_p2bb", D::both, [](const Row& r) { return csv_number(r.cell.prob_best_se); }},
      {"mc_se_p2bc", D::both, [](const Row& r) { return csv_number(r.cell.prob_beat_control_se); }},
      {"mc_se_expected_loss", D::both,
       [](const Row& r) { return csv_number(r.cell.expected_loss_se); }},
      {"mc_se_ci_low", D::both,
       [](const Row& r) {
         return csv_number(interval_bound(r.cell.ci_se, &stats::Interval::low));
       }},
      {"mc_se_ci_high", D::both,
       [](const Row& r) {
         return csv_number(interval_bound(r.cell.ci_se, &stats::Interval::high));
       }},
      {"mc_se_uplift_ci_low", D::both,
       [](const Row& r) {
         return csv_number(interval_bound(r.cell.uplift_ci_se, &stats::Interval::low));
       }},
      {"mc_se_uplift_ci_high", D::both,
       [](const Row& r) {
         return csv_number(interval_bound(r.cell.uplift_ci_se, &stats::Interval::high));
       }},
      {"model", D::both, [](const Row& r) { return csv_field(r.cell.model); }},
      {"verdict", D::both, deciding_verdict},
      {"primary_metric", D::cells_only,
       [](const Row& r) {
         return r.experiment.verdict ? flag(r.cell.metric == r.experiment.verdict->metric)
                                     : std::string();
       }},
      {"test_verdict", D::cells_only, test_verdict},
      {"reported_value", D::cells_only,
       [](const Row& r) { return csv_number(r.reported().value); }},
      {"reported_ci_low", D::cells_only,
       [](const Row& r) { return csv_number(r.reported().ci_low); }},
      {"reported_ci_high", D::cells_only,
       [](const Row& r) { return csv_number(r.reported().ci_high); }},
      {"reported_p2bb", D::cells_only, [](const Row& r) { return csv_number(r.reported().p2bb); }},
      {"reported_p2bc", D::cells_only, [](const Row& r) { return csv_number(r.reported().p2bc); }},
      {"reported_uplift", D::cells_only,
       [](const Row& r) { return csv_number(r.reported_uplift().value); }},
      {"reported_uplift_ci_low", D::cells_only,
       [](const Row& r) { return csv_number(r.reported_uplift().ci_low); }},
      {"reported_uplift_ci_high", D::cells_only,
       [](const Row& r) { return csv_number(r.reported_uplift().ci_high); }},
      {"drift", D::cells_only,
       [](const Row& r) { return r.cell.drift ? flag(r.cell.drift->flagged) : std::string(); }},
      {"drift_fields", D::cells_only, drifted_fields},
      {"drift_reason", D::cells_only,
       [](const Row& r) { return r.cell.drift ? csv_field(r.cell.drift->reason) : std::string(); }},
      {"assumptions", D::cells_only, joined_assumptions},
  };
  return k_columns;
}

bool wanted(const Column& column, Document document) {
  return document == Document::cells_only || column.document == Document::both;
}

std::string header(Document document) {
  std::string out;
  std::string_view separator;
  for (const Column& column : columns()) {
    if (wanted(column, document)) {
      out.append(separator).append(column.name);
      separator = ",";
    }
  }
  out.push_back('\n');
  return out;
}

std::string rows(const analysis::ExperimentResult& experiment, Document document) {
  std::string out;
  for (const analysis::CellResult& cell : experiment.cells) {
    std::string_view separator;
    for (const Column& column : columns()) {
      if (wanted(column, document)) {
        out.append(separator).append(column.field(Row{experiment, cell}));
        separator = ",";
      }
    }
    out.push_back('\n');
  }
  return out;
}

class CsvPieces final : public ResultsPieces {
public:
  explicit CsvPieces(Document document) : m_document(document) {}
  std::string begin() const override { return header(m_document); }
  std::string experiment(const analysis::ExperimentResult& experiment,
                         std::size_t /*index*/) const override {
    return rows(experiment, m_document);
  }
  std::string end(std::size_t /*count*/) const override { return {}; }

private:
  Document m_document;
};

} // namespace

std::unique_ptr<ResultsPieces> results_csv_pieces() {
  return std::make_unique<CsvPieces>(Document::both);
}

std::string render_results_csv(const analysis::Results& results) {
  return join_pieces(CsvPieces(Document::both), results);
}

std::string render_cells_csv(const analysis::Results& results) {
  return join_pieces(CsvPieces(Document::cells_only), results);
}

} // namespace reckon::report
