#pragma once

#include "analysis_stream.hpp"
#include "dataset_input.hpp"
#include "settings.hpp"

#include "reckon/parse/counts_csv.hpp"
#include "reckon/util/result.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace reckon::app {

// An analysis input read one experiment at a time, and what load_dataset_for tells about it
// (`loaded` holds no experiments when they are read one at a time).
struct StreamedInput {
  LoadedDataset loaded;
  ExperimentFeed feed;
  // What the feed reads from: the counts CSV's text and where each chosen experiment lies.
  std::shared_ptr<const std::string> text;
  std::vector<parse::CountsCsvGroup> groups;
};

// load_dataset_for for `reckon analyze`, with the same checks, errors and notes, keeping in
// memory only what the experiments in flight need when it can: a counts CSV whose rows come
// grouped by experiment (as exports and `reckon simulate` write them) is checked whole, then
// read again one experiment at a time (parse::index_counts_csv). A store, or a counts CSV
// whose experiments' rows are interleaved, is read whole as before.
util::Result<StreamedInput> open_streamed_input(const AnalysisSettings& settings,
                                                const std::vector<NamedFile>& outputs,
                                                const Console& console);

} // namespace reckon::app
