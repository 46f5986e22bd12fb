#include "fetch_rig.hpp"

#include "wall_clock.hpp"

#include <unistd.h>

namespace reckon::app {

FetchRig::FetchRig(store::Store opened, fetch::HttpSettings http, fetch::SessionSettings rules,
                   fetch::ClientErrorExplainer explain, const Console& console)
    : store(std::move(opened)), bar(console.err, !console.quiet && isatty(STDERR_FILENO) == 1),
      client(std::move(http)),
      session(client, std::move(rules),
              {[this](std::chrono::milliseconds wait, std::string_view reason) {
                bar.waiting(wait, reason);
              }}),
      fetcher(session, store, std::move(explain), now_ms) {}

fetch::AccountListener FetchRig::listener() {
  return {[this](std::size_t total) { bar.set_total(total); },
          [this](std::string_view label) { bar.advance(label); }};
}

} // namespace reckon::app
