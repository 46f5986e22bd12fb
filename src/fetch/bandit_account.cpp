#include "reckon/fetch/bandit_account.hpp"

namespace reckon::fetch {
namespace {

namespace api = contract::bandit;

PlannedRequest plain_get(std::string path, std::string label) {
  return {
      {std::string(api::k_source), "GET", std::move(path), {}, {}}, std::move(label), std::nullopt};
}

// Whether the stored page at `request` is final: it held events and the page after them is
// stored as well.
util::Result<bool> page_is_final(const store::Store& store, const BanditReaders& readers,
                                 std::string_view experiment_id, std::uint64_t limit,
                                 std::uint64_t offset) {
  auto stored = store.latest(bandit_events_request(experiment_id, limit, offset));
  if (!stored) {
    return stored.error();
  }
  if (!*stored) {
    return false;
  }
  auto count = readers.event_count(**stored);
  if (!count || *count == 0) {
    return false; // an unreadable page is asked again; an empty one may have grown
  }
  auto next = store.latest(bandit_events_request(experiment_id, limit, offset + *count));
  if (!next) {
    return next.error();
  }
  return next->has_value();
}

util::Result<void> fetch_events(const BanditAccountSettings& settings, Fetcher& fetcher,
                                const store::Store& store, const BanditReaders& readers,
                                const AccountListener& listener, std::string_view experiment_id,
                                BanditSummary& summary) {
  for (std::uint64_t offset = 0;;) {
    auto final_page = page_is_final(store, readers, experiment_id, settings.events_limit, offset);
    if (!final_page) {
      return final_page.error();
    }
    PlannedRequest planned{bandit_events_request(experiment_id, settings.events_limit, offset),
                           "events of " + std::string(experiment_id) + " from " +
                               std::to_string(offset),
                           *final_page ? std::optional<std::int64_t>(0) : std::nullopt};
    auto page = fetcher.get(planned);
    if (!page) {
      return page.error();
    }
    auto count = readers.event_count(*page);
    if (!count) {
      return count.error();
    }
    if (listener.on_answered) {
      listener.on_answered(planned.label);
    }
    ++summary.event_pages;
    summary.events += *count;
    if (*count == 0) {
      return {};
    }
    offset += *count;
  }
}

} // namespace

contract::ApiRequest bandit_events_request(std::string_view experiment_id, std::uint64_t limit,
                                           std::uint64_t offset) {
  return {std::string(api::k_source),
          "GET",
          api::events_path(experiment_id),
          {{"limit", std::to_string(limit)}, {"offset", std::to_string(offset)}},
          {}};
}

util::Result<BanditSummary> fetch_bandit_account(const BanditAccountSettings& settings,
                                                 Fetcher& fetcher, const store::Store& store,
                                                 const BanditReaders& readers,
                                                 const AccountListener& listener) {
  std::vector<std::string> ids = settings.experiments;
  if (ids.empty()) {
    auto listed = fetcher.get(plain_get(api::experiments_path(), "experiment list"));
    if (!listed) {
      return listed.error();
    }
    auto read = readers.experiment_ids(*listed);
    if (!read) {
      return read.error();
    }
    ids = std::move(*read);
  }
  if (listener.on_total) {
    listener.on_total(ids.size() * 2 + (settings.funnels ? 1 : 0));
  }
  BanditSummary summary;
  for (const std::string& id : ids) {
    const PlannedRequest detail = plain_get(api::experiment_path(id), "experiment " + id);
    if (auto got = fetcher.get(detail); !got) {
      return got.error();
    }
    if (listener.on_answered) {
      listener.on_answered(detail.label);
    }
    if (auto events = fetch_events(settings, fetcher, store, readers, listener, id, summary);
        !events) {
      return events.error();
    }
    ++summary.experiments;
  }
  if (settings.funnels) {
    if (auto got = fetcher.get(plain_get(api::funnels_path(), "funnels")); !got) {
      return got.error();
    }
  }
  return summary;
}

} // namespace reckon::fetch
