#include "reckon/fetch/fetcher.hpp"

namespace reckon::fetch {

Fetcher::Fetcher(Session& session, store::Store& store, ClientErrorExplainer explain,
                 std::function<std::int64_t()> now_ms)
    : m_session(session), m_store(store), m_explain(std::move(explain)),
      m_now_ms(std::move(now_ms)) {}

util::Result<contract::ApiExchange> Fetcher::get(const PlannedRequest& planned) {
  if (planned.settled_at_ms) {
    auto stored = m_store.latest(planned.request);
    if (!stored) {
      return stored.error();
    }
    // A settled answer that cannot be read (stored before fetch checked bodies) is asked again.
    if (*stored && (*stored)->fetched_at_ms >= *planned.settled_at_ms &&
        m_session.accepts(planned.request, (*stored)->body)) {
      contract::ApiExchange& reused = **stored;
      if (planned.request.day && reused.request.day != planned.request.day) {
        // Stored before the store kept day windows' dates: saving the same version again
        // only records the day.
        reused.request.day = planned.request.day;
        if (auto saved = m_store.save({&reused, 1}); !saved) {
          return saved.error();
        }
      }
      ++m_counters.reused;
      return std::move(reused);
    }
  }
  auto response = m_session.send(planned.request);
  if (!response) {
    // Retries ran out on a transient failure: every answer saved so far stays in the store,
    // and the same command run again asks only for what is missing or can still change.
    util::Error error = response.error();
    error.message += "; the " + std::to_string(m_counters.sent) +
                     " answers saved before it are kept: run the same command again to resume";
    return error;
  }
  if (response->status < 200 || response->status >= 300) {
    return util::make_error(util::ErrorCode::network,
                            planned.request.method + " " + planned.request.path,
                            m_explain(planned.request, *response));
  }
  contract::ApiExchange exchange{
      planned.request, response->status, m_now_ms(), std::move(response->body), {}};
  if (auto saved = m_store.save({&exchange, 1}); !saved) {
    return saved.error();
  }
  ++m_counters.sent;
  return exchange;
}

} // namespace reckon::fetch
