#include "reckon/parse/counts_csv.hpp"

#include "counts_row.hpp"
#include "csv_reader.hpp"

#include "reckon/util/number_format.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace reckon::parse {
namespace {

using Column = CountsColumn;

constexpr std::string_view k_source = "counts_csv";

// An experiment while its rows arrive, with the lines that later errors point at.
struct ExperimentDraft {
  model::Experiment experiment;
  std::size_t first_line = 0;
  std::optional<std::size_t> control;
  std::unordered_map<std::string, std::size_t> variation_index;
  std::vector<std::size_t> variation_line;
  std::map<model::Slice, std::size_t> cell_index;
  std::vector<std::size_t> cell_line;
  // The line of each (cell, variation) pair already read, to name it when a row repeats it.
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> arm_line;
};

std::string describe(const model::Slice& slice) {
  if (slice.is_overall()) {
    return "overall";
  }
  if (slice.segment_type == "day") {
    return "day " + slice.segment;
  }
  std::string text = slice.segment_type + "=" + quote_value(slice.segment);
  if (!slice.date.empty()) {
    text += " on " + slice.date;
  }
  return text;
}

// Groups rows into experiments, variations and cells, checking what one row alone cannot show.
class DatasetBuilder {
public:
  DatasetBuilder(std::string_view file_name, const CountsLayout& layout)
      : m_file_name(file_name), m_layout(layout) {}

  util::Result<void> add(CountsRow row, std::size_t line);
  // Runs the whole-experiment checks and returns the experiments with arms in variation order.
  util::Result<model::Dataset> finish() &&;
  // The earliest problem in file order that only a whole experiment reveals, with its line.
  std::optional<std::pair<std::size_t, util::Error>> first_problem() const;

private:
  util::Error error_at(std::size_t line, Column column, const std::string& reason) const {
    return util::make_error(util::ErrorCode::bad_input,
                            csv_location(m_file_name, line, m_layout.position(column)),
                            std::string(column_name(column)) + ": " + reason);
  }
  ExperimentDraft& draft_for(const std::string& id, std::size_t line);
  // The earliest problem in file order that only the whole experiment reveals, if any.
  std::optional<std::pair<std::size_t, util::Error>> check(const ExperimentDraft& draft) const;

  std::string_view m_file_name;
  // A copy: the walk's layout is gone by the time finish() names a column.
  CountsLayout m_layout;
  std::vector<ExperimentDraft> m_drafts;
  std::unordered_map<std::string, std::size_t> m_experiment_index;
};

ExperimentDraft& DatasetBuilder::draft_for(const std::string& id, std::size_t line) {
  const auto [found, inserted] = m_experiment_index.try_emplace(id, m_drafts.size());
  if (inserted) {
    ExperimentDraft& draft = m_drafts.emplace_back();
    draft.experiment.id = id;
    draft.experiment.name = id;
    draft.experiment.source = k_source;
    draft.experiment.revenue_known = m_layout.has(Column::revenue);
    draft.first_line = line;
  }
  return m_drafts[found->second];
}

util::Result<void> DatasetBuilder::add(CountsRow row, std::size_t line) {
  ExperimentDraft& draft = draft_for(row.experiment, line);
  std::vector<model::Variation>& variations = draft.experiment.variations;

  const auto [known, new_variation] =
      draft.variation_index.try_emplace(row.variation, variations.size());
  const std::size_t variation = known->second;
  if (new_variation) {
    if (row.is_control && draft.control) {
      return error_at(line, Column::is_control,
                      "experiment " + quote_value(row.experiment) + " already has control " +
                          quote_value(variations[*draft.control].id) + " (line " +
                          std::to_string(draft.variation_line[*draft.control]) +
                          "); a second one is not allowed");
    }
    if (row.is_control) {
      draft.control = variation;
    }
    variations.push_back({row.variation, row.variation, row.is_control, row.allocation});
    draft.variation_line.push_back(line);
  } else if (variations[variation].is_control != row.is_control) {
    return error_at(line, Column::is_control,
                    "variation " + quote_value(row.variation) + " is " +
                        (row.is_control ? "true" : "false") + " here but " +
                        (row.is_control ? "false" : "true") + " on line " +
                        std::to_string(draft.variation_line[variation]));
  }

  std::optional<double>& allocation = variations[variation].allocation;
  if (row.allocation && allocation && *allocation != *row.allocation) {
    return error_at(line, Column::allocation,
                    "variation " + quote_value(row.variation) + " has allocation " +
                        util::format_round_trip(*row.allocation) + " here but " +
                        util::format_round_trip(*allocation) + " on an earlier line");
  }
  if (row.allocation) {
    allocation = row.allocation;
  }

  std::vector<model::CountsCell>& cells = draft.experiment.cells;
  const auto [cell_found, new_cell] = draft.cell_index.try_emplace(row.slice, cells.size());
  const std::size_t cell = cell_found->second;
  if (new_cell) {
    cells.push_back(
        {std::move(row.slice), {}, std::string(m_file_name) + ":" + std::to_string(line)});
    draft.cell_line.push_back(line);
  }
  const auto [arm_found, new_arm] = draft.arm_line.try_emplace({cell, variation}, line);
  if (!new_arm) {
    return error_at(line, Column::variation,
                    quote_value(row.variation) + " appears twice in slice " +
                        describe(cells[cell].slice) + " of experiment " +
                        quote_value(row.experiment) + " (first on line " +
                        std::to_string(arm_found->second) + ")");
  }
  cells[cell].arms.push_back(std::move(row.counts));
  return {};
}

std::optional<std::pair<std::size_t, util::Error>>
DatasetBuilder::check(const ExperimentDraft& draft) const {
  const model::Experiment& experiment = draft.experiment;
  const std::string name = quote_value(experiment.id);
  // Both problems below sit on the experiment's first row; the leftmost column comes first.
  const bool no_control = !draft.control;
  const bool one_variation = experiment.variations.size() < 2;
  if (no_control && (!one_variation || m_layout.position(Column::is_control) <
                                           m_layout.position(Column::variation))) {
    return std::pair{draft.first_line,
                     error_at(draft.first_line, Column::is_control,
                              "experiment " + name + " has no control variation")};
  }
  if (one_variation) {
    return std::pair{draft.first_line, error_at(draft.first_line, Column::variation,
                                                "experiment " + name + " has only one variation, " +
                                                    quote_value(experiment.variations.front().id) +
                                                    "; it needs at least two")};
  }
  // Cells are in order of first appearance, so the first incomplete one is the earliest.
  for (std::size_t cell = 0; cell < experiment.cells.size(); ++cell) {
    const std::vector<model::ArmCounts>& arms = experiment.cells[cell].arms;
    if (arms.size() == experiment.variations.size()) {
      continue;
    }
    std::vector<bool> present(experiment.variations.size(), false);
    for (const model::ArmCounts& arm : arms) {
      present[draft.variation_index.at(arm.variation_id)] = true;
    }
    const auto missing = static_cast<std::size_t>(std::find(present.begin(), present.end(), false) -
                                                  present.begin());
    return std::pair{draft.cell_line[cell],
                     error_at(draft.cell_line[cell], Column::variation,
                              "slice " + describe(experiment.cells[cell].slice) +
                                  " of experiment " + name + " lacks variation " +
                                  quote_value(experiment.variations[missing].id))};
  }
  return std::nullopt;
}

std::optional<std::pair<std::size_t, util::Error>> DatasetBuilder::first_problem() const {
  std::optional<std::pair<std::size_t, util::Error>> first;
  for (const ExperimentDraft& draft : m_drafts) {
    auto problem = check(draft);
    if (problem && (!first || problem->first < first->first)) {
      first = std::move(problem);
    }
  }
  return first;
}

util::Result<model::Dataset> DatasetBuilder::finish() && {
  if (auto first = first_problem()) {
    return first->second;
  }
  model::Dataset dataset;
  dataset.experiments.reserve(m_drafts.size());
  for (ExperimentDraft& draft : m_drafts) {
    for (model::CountsCell& cell : draft.experiment.cells) {
      std::ranges::sort(cell.arms, {}, [&](const model::ArmCounts& arm) {
        return draft.variation_index.at(arm.variation_id);
      });
    }
    dataset.experiments.push_back(std::move(draft.experiment));
  }
  return dataset;
}

bool is_blank(const CsvRecord& record) {
  return record.fields.size() == 1 &&
         record.fields.front().find_first_not_of(" \t") == std::string::npos;
}

// A record as one CSV line: a field holding a comma, a quote or a line break is quoted, its
// quotes doubled.
std::string render_record(const CsvRecord& record) {
  std::string line;
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    const std::string& field = record.fields[i];
    line += i == 0 ? "" : ",";
    if (field.find_first_of(",\"\r\n") == std::string::npos) {
      line += field;
      continue;
    }
    line += '"';
    for (const char c : field) {
      line += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    line += '"';
  }
  return line + "\n";
}

// Walks a counts CSV: the header, then every data row read against it (only those of `group`
// when one is given), calling `on_header(record, layout)` once and `on_row(record, row,
// offset)` per row, `offset` where the row starts (each returns Result<void>; an error stops
// the walk). Blank lines may only end the file. Returns whether the file had any data row.
template <class OnHeader, class OnRow>
util::Result<bool> walk_counts_csv(std::string_view text, std::string_view file_name,
                                   OnHeader on_header, OnRow on_row,
                                   const CountsCsvGroup* group = nullptr) {
  CsvReader reader(group ? text.substr(0, group->end) : text, file_name);
  CsvRecord record;
  const auto has_header = reader.next(record);
  if (!has_header) {
    return has_header.error();
  }
  if (!*has_header) {
    return util::make_error(util::ErrorCode::bad_input, std::string(file_name) + ":1",
                            "header: missing, the file is empty");
  }
  const auto layout = read_counts_header(record, file_name);
  if (!layout) {
    return layout.error();
  }
  if (auto started = on_header(record, *layout); !started) {
    return started.error();
  }
  if (group) {
    reader.seek(group->begin, group->line);
  }
  bool has_rows = false;
  // Blank lines are fine at the end of the file only; the first one is reported if data follow.
  std::optional<std::size_t> blank_line;
  while (true) {
    const std::size_t offset = reader.position();
    const auto more = reader.next(record);
    if (!more) {
      return more.error();
    }
    if (!*more) {
      break;
    }
    if (is_blank(record)) {
      blank_line = blank_line.value_or(record.line);
      continue;
    }
    if (blank_line) {
      return util::make_error(util::ErrorCode::bad_input, csv_location(file_name, *blank_line, 1),
                              "blank line between data rows");
    }
    auto row = read_counts_row(record, *layout, file_name);
    if (!row) {
      return row.error();
    }
    if (auto taken = on_row(record, std::move(*row), offset); !taken) {
      return taken.error();
    }
    has_rows = true;
  }
  return has_rows;
}

// The dataset of every row of `text`, or of `group`'s rows only; nullopt when there are none.
util::Result<std::optional<model::Dataset>> build_counts(std::string_view text,
                                                         std::string_view file_name,
                                                         const CountsCsvGroup* group = nullptr) {
  std::optional<DatasetBuilder> builder;
  const auto has_rows = walk_counts_csv(
      text, file_name,
      [&](const CsvRecord&, const CountsLayout& layout) -> util::Result<void> {
        builder.emplace(file_name, layout);
        return {};
      },
      [&](const CsvRecord& record, CountsRow row, std::size_t) {
        return builder->add(std::move(row), record.line);
      },
      group);
  if (!has_rows) {
    return has_rows.error();
  }
  if (!*has_rows) {
    return std::optional<model::Dataset>();
  }
  util::Result<model::Dataset> dataset = std::move(*builder).finish();
  if (!dataset) {
    return dataset.error();
  }
  return std::optional<model::Dataset>(std::move(*dataset));
}

} // namespace

util::Result<model::Dataset> parse_counts_csv(std::string_view text, std::string_view file_name) {
  auto dataset = build_counts(text, file_name);
  if (!dataset) {
    return dataset.error();
  }
  if (!*dataset) {
    return util::make_error(util::ErrorCode::bad_input, std::string(file_name),
                            "no data rows below the header");
  }
  return std::move(**dataset);
}

util::Result<std::vector<CountsCsvPart>> split_counts_csv(std::string_view text,
                                                          std::string_view file_name) {
  // The whole file must parse (every slice complete, one control each) before it is split.
  if (auto parsed = parse_counts_csv(text, file_name); !parsed) {
    return parsed.error();
  }
  std::string header;
  std::vector<CountsCsvPart> parts;
  std::unordered_map<std::string, std::size_t> index;
  const auto walked = walk_counts_csv(
      text, file_name,
      [&](const CsvRecord& record, const CountsLayout&) -> util::Result<void> {
        header = render_record(record);
        return {};
      },
      [&](const CsvRecord& record, const CountsRow& row, std::size_t) -> util::Result<void> {
        const auto [at, inserted] = index.try_emplace(row.experiment, parts.size());
        if (inserted) {
          parts.push_back({row.experiment, header});
        }
        parts[at->second].text += render_record(record);
        return {};
      });
  if (!walked) {
    return walked.error();
  }
  return parts;
}

util::Result<std::optional<std::vector<CountsCsvGroup>>>
index_counts_csv(std::string_view text, std::string_view file_name,
                 const std::function<void(model::Experiment)>& on_experiment) {
  std::optional<CountsLayout> layout;
  std::optional<DatasetBuilder> builder; // of the experiment being read
  std::vector<CountsCsvGroup> groups;
  std::unordered_set<std::string> seen;
  std::optional<std::pair<std::size_t, util::Error>> first_problem;
  bool interleaved = false;
  const auto close_group = [&](std::size_t end) {
    groups.back().end = end;
    auto problem = builder->first_problem();
    if (!problem) {
      util::Result<model::Dataset> done = std::move(*builder).finish();
      on_experiment(std::move(done->experiments.front()));
    } else if (!first_problem || problem->first < first_problem->first) {
      first_problem = std::move(problem);
    }
  };
  const auto has_rows = walk_counts_csv(
      text, file_name,
      [&](const CsvRecord&, const CountsLayout& read) -> util::Result<void> {
        layout = read;
        return {};
      },
      [&](const CsvRecord& record, CountsRow row, std::size_t offset) -> util::Result<void> {
        if (groups.empty() || groups.back().experiment_id != row.experiment) {
          if (!seen.insert(row.experiment).second) {
            interleaved = true; // stops the walk; the file is read whole instead
            return util::make_error(util::ErrorCode::bad_input, std::string(file_name),
                                    "interleaved");
          }
          if (!groups.empty()) {
            close_group(offset);
          }
          groups.push_back({row.experiment, offset, 0, record.line});
          builder.emplace(file_name, *layout);
        }
        return builder->add(std::move(row), record.line);
      });
  if (interleaved) {
    return std::optional<std::vector<CountsCsvGroup>>();
  }
  if (!has_rows) {
    return has_rows.error();
  }
  if (!*has_rows) {
    return util::make_error(util::ErrorCode::bad_input, std::string(file_name),
                            "no data rows below the header");
  }
  close_group(text.size());
  if (first_problem) {
    return first_problem->second;
  }
  return std::optional<std::vector<CountsCsvGroup>>(std::move(groups));
}

util::Result<model::Experiment> read_counts_group(std::string_view text, std::string_view file_name,
                                                  const CountsCsvGroup& group) {
  auto dataset = build_counts(text, file_name, &group);
  if (!dataset) {
    return dataset.error();
  }
  if (!*dataset || (*dataset)->experiments.size() != 1) {
    return util::make_error(util::ErrorCode::bad_input, std::string(file_name),
                            "changed while it was read (experiment " +
                                quote_value(group.experiment_id) + " is not where it was)");
  }
  return std::move((*dataset)->experiments.front());
}

} // namespace reckon::parse
