#include "counts_feed.hpp"

#include "experience_choice.hpp"
#include "memory_budget.hpp"
#include "run_notes.hpp"

#include "reckon/util/file.hpp"

#include <numeric>
#include <utility>

namespace reckon::app {
namespace {

using util::Result;

// An experiment without its cells: what choosing experiments and sizing --draws need.
model::Experiment shell_of(model::Experiment experiment) {
  std::vector<model::CountsCell>().swap(experiment.cells); // its capacity too
  experiment.rebuilt_window.reset();
  return experiment;
}

// The chosen experiment `group` cut to the settings' days.
Result<model::Experiment> read_cut(const std::string& text, const std::string& name,
                                   const parse::CountsCsvGroup& group, const model::DayRange& days,
                                   std::vector<model::DayCutNote>* notes) {
  Result<model::Experiment> experiment = parse::read_counts_group(text, name, group);
  if (!experiment || !days.bounded()) {
    return experiment;
  }
  model::Dataset alone;
  alone.experiments.push_back(std::move(*experiment));
  model::DayCut cut = model::keep_days(std::move(alone), days);
  if (notes != nullptr) {
    notes->insert(notes->end(), cut.notes.begin(), cut.notes.end());
  }
  if (cut.dataset.experiments.empty()) {
    return util::make_error(util::ErrorCode::usage, group.experiment_id, "left out by the days");
  }
  return std::move(cut.dataset.experiments.front());
}

// The chosen experiments of a grouped counts CSV that the days keep, as `chosen` in
// dataset_input.cpp keeps them, with the size and notes load_dataset_for gives.
Result<StreamedInput> choose(StreamedInput input, const std::vector<model::Experiment>& shells,
                             const AnalysisSettings& settings, InputSize& size) {
  const std::string& name = input.loaded.source_name;
  const model::DayRange& days = settings.days;
  if (auto ordered = check_day_order(days); !ordered) {
    return ordered.error();
  }
  auto chosen = chosen_experiments(shells, settings.experiences, name);
  if (!chosen) {
    return chosen.error();
  }
  if (settings.experiences.empty()) { // every experiment, in file order
    chosen->resize(shells.size());
    std::iota(chosen->begin(), chosen->end(), std::size_t{0});
  }
  std::vector<parse::CountsCsvGroup> kept;
  model::Dataset kept_shells;
  std::vector<model::DayCutNote> notes;
  for (const std::size_t index : *chosen) {
    const parse::CountsCsvGroup& group = input.groups[index];
    Result<model::Experiment> cut = read_cut(*input.text, name, group, days, &notes);
    if (cut) {
      size.add(*cut);
      kept.push_back(group);
      kept_shells.experiments.push_back(shell_of(std::move(*cut)));
    }
  }
  if (days.bounded() && kept.empty()) {
    return no_day_in_range(name, days);
  }
  if (auto fits = check_draws_fit(kept_shells, settings, run_info(settings).threads, memory_room());
      !fits) {
    return fits.error();
  }
  for (const model::DayCutNote& note : notes) {
    input.loaded.left_out_by_days.push_back(day_cut_line(note, days));
  }
  input.groups = std::move(kept);
  input.loaded.dataset = std::move(kept_shells);
  return input;
}

// A grouped counts CSV read one experiment at a time; nullopt when its rows are interleaved.
Result<std::optional<StreamedInput>> open_grouped_counts(const AnalysisSettings& settings,
                                                         const Console& console) {
  Stopwatch clock;
  auto text = util::read_file(settings.counts_path);
  if (!text) {
    return text.error();
  }
  StreamedInput input;
  input.text = std::make_shared<const std::string>(std::move(*text));
  input.loaded.source_name = settings.counts_path;
  std::vector<model::Experiment> shells;
  auto groups = parse::index_counts_csv(*input.text, settings.counts_path,
                                        [&shells](model::Experiment experiment) {
                                          shells.push_back(shell_of(std::move(experiment)));
                                        });
  if (!groups) {
    return groups.error();
  }
  if (!*groups) {
    return std::optional<StreamedInput>();
  }
  input.groups = std::move(**groups);
  InputSize size;
  auto chosen = choose(std::move(input), shells, settings, size);
  if (!chosen) {
    return chosen.error();
  }
  note_input(chosen->loaded.source_name, size, clock.lap(), console);
  note_options(settings, console);
  note_revenue(chosen->loaded.dataset.experiments, chosen->loaded.source_name, console);
  return std::optional<StreamedInput>(std::move(*chosen));
}

} // namespace

Result<StreamedInput> open_streamed_input(const AnalysisSettings& settings,
                                          const std::vector<NamedFile>& outputs,
                                          const Console& console) {
  if (!settings.counts_path.empty()) {
    if (auto apart = refuse_outputs_over_inputs(outputs, {analysis_input(settings)}); !apart) {
      return apart.error();
    }
    auto grouped = open_grouped_counts(settings, console);
    if (!grouped) {
      return grouped.error();
    }
    if (*grouped) {
      StreamedInput input = std::move(**grouped);
      const std::shared_ptr<const std::string> text = input.text;
      const std::vector<parse::CountsCsvGroup> groups = input.groups;
      input.feed = {groups.size(), [text, groups, settings](std::size_t i) {
                      return read_cut(*text, settings.counts_path, groups[i], settings.days,
                                      nullptr);
                    }};
      return input;
    }
  }
  auto loaded = load_dataset_for(settings, outputs, console);
  if (!loaded) {
    return loaded.error();
  }
  StreamedInput input;
  input.loaded = std::move(*loaded);
  return input;
}

} // namespace reckon::app
