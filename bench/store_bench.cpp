// How fast the store records fetched responses, at an empty store and at the size of large
// accounts (issue 17, point 5: the request rate must not degrade with the store's size). Each
// iteration saves a batch of 1,000 new responses the way `reckon fetch` does (fetch::Fetcher:
// one Store::save of one exchange per answer, each its own transaction) into a store that
// already holds N responses, N = 0, 10,000, 50,000 (about the simulated 500-experience, 90-day
// account of reckon_scale_bench) and 200,000. A second benchmark saves a new version of
// requests already stored, as a daily re-fetch does. Rates are responses saved per second of
// wall time (the fsyncs of WAL checkpoints included, as a fetch waits for them).
//
//   reckon_store_bench [--benchmark_filter=...]     (builds the stores in $TMPDIR first)
#include "reckon/store/store.hpp"

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

namespace {

namespace fs = std::filesystem;
using reckon::contract::ApiExchange;
using reckon::store::Store;

constexpr std::int64_t k_batch = 1000;
// A day window's overview body of the simulated account is about 5 KB and an audience view up
// to 60 KB; that store's bodies average 7.8 KB (384 MB over 49,516 responses).
constexpr std::size_t k_body_bytes = 6 * 1024;

// The n-th analytics request of an account: one experience (a UUID-like id) asked for one
// day window, as fetch plans it.
ApiExchange exchange(std::int64_t n, std::int64_t fetched_at_ms) {
  char id[40];
  std::snprintf(id, sizeof id, "%08llx-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(n / 100), static_cast<unsigned long long>(n));
  ApiExchange e;
  e.request.source = "intelligems";
  e.request.method = "POST";
  e.request.path = std::string("/v25-10-beta/analytics/resource/") + id;
  e.request.body = R"({"view":"overview","startTs":)" +
                   std::to_string(1780000000 + n % 100 * 86400) + R"(,"endTs":)" +
                   std::to_string(1780086399 + n % 100 * 86400) + "}";
  e.status = 200;
  e.fetched_at_ms = fetched_at_ms;
  e.body = R"({"metrics":[)";
  while (e.body.size() < k_body_bytes) {
    e.body += R"({"variation":")" + std::to_string(n) + R"(","conversion_rate":{"value":0.0)" +
              std::to_string(e.body.size() * 7919 % 100000) + "}},";
  }
  e.body += "{}]}";
  return e;
}

// A store holding `size` responses, built once per size in one transaction (a fast import),
// and the count of responses saved into it so far.
struct Prepared {
  Store store;
  std::int64_t saved = 0;
};

std::map<std::int64_t, Prepared>& all_prepared() {
  static std::map<std::int64_t, Prepared> stores;
  return stores;
}

Prepared& prepared(std::int64_t size) {
  std::map<std::int64_t, Prepared>& stores = all_prepared();
  if (const auto found = stores.find(size); found != stores.end()) {
    return found->second;
  }
  const fs::path file =
      fs::temp_directory_path() /
      ("reckon_store_bench." + std::to_string(::getpid()) + "." + std::to_string(size) + ".db");
  Store store = std::move(Store::open(file).value());
  constexpr std::int64_t k_fill = 5000;
  for (std::int64_t at = 0; at < size; at += k_fill) {
    std::vector<ApiExchange> exchanges;
    for (std::int64_t n = at; n < std::min(size, at + k_fill); ++n) {
      exchanges.push_back(exchange(n, 1));
    }
    (void)store.save(exchanges).value();
  }
  return stores.emplace(size, Prepared{std::move(store), size}).first->second;
}

// Saves k_batch exchanges one at a time, `next(i)` the i-th, made before the clock runs.
template <typename Next>
void save_batch(benchmark::State& state, Store& store, Next next) {
  state.PauseTiming();
  std::vector<ApiExchange> batch;
  for (std::int64_t i = 0; i < k_batch; ++i) {
    batch.push_back(next(i));
  }
  state.ResumeTiming();
  for (const ApiExchange& e : batch) {
    if (!store.save({&e, 1})) {
      state.SkipWithError("save failed");
      return;
    }
  }
}

void fresh_requests(benchmark::State& state) {
  Prepared& p = prepared(state.range(0));
  for (auto _ : state) {
    save_batch(state, p.store, [&](std::int64_t i) { return exchange(p.saved + i, 1); });
    p.saved += k_batch;
  }
  state.SetItemsProcessed(state.iterations() * k_batch);
  state.counters["store_responses"] = static_cast<double>(p.saved);
}

// A re-fetch: a new version (a later fetch time) of requests the store already holds.
void new_versions(benchmark::State& state) {
  Prepared& p = prepared(state.range(0));
  std::int64_t round = 2;
  for (auto _ : state) {
    const std::int64_t stored = std::max<std::int64_t>(p.saved, 1);
    save_batch(state, p.store, [&](std::int64_t i) {
      return exchange((round * 7919 + i * 104729) % stored, round);
    });
    ++round;
  }
  state.SetItemsProcessed(state.iterations() * k_batch);
}

} // namespace

// Stores already holding 10k to 200k responses (and, for fresh requests, an empty one).
void store_sizes(benchmark::internal::Benchmark* benchmark) {
  for (const std::int64_t stored : {10'000, 50'000, 200'000}) {
    benchmark->Arg(stored);
  }
  benchmark->Iterations(5)->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK(fresh_requests)->Arg(0)->Apply(store_sizes);
BENCHMARK(new_versions)->Apply(store_sizes);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  all_prepared().clear(); // closes the stores before their files go
  for (const fs::directory_entry& entry : fs::directory_iterator(fs::temp_directory_path())) {
    if (entry.path().filename().string().starts_with("reckon_store_bench." +
                                                     std::to_string(::getpid()) + ".")) {
      fs::remove(entry.path());
    }
  }
  return 0;
}
