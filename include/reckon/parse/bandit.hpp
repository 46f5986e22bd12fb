#pragma once

#include "reckon/contract/api_exchange.hpp"
#include "reckon/model/experiment.hpp"
#include "reckon/parse/intelligems.hpp"
#include "reckon/util/result.hpp"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::parse {

// What one experiment's event history held besides the counts, so that nothing is dropped
// unsaid.
struct BanditEventTally {
  std::string experiment_id;
  std::uint64_t pages = 0;  // event pages read, the closing empty page included
  std::uint64_t events = 0; // events on those pages, duplicates included
  // An event id seen before, or the same event (type, assignment, treatment, user, value and
  // time) again under another id: counted once.
  std::uint64_t duplicates = 0;
  // Conversions whose assignmentId names no ASSIGNMENT event and whose legacy triplet
  // (experimentId, treatmentId, userId) names no assigned user: left out of the counts.
  std::uint64_t without_assignment = 0;
  // Events of a treatment the experiment does not list, or of another experiment: left out.
  std::uint64_t foreign = 0;
  // Conversions of users who had converted before: their value adds to revenue, not to the
  // converters.
  std::uint64_t repeat_conversions = 0;
  // CLICK, VIEW and CUSTOM events: not analysed.
  std::uint64_t other_types = 0;
  // Users with ASSIGNMENT events in more than one treatment: counted in each.
  std::uint64_t users_in_several_treatments = 0;
  // False when the stored pages stop before the empty page that ends the history (a fetch
  // was cut off, or a page is missing): the counts cover the events read.
  bool complete = true;
};

struct BanditData {
  model::Dataset dataset;
  std::vector<BanditEventTally> tallies; // one per experiment with event pages, dataset order
};

struct BanditParseOptions {
  // When set, a response that cannot be read is told here and left out, and the parse goes on;
  // when empty, the first one is the parse's error.
  std::function<void(UnreadableResponse unreadable)> on_unreadable;
};

// Turns stored responses of the bandit experimentation API (seed 004, contract/bandit.hpp)
// into the model. Exchanges of other sources, with a status other than 200, and of other
// endpoints (funnels) are ignored; of several answers to one request the newest wins.
//
// Experiments come from `GET /experiments` (list order) and `GET /experiments/{id}` (a detail
// replaces the list entry; detail-only experiments follow): id, name, status mapped by
// contract::bandit::analysis_status, source "bandit", `endAt` as the end, treatments as
// variations (allocation unknown: it adapts) with `isControl` as the control; without one,
// the first treatment is the control and a source note says so. adaptive_allocation is set.
//
// Events come from `GET /events/{id}` pages, chained from offset 0: each page's offset is the
// previous one's plus the events it held, until an empty page; a chain that stops early leaves
// the tally incomplete. Per treatment: visitors are the distinct userIds with an ASSIGNMENT,
// conversions the distinct users with at least one attributed CONVERSION, revenue the sum of
// their CONVERSION values (null counts as 0) and revenue_sq the sum of each converter's squared
// total, the moments of the per-user value. A conversion is attributed by its assignmentId
// (top-level or in metadata), else by the legacy triplet. Cells: the overall slice, then one
// day slice per UTC day of a user's first assignment in the treatment, holding that day's
// users and their conversions whenever they came. Every experiment's source_notes say that no
// statistics are reported and why, how the counts were made, and what the tally found.
//
// Violations are bad_input errors whose `where` is "<origin>: <JSON path>": malformed JSON, a
// failed envelope (its `error` quoted), missing ids, unknown event types, bad timestamps.
util::Result<BanditData> parse_bandit(std::span<const contract::ApiExchange> exchanges,
                                      const BanditParseOptions& options = {});

// What `reckon fetch --source bandit` must read of an answer before storing it. A 2xx body is
// usable when it is JSON in the envelope with success true and `data` of the endpoint's shape:
// an array of experiments, one experiment, an array of readable events, an array of funnels.
util::Result<void> check_bandit_response(const contract::ApiRequest& request,
                                         std::string_view body);
// The experiment ids of a `GET /experiments` answer, in list order.
util::Result<std::vector<std::string>> bandit_experiment_ids(const contract::ApiExchange& exchange);
// The number of events of a `GET /events/{id}` answer.
util::Result<std::uint64_t> bandit_event_count(const contract::ApiExchange& exchange);

} // namespace reckon::parse
