#include "reckon/fetch/account.hpp"

#include <algorithm>
#include <utility>

namespace reckon::fetch {
namespace {

// What the fetch learns of the experiences: the list pages and details in the order fetched,
// and the ids chosen.
struct Roster {
  std::vector<contract::ApiExchange> exchanges;
  std::vector<std::string> ids;
};

class Progress {
public:
  explicit Progress(const AccountListener& listener) : m_listener(listener) {}

  void total(std::size_t requests) const {
    if (m_listener.on_total) {
      m_listener.on_total(requests);
    }
  }
  void answered(std::string_view label) const {
    if (m_listener.on_answered) {
      m_listener.on_answered(label);
    }
  }

private:
  const AccountListener& m_listener;
};

// Every listed experience, page by page until a page comes back short.
util::Result<void> list_experiences(const AccountSettings& settings, Fetcher& fetcher,
                                    const RosterReader& read_roster, const Progress& progress,
                                    Roster& roster) {
  for (int page = 1;; ++page) {
    const std::string label = "experience list page " + std::to_string(page);
    auto listed = fetcher.get(
        {experiences_list_request(page, settings.page_size, settings.status), label, std::nullopt});
    if (!listed) {
      return listed.error();
    }
    progress.answered(label);
    auto experiences = read_roster({&*listed, 1});
    if (!experiences) {
      return experiences.error();
    }
    for (const ExperienceTimes& experience : *experiences) {
      roster.ids.push_back(experience.id);
    }
    roster.exchanges.push_back(std::move(*listed));
    if (experiences->size() < static_cast<std::size_t>(settings.page_size)) {
      return {};
    }
  }
}

util::Result<void> fetch_details(Fetcher& fetcher, const Progress& progress, Roster& roster) {
  for (const std::string& id : roster.ids) {
    const std::string label = "experience " + id;
    auto detail = fetcher.get({experience_request(id), label, std::nullopt});
    if (!detail) {
      return detail.error();
    }
    progress.answered(label);
    roster.exchanges.push_back(std::move(*detail));
  }
  return {};
}

// The analytics of every chosen experience that has started, then the sitewide ones.
util::Result<std::vector<PlannedRequest>> plan_analytics(const AccountSettings& settings,
                                                         const RosterReader& read_roster,
                                                         const Roster& roster,
                                                         AccountSummary& summary) {
  auto experiences = read_roster(roster.exchanges);
  if (!experiences) {
    return experiences.error();
  }
  std::vector<PlannedRequest> requests;
  for (const ExperienceTimes& experience : *experiences) {
    if (std::find(roster.ids.begin(), roster.ids.end(), experience.id) == roster.ids.end()) {
      continue;
    }
    if (!experience.started_at_ms) {
      ++summary.not_started; // a pending test has no analytics yet
      continue;
    }
    for (PlannedRequest& planned : plan_experience(experience, settings.plan)) {
      requests.push_back(std::move(planned));
    }
  }
  if (settings.sitewide) {
    for (PlannedRequest& planned : plan_sitewide(settings.plan)) {
      requests.push_back(std::move(planned));
    }
  }
  return requests;
}

} // namespace

util::Result<AccountSummary> fetch_account(const AccountSettings& settings, Fetcher& fetcher,
                                           const RosterReader& read_roster,
                                           const AccountListener& listener) {
  const Progress progress(listener);
  Roster roster;
  roster.ids = settings.experiences;
  if (roster.ids.empty()) {
    if (auto listed = list_experiences(settings, fetcher, read_roster, progress, roster); !listed) {
      return listed.error();
    }
  }
  progress.total(roster.exchanges.size() + roster.ids.size());
  if (auto details = fetch_details(fetcher, progress, roster); !details) {
    return details.error();
  }
  AccountSummary summary;
  auto requests = plan_analytics(settings, read_roster, roster, summary);
  if (!requests) {
    return requests.error();
  }
  progress.total(roster.exchanges.size() + requests->size());
  for (const PlannedRequest& planned : *requests) {
    if (auto fetched = fetcher.get(planned); !fetched) {
      return fetched.error();
    }
    progress.answered(planned.label);
  }
  return summary;
}

} // namespace reckon::fetch
