#pragma once

#include "commands.hpp"
#include "progress.hpp"

#include "reckon/fetch/account.hpp"
#include "reckon/fetch/fetcher.hpp"
#include "reckon/fetch/http_client.hpp"
#include "reckon/fetch/session.hpp"
#include "reckon/store/store.hpp"

namespace reckon::app {

// What every source's fetch sets up before its first request: the store it writes into, the
// client, the session that paces and retries (its waits shown on the progress bar) and the
// fetcher that keeps each answer. The members refer to one another, so a rig stays where it
// was built.
class FetchRig {
public:
  FetchRig(store::Store opened, fetch::HttpSettings http, fetch::SessionSettings rules,
           fetch::ClientErrorExplainer explain, const Console& console);
  FetchRig(const FetchRig&) = delete;
  FetchRig& operator=(const FetchRig&) = delete;

  // The progress bar's part in an account fetch: the total so far and each answered request.
  fetch::AccountListener listener();

  store::Store store;
  ProgressBar bar;
  fetch::HttpClient client;
  fetch::Session session;
  fetch::Fetcher fetcher;
};

} // namespace reckon::app
