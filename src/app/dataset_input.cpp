#include "dataset_input.hpp"
#include "analysis_run.hpp"
#include "experience_choice.hpp"
#include "memory_budget.hpp"
#include "run_notes.hpp"

#include "reckon/parse/bandit.hpp"
#include "reckon/parse/counts_csv.hpp"
#include "reckon/parse/intelligems.hpp"
#include "reckon/parse/intelligems_sitewide.hpp"
#include "reckon/parse/platform.hpp"
#include "reckon/store/store.hpp"
#include "reckon/util/file.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

namespace reckon::app {
namespace {

using util::ErrorCode;
using util::Result;

using Unreadable = std::vector<parse::UnreadableResponse>;

// The newest copy of every experiment of the imported counts CSVs. An import keeps one
// response per experiment, so each is the latest of its own request; a store of schema
// version 1 may still hold whole files (one response per file name) that carry older copies of
// the same experiments, and the copy fetched last wins. A copy that does not parse is left out.
Result<std::vector<model::Experiment>> read_stored_counts(const store::Store& store,
                                                          Unreadable& unreadable) {
  auto counts = store.latest_all("counts_csv");
  if (!counts) {
    return counts.error();
  }
  std::vector<model::Experiment> experiments;
  std::map<std::string, std::pair<std::size_t, std::int64_t>> newest; // id: index, fetched at
  for (const contract::ApiExchange& csv : *counts) {
    auto parsed = parse::parse_counts_csv(csv.body, csv.origin);
    if (!parsed) {
      unreadable.push_back({csv.request.path, "counts CSV", parsed.error()});
      continue;
    }
    for (model::Experiment& experiment : parsed->experiments) {
      const auto [found, inserted] =
          newest.try_emplace(experiment.id, experiments.size(), csv.fetched_at_ms);
      if (inserted) {
        experiments.push_back(std::move(experiment));
      } else if (csv.fetched_at_ms >= found->second.second) {
        experiments[found->second.first] = std::move(experiment);
        found->second.second = csv.fetched_at_ms;
      }
    }
  }
  return experiments;
}

// The bandit experiments of the store, recounted from their raw events.
Result<std::vector<model::Experiment>> read_stored_bandit(const store::Store& store,
                                                          Unreadable& unreadable) {
  auto responses = store.latest_all("bandit");
  if (!responses) {
    return responses.error();
  }
  parse::BanditParseOptions options;
  options.on_unreadable = [&unreadable](parse::UnreadableResponse response) {
    unreadable.push_back(std::move(response));
  };
  auto bandit = parse::parse_bandit(*responses, options);
  if (!bandit) {
    return bandit.error();
  }
  return std::move(bandit->dataset.experiments);
}

// The experimentation platform's experiments; a response that does not parse is left out.
Result<std::vector<model::Experiment>> read_stored_platform(const store::Store& store,
                                                            Unreadable& unreadable) {
  auto responses = store.latest_all("platform");
  if (!responses) {
    return responses.error();
  }
  parse::PlatformParseOptions options;
  options.on_unreadable = [&unreadable](parse::UnreadableResponse response) {
    unreadable.push_back(std::move(response));
  };
  auto dataset = parse::parse_platform(*responses, options);
  if (!dataset) {
    return dataset.error();
  }
  return std::move(dataset->experiments);
}

// What a usage or input error adds when stored responses were left out: they may be why.
std::string left_out(const Unreadable& unreadable) {
  if (unreadable.empty()) {
    return "";
  }
  return " (" + std::to_string(unreadable.size()) +
         " stored responses could not be read; the first: " + unreadable.front().error.describe() +
         ")";
}

Result<model::Dataset> read_store(const std::string& path, Unreadable& unreadable,
                                  LoadedDataset& sitewide) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    // Most often the default store of a folder where nothing was fetched yet.
    return util::make_error(ErrorCode::usage, "--store",
                            "no store at " + path +
                                " (run `reckon fetch` or `reckon import` first, or analyse a "
                                "counts CSV with --counts FILE)");
  }
  auto store = store::Store::open_read_only(path);
  if (!store) {
    return store.error();
  }
  auto responses = store->latest_all("intelligems");
  if (!responses) {
    return responses.error();
  }
  // Day windows carry their local date since fetch stored it; older ones are dated in UTC.
  parse::IntelligemsParseOptions options;
  options.on_unreadable = [&unreadable](parse::UnreadableResponse response) {
    unreadable.push_back(std::move(response));
  };
  auto dataset = parse::parse_intelligems(*responses, options);
  if (!dataset) {
    return dataset.error();
  }
  if (auto store_traffic = parse::parse_intelligems_sitewide(*responses); store_traffic) {
    sitewide.sitewide = std::move(*store_traffic);
  } else {
    sitewide.sitewide_unreadable = store_traffic.error().describe();
  }
  auto counts = read_stored_counts(*store, unreadable);
  if (!counts) {
    return counts.error();
  }
  auto platform = read_stored_platform(*store, unreadable);
  if (!platform) {
    return platform.error();
  }
  for (model::Experiment& experiment : *platform) {
    dataset->experiments.push_back(std::move(experiment));
  }
  for (model::Experiment& experiment : *counts) {
    dataset->experiments.push_back(std::move(experiment));
  }
  if (auto bandit = read_stored_bandit(*store, unreadable); bandit) {
    std::move(bandit->begin(), bandit->end(), std::back_inserter(dataset->experiments));
  } else {
    return bandit.error();
  }
  if (dataset->experiments.empty()) {
    return util::make_error(ErrorCode::bad_input, path,
                            "the store holds no experiments (run `reckon fetch` or `reckon "
                            "import` first)" +
                                left_out(unreadable));
  }
  return dataset;
}

// "segments device_type, visitor_type have", "the overall slice and segment device_type have".
std::string slices_without_days(const std::vector<std::string>& types) {
  std::vector<std::string> segments;
  bool overall = false;
  for (const std::string& type : types) {
    overall = overall || type == "overall";
    if (type != "overall") {
      segments.push_back(type);
    }
  }
  std::string text = overall ? "the overall slice" : "";
  if (!segments.empty()) {
    text += std::string(overall ? " and " : "") + (segments.size() > 1 ? "segments " : "segment ");
    for (std::size_t i = 0; i < segments.size(); ++i) {
      text += (i > 0 ? ", " : "") + segments[i];
    }
  }
  return text + (types.size() > 1 ? " have" : " has");
}

std::string describe(const model::DayCutNote& note, const model::DayRange& range) {
  const std::string who =
      "experiment \"" + (note.experiment_name.empty() ? note.experiment_id : note.experiment_name) +
      "\": ";
  const std::string what = !note.experiment_left_out
                               ? slices_without_days(note.without_day_data) + " no per-day data"
                           : note.has_days ? "no day from " + range.describe() + " in its data"
                                           : "no per-day data";
  return who + what + "; left out under --from/--to";
}

// The settings' days of the experiments asked for, once their Monte Carlo work is known to fit
// in memory.
Result<LoadedDataset> chosen(model::Dataset dataset, const std::string& name,
                             const AnalysisSettings& settings) {
  const model::DayRange& days = settings.days;
  if (auto ordered = check_day_order(days); !ordered) {
    return ordered.error();
  }
  auto selected = select_experiments(std::move(dataset), settings.experiences, name);
  if (!selected) {
    return selected.error();
  }
  model::DayCut cut = model::keep_days(std::move(*selected), days);
  if (days.bounded() && cut.dataset.experiments.empty()) {
    return no_day_in_range(name, days);
  }
  if (auto fits = check_draws_fit(cut.dataset, settings, run_info(settings).threads, memory_room());
      !fits) {
    return fits.error();
  }
  LoadedDataset loaded{std::move(cut.dataset), name, {}, {}, {}, {}};
  for (const model::DayCutNote& note : cut.notes) {
    loaded.left_out_by_days.push_back(day_cut_line(note, days));
  }
  return loaded;
}

// One line for a response left out: the experiment by name and id, what was asked, and why.
std::string describe(const parse::UnreadableResponse& response,
                     const std::map<std::string, std::string>& names) {
  std::string text;
  if (!response.experience_id.empty()) {
    const auto name = names.find(response.experience_id);
    text = "experience " + (name == names.end() ? "" : "\"" + name->second + "\" (") +
           response.experience_id + (name == names.end() ? "" : ")") + ": ";
  }
  return text + response.request + " not read: " + response.error.describe();
}

} // namespace

Result<void> check_day_order(const model::DayRange& days) {
  if (days.from && days.to && *days.from > *days.to) {
    return util::make_error(ErrorCode::usage, "--from",
                            days.from->to_string() + " is after --to " + days.to->to_string());
  }
  return {};
}

util::Error no_day_in_range(const std::string& name, const model::DayRange& days) {
  return util::make_error(ErrorCode::usage, days.from ? "--from" : "--to",
                          "no experiment in " + name + " has a day from " + days.describe() +
                              " (the day range keeps only days of day rows, day windows and "
                              "the daily timeseries)");
}

std::string day_cut_line(const model::DayCutNote& note, const model::DayRange& range) {
  return describe(note, range);
}

Result<LoadedDataset> load_counts_text(std::string_view csv, const std::string& name,
                                       const AnalysisSettings& settings) {
  auto dataset = parse::parse_counts_csv(csv, name);
  if (!dataset) {
    return dataset.error();
  }
  return chosen(std::move(*dataset), name, settings);
}

Result<LoadedDataset> load_dataset_for(const AnalysisSettings& settings,
                                       const std::vector<NamedFile>& outputs) {
  if (Result<void> apart = refuse_outputs_over_inputs(outputs, {analysis_input(settings)});
      !apart) {
    return apart.error();
  }
  return load_dataset(settings);
}

Result<LoadedDataset> load_dataset_for(const AnalysisSettings& settings,
                                       const std::vector<NamedFile>& outputs,
                                       const Console& console) {
  Stopwatch clock;
  Result<LoadedDataset> loaded = load_dataset_for(settings, outputs);
  if (loaded) {
    note_input(*loaded, clock.lap(), console);
    note_options(settings, console);
    note_revenue(loaded->dataset.experiments, loaded->source_name, console);
  }
  return loaded;
}

void note_revenue(const std::vector<model::Experiment>& experiments, const std::string& source_name,
                  const Console& console) {
  if (std::any_of(experiments.begin(), experiments.end(), [](const model::Experiment& e) {
        return !e.revenue_known && e.source == "counts_csv";
      })) {
    console.info(source_name +
                 " has no revenue column: conversions only, so revenue per visitor and per "
                 "order are not computed");
  }
}

Result<LoadedDataset> load_dataset(const AnalysisSettings& settings) {
  if (!settings.counts_path.empty()) {
    auto csv = util::read_file(settings.counts_path);
    if (!csv) {
      return csv.error();
    }
    return load_counts_text(*csv, settings.counts_path, settings);
  }
  Unreadable unreadable;
  LoadedDataset sitewide; // only its sitewide members
  auto dataset = read_store(settings.store_path, unreadable, sitewide);
  if (!dataset) {
    return dataset.error();
  }
  std::map<std::string, std::string> names;
  for (const model::Experiment& experiment : dataset->experiments) {
    names.emplace(experiment.id, experiment.name);
  }
  // The ids the --experience values name (an id, slug or name each), to keep their responses.
  std::vector<std::string> wanted;
  if (const auto named =
          chosen_experiments(dataset->experiments, settings.experiences, settings.store_path);
      named) {
    for (const std::size_t index : *named) {
      wanted.push_back(dataset->experiments[index].id);
    }
  }
  auto loaded = chosen(std::move(*dataset), settings.store_path, settings);
  if (!loaded) {
    util::Error error = loaded.error();
    if (error.where == "--experience") {
      error.message += left_out(unreadable); // they may be why it is missing
    }
    return error;
  }
  for (const parse::UnreadableResponse& response : unreadable) {
    if (settings.experiences.empty() ||
        std::find(wanted.begin(), wanted.end(), response.experience_id) != wanted.end()) {
      loaded->unreadable.push_back(describe(response, names));
    }
  }
  loaded->sitewide = std::move(sitewide.sitewide);
  loaded->sitewide_unreadable = std::move(sitewide.sitewide_unreadable);
  return loaded;
}

Result<void> report_unreadable(const LoadedDataset& input, const Console& console) {
  for (const std::string& line : input.left_out_by_days) {
    console.warn(line);
  }
  if (input.unreadable.empty()) {
    return {};
  }
  for (const std::string& line : input.unreadable) {
    console.err << "reckon: " << line << '\n';
  }
  const std::size_t count = input.unreadable.size();
  return util::make_error(ErrorCode::bad_input, input.source_name,
                          std::to_string(count) +
                              (count == 1 ? " stored response" : " stored responses") +
                              " could not be read (above); the output covers the rest (fetch " +
                              (count == 1 ? "it" : "them") + " again, or import a sound copy)");
}

} // namespace reckon::app
