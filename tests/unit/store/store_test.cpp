#include "reckon/store/store.hpp"

#include "support/error_matchers.hpp"

#include "reckon/contract/intelligems.hpp"

#include "reckon/util/file.hpp"
#include "store_fixture.hpp"
#include "support/paths.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace reckon::store {
namespace {

using test::contents;
using test::exchange;
using test::must_open;

std::filesystem::path fresh_store_file(const char* purpose) {
  return reckon::test::fresh_temp_dir(purpose) / "reckon.db";
}

TEST(Store, KeepsEveryVersionAndReturnsTheNewest) {
  const auto file = fresh_store_file("store");
  Store store = must_open(file);
  const auto first = exchange("intelligems", contract::intelligems::experiences_list_path(),
                              {{"page", "1"}, {"limit", "5"}}, R"({"v":1})", 1'000);
  auto second = first;
  second.body = R"({"v":2})";
  second.fetched_at_ms = 2'000;
  ASSERT_TRUE(store.save({&first, 1}));
  ASSERT_TRUE(store.save({&second, 1}));

  const auto latest = store.latest(first.request);
  ASSERT_TRUE(latest);
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ(contents(**latest), contents(second));
  // The origin names the request, never a row id.
  const std::string origin = file.string() + ": GET " +
                             std::string(contract::intelligems::experiences_list_path()) +
                             "?page=1&limit=5";
  EXPECT_EQ((*latest)->origin, origin);

  const auto history = store.all();
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ(contents((*history)[0]), contents(first));
  EXPECT_EQ((*history)[0].origin, origin);
  EXPECT_EQ(contents((*history)[1]), contents(second));
}

TEST(Store, NewestMeansLatestFetchThenLatestSaved) {
  Store store = must_open(fresh_store_file("store"));
  const auto newer = exchange("platform", "/api/v1/experiments", {}, "newer", 5'000);
  auto older = newer;
  older.body = "older";
  older.fetched_at_ms = 4'000;
  auto tie = newer;
  tie.body = "same time, saved later";
  ASSERT_TRUE(store.save({&newer, 1}));
  ASSERT_TRUE(store.save({&older, 1}));
  EXPECT_EQ((*store.latest(newer.request))->body, "newer");
  ASSERT_TRUE(store.save({&tie, 1}));
  EXPECT_EQ((*store.latest(newer.request))->body, "same time, saved later");
  const auto history = store.all();
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 3U);
  EXPECT_EQ((*history)[0].body, "older");
}

TEST(Store, MatchesTheWholeRequest) {
  Store store = must_open(fresh_store_file("store"));
  auto saved = exchange("intelligems",
                        (std::string(contract::intelligems::k_prefix) + "/analytics/resource/x"),
                        {{"a", "1"}, {"b", "2"}}, "answer", 1);
  saved.request.method = "POST";
  saved.request.body = R"({"view":"overview"})";
  ASSERT_TRUE(store.save({&saved, 1}));
  EXPECT_TRUE(store.latest(saved.request)->has_value());

  std::vector<contract::ApiRequest> others(6, saved.request);
  others[0].source = "platform";
  others[1].method = "GET";
  others[2].path += "/";
  others[3].query = {{"b", "2"}, {"a", "1"}}; // the same pairs in another order
  others[4].query.emplace_back("a", "1");     // a repeated pair
  others[5].body = R"({"view":"audience"})";
  for (const contract::ApiRequest& other : others) {
    const auto found = store.latest(other);
    ASSERT_TRUE(found);
    EXPECT_FALSE(found->has_value()) << other.path;
  }
}

TEST(Store, SavingAnIdenticalExchangeAgainAddsNothing) {
  Store store = must_open(fresh_store_file("store"));
  const std::vector<contract::ApiExchange> exchanges{
      exchange("bandit", "/experiments", {}, "[]", 7),
      exchange("bandit", "/experiments/e1", {}, "{}", 7),
  };
  const auto first = store.save(exchanges);
  const auto again = store.save(exchanges);
  ASSERT_TRUE(first && again);
  EXPECT_EQ(store.all()->size(), 2U);
  EXPECT_EQ(first->fresh, 2U);
  EXPECT_EQ(first->unchanged, 0U);
  EXPECT_EQ(again->fresh, 0U);
  EXPECT_EQ(again->replaced, 0U);
  EXPECT_EQ(again->unchanged, 2U);
}

TEST(Store, SaveCountsNewReplacedAndUnchangedResponses) {
  Store store = must_open(fresh_store_file("store"));
  const auto list = exchange("bandit", "/experiments", {}, "[]", 7);
  const auto detail = exchange("bandit", "/experiments/e1", {}, "{}", 7);
  ASSERT_TRUE(store.save({&list, 1}));
  auto refreshed = list;
  refreshed.fetched_at_ms = 8;
  refreshed.body = "[1]";
  const std::vector<contract::ApiExchange> batch{refreshed, detail, list};
  const auto saved = store.save(batch);
  ASSERT_TRUE(saved) << saved.error().describe();
  EXPECT_EQ(saved->fresh, 1U);     // the detail
  EXPECT_EQ(saved->replaced, 1U);  // a new version of the list
  EXPECT_EQ(saved->unchanged, 1U); // the list's first version, stored already
  EXPECT_EQ(store.all()->size(), 3U);
  EXPECT_EQ((*store.latest(list.request))->body, "[1]");
}

TEST(Store, LatestAllFollowsTheOrderRequestsWereFirstStored) {
  Store store = must_open(fresh_store_file("store"));
  const std::vector<contract::ApiExchange> first{
      exchange("intelligems", "/c", {}, "c1", 10),
      exchange("platform", "/p", {}, "p1", 10),
      exchange("intelligems", "/a", {}, "a1", 10),
      exchange("intelligems", "/b", {}, "b1", 10),
  };
  ASSERT_TRUE(store.save(first));
  const auto newer_a = exchange("intelligems", "/a", {}, "a2", 20);
  ASSERT_TRUE(store.save({&newer_a, 1}));

  const auto intelligems = store.latest_all("intelligems");
  ASSERT_TRUE(intelligems);
  std::vector<std::string> bodies;
  for (const auto& found : *intelligems) {
    bodies.push_back(found.body);
  }
  EXPECT_EQ(bodies, (std::vector<std::string>{"c1", "a2", "b1"}));

  const auto every = store.latest_all();
  ASSERT_TRUE(every);
  ASSERT_EQ(every->size(), 4U);
  EXPECT_EQ((*every)[1].body, "p1");
  EXPECT_TRUE(store.latest_all("nobody")->empty());
}

TEST(Store, AFailureMidwayLeavesNothingOfTheTransaction) {
  const auto file = fresh_store_file("store");
  Store store = must_open(file);
  // Another program's trigger fails the third insert, after two succeeded in the transaction.
  test::execute_sql(file, "CREATE TRIGGER planted AFTER INSERT ON response WHEN NEW.status = 599 "
                          "BEGIN SELECT RAISE(ABORT, 'planted failure'); END;");
  const std::vector<contract::ApiExchange> exchanges{
      exchange("intelligems", "/one", {}, "1", 1),
      exchange("intelligems", "/two", {}, "2", 1),
      exchange("intelligems", "/three", {}, "3", 1, 599),
      exchange("intelligems", "/four", {}, "4", 1),
  };
  const util::Result<SaveCounts> saved = store.save(exchanges);
  ASSERT_FALSE(saved);
  EXPECT_ERROR(saved, util::ErrorCode::io, ::testing::HasSubstr("planted failure"));
  EXPECT_EQ(saved.error().where, file.string());
  EXPECT_TRUE(store.all()->empty());
  EXPECT_EQ(test::query_sql(file, "SELECT count(*) FROM request"), "0");

  // The store is usable again at once.
  ASSERT_TRUE(store.save(std::span(exchanges).first(2)));
  EXPECT_EQ(store.all()->size(), 2U);
}

TEST(Store, WaitsForAnotherWritersTransaction) {
  const auto file = fresh_store_file("store");
  Store store = must_open(file);
  test::WriteLock lock(file);
  std::thread other([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    lock.release();
  });
  const auto started = std::chrono::steady_clock::now();
  const std::vector<contract::ApiExchange> exchanges{exchange("intelligems", "/x", {}, "x", 1)};
  const util::Result<SaveCounts> saved = store.save(exchanges);
  other.join();
  ASSERT_TRUE(saved) << saved.error().describe();
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(100));
  EXPECT_EQ(store.all()->size(), 1U);
}

TEST(Store, ReopeningKeepsEverything) {
  const auto file = fresh_store_file("store");
  const auto saved = exchange("platform", "/api/v1/experiments/e/results", {}, "{}", 3, 404);
  {
    Store store = must_open(file);
    ASSERT_TRUE(store.save({&saved, 1}));
    const KeptCell cell{{"e", "overall", "All", "", "p2bb", "v"}, {{"p2bb", 0.5, 0.49}}};
    ASSERT_TRUE(store.add_run("check", 99, "nightly", {&cell, 1}));
  }
  util::Result<Store> reopened = Store::open_existing(file);
  ASSERT_TRUE(reopened) << reopened.error().describe();
  const auto found = reopened->latest(saved.request);
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ(contents(**found), contents(saved));
  EXPECT_EQ(reopened->runs()->size(), 1U);
  EXPECT_EQ(test::query_sql(file, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(test::query_sql(file, "PRAGMA user_version"), "3");
}

TEST(Store, MovedStoresKeepWorking) {
  Store store = must_open(fresh_store_file("store"));
  Store moved = std::move(store);
  Store assigned = must_open(fresh_store_file("store"));
  assigned = std::move(moved);
  const auto saved = exchange("bandit", "/events/e", {{"limit", "100"}}, "[]", 1);
  ASSERT_TRUE(assigned.save({&saved, 1}));
  EXPECT_EQ(assigned.all()->size(), 1U);
}

TEST(Store, RefusesAStoreFromANewerSchema) {
  const auto file = fresh_store_file("store");
  { must_open(file); }
  test::execute_sql(file, "PRAGMA user_version = 7");
  for (const bool existing : {false, true}) {
    const util::Result<Store> store = existing ? Store::open_existing(file) : Store::open(file);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().where, file.string());
    EXPECT_ERROR(
        store, util::ErrorCode::io,
        "the store has schema version 7, newer than this Reckon reads (3); upgrade Reckon");
  }
}

TEST(Store, KeepsADayWindowsDateOutsideTheRequestsIdentity) {
  const auto file = fresh_store_file("store");
  Store store = must_open(file);
  auto window =
      exchange("intelligems", "/analytics/resource/e", {{"start", "1788174000"}}, "{}", 1);
  window.request.day = contract::DayWindow{"2026-09-01", "+13:00"};
  ASSERT_TRUE(store.save({&window, 1}));
  // Found by what was sent alone, and read back with its day.
  contract::ApiRequest asked = window.request;
  asked.day.reset();
  auto found = store.latest(asked);
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->request.day, window.request.day);

  // A version without a day (an old export imported) keeps the stored one; a new day replaces
  // it, for every version.
  auto undated =
      exchange("intelligems", "/analytics/resource/e", {{"start", "1788174000"}}, "{\"v\":2}", 2);
  ASSERT_TRUE(store.save({&undated, 1}));
  EXPECT_EQ(store.latest(asked)->value().request.day, window.request.day);
  auto renamed = undated;
  renamed.request.day = contract::DayWindow{"2026-09-01", "Pacific/Auckland"};
  ASSERT_TRUE(store.save({&renamed, 1}));
  const auto all = store.all();
  ASSERT_TRUE(all) << all.error().describe();
  ASSERT_EQ(all->size(), 2U);
  for (const contract::ApiExchange& version : *all) {
    EXPECT_EQ(version.request.day, renamed.request.day) << contents(version);
  }
  EXPECT_EQ(test::query_sql(file, "SELECT count(*) FROM request"), "1");
}

TEST(Store, MigratesAVersion1StoreWhenOpened) {
  const auto file = fresh_store_file("store");
  // The schema of Reckon's first stores, frozen here as they were written.
  test::execute_sql(file, R"sql(
CREATE TABLE request (id INTEGER PRIMARY KEY, source TEXT NOT NULL, method TEXT NOT NULL,
  path TEXT NOT NULL, query TEXT NOT NULL, body BLOB NOT NULL,
  UNIQUE (source, method, path, query, body));
CREATE TABLE response (id INTEGER PRIMARY KEY, request_id INTEGER NOT NULL REFERENCES request (id),
  fetched_at_ms INTEGER NOT NULL, status INTEGER NOT NULL, body BLOB NOT NULL);
CREATE INDEX response_by_request ON response (request_id, fetched_at_ms, id);
CREATE TABLE check_run (id INTEGER PRIMARY KEY, command TEXT NOT NULL, at_ms INTEGER NOT NULL,
  label TEXT NOT NULL, document TEXT NOT NULL);
CREATE INDEX check_run_by_time ON check_run (at_ms, id);
INSERT INTO request VALUES (1, 'intelligems', 'POST', '/analytics/resource/e', '', CAST('{}' AS BLOB));
INSERT INTO response VALUES (1, 1, 5, 200, CAST('{"old":true}' AS BLOB));
PRAGMA application_id = 1380141902;
PRAGMA user_version = 1;
)sql");
  util::Result<Store> store = Store::open_existing(file);
  ASSERT_TRUE(store) << store.error().describe();
  EXPECT_EQ(test::query_sql(file, "PRAGMA user_version"), "3");
  auto stored = store->latest_all("intelligems");
  ASSERT_TRUE(stored) << stored.error().describe();
  ASSERT_EQ(stored->size(), 1U);
  EXPECT_EQ(stored->front().body, R"({"old":true})");
  EXPECT_FALSE(stored->front().request.day); // unknown: parse dates it by the UTC midpoint

  // The migrated store takes days like a new one.
  contract::ApiExchange dated = stored->front();
  dated.request.day = contract::DayWindow{"2026-09-01", "UTC"};
  ASSERT_TRUE(store->save({&dated, 1}));
  EXPECT_EQ(store->latest(dated.request)->value().request.day, dated.request.day);
}

TEST(Store, RefusesOtherFiles) {
  const auto dir = reckon::test::fresh_temp_dir("store");
  test::execute_sql(dir / "other.db", "CREATE TABLE mine (x INTEGER)");
  const util::Result<Store> other = Store::open(dir / "other.db");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().describe(), (dir / "other.db").string() +
                                          ": not a Reckon store (an SQLite database of another "
                                          "program)");
  ASSERT_TRUE(util::write_file_atomically(dir / "text.db", std::string(4096, 'x')));
  const util::Result<Store> text = Store::open(dir / "text.db");
  ASSERT_FALSE(text);
  EXPECT_ERROR(text, util::ErrorCode::io, ::testing::_);
  EXPECT_EQ(text.error().describe(),
            (dir / "text.db").string() +
                ": cannot open the store for writing: not a Reckon store (the file is not an "
                "SQLite database)");
}

TEST(Store, AMissingStoreSaysHowToMakeOne) {
  const auto file = fresh_store_file("store");
  const util::Result<Store> store = Store::open_existing(file);
  ASSERT_FALSE(store);
  EXPECT_ERROR(store, util::ErrorCode::io, ::testing::_);
  EXPECT_EQ(store.error().describe(),
            "no store at " + file.string() + " (run `reckon fetch` or `reckon import` first)");
  EXPECT_FALSE(std::filesystem::exists(file));
}

TEST(Store, BodiesAndQueriesKeepEveryByte) {
  Store store = must_open(fresh_store_file("store"));
  const std::string binary("\0\xff\xfe{\"a\":\0}\x80 \r\n", 14);
  auto odd = exchange("intelligems", "/p\xc3\xa4th/with space",
                      {{"q", "a&b=c%d"}, {"", ""}, {"ü", std::string("\0x", 2)}, {"q", "again"}},
                      binary, -5);
  odd.request.method = "POST";
  odd.request.body = std::string("{\0}", 3);
  auto empty = exchange("intelligems", "", {}, "", 0, 204);
  ASSERT_TRUE(store.save({&odd, 1}));
  ASSERT_TRUE(store.save({&empty, 1}));
  const auto found = store.latest(odd.request);
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ(contents(**found), contents(odd));
  EXPECT_EQ((*found)->body.size(), 14U);
  const auto found_empty = store.latest(empty.request);
  ASSERT_TRUE(found_empty && found_empty->has_value());
  EXPECT_EQ(contents(**found_empty), contents(empty));
}

// The body of item `item` of batch `batch`, long enough that a kill often lands mid-write.
std::string killed_body(int round, int batch, int item) {
  std::string body =
      std::to_string(round) + "/" + std::to_string(batch) + "/" + std::to_string(item) + ":";
  body.resize(4096, static_cast<char>('a' + (round + batch + item) % 26));
  return body;
}

TEST(Store, AWriterKilledAtAnyInstantLeavesOnlyCompleteTransactions) {
  const auto file = fresh_store_file("store");
  { must_open(file); }
  constexpr int k_batch = 20;
  std::size_t saved_batches = 0;
  int round = 0;
  for (const int delay_ms : {0, 30, 90, 170}) {
    ++round;
    // The child says on this pipe when its first batch is committed, and the kill falls
    // `delay_ms` later: a fixed delay from the fork alone lands before any commit on a
    // loaded machine (sanitizer builds, parallel tests), and the test proves nothing then.
    int committed[2] = {-1, -1};
    ASSERT_EQ(::pipe(committed), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // The child only writes, then _exits: no test state of the parent runs in it.
      ::close(committed[0]);
      util::Result<Store> store = Store::open(file);
      if (!store) {
        ::_exit(1);
      }
      for (int batch = 0; batch < 1'000'000; ++batch) {
        std::vector<contract::ApiExchange> exchanges;
        for (int item = 0; item < k_batch; ++item) {
          exchanges.push_back(exchange("intelligems",
                                       "/round/" + std::to_string(round) + "/batch/" +
                                           std::to_string(batch) + "/" + std::to_string(item),
                                       {}, killed_body(round, batch, item), batch));
        }
        if (!store->save(exchanges)) {
          ::_exit(2);
        }
        if (batch == 0 && ::write(committed[1], "c", 1) != 1) {
          ::_exit(3);
        }
      }
      ::_exit(0);
    }
    ::close(committed[1]);
    char signal_byte = 0;
    ASSERT_EQ(::read(committed[0], &signal_byte, 1), 1) << "the writer exited before committing";
    ::close(committed[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child status " << status;

    EXPECT_EQ(test::query_sql(file, "PRAGMA integrity_check"), "ok");
    util::Result<Store> store = Store::open_existing(file);
    ASSERT_TRUE(store) << store.error().describe();
    const auto stored = store->all();
    ASSERT_TRUE(stored);
    std::map<int, int> items_of_batch;
    for (const contract::ApiExchange& found : *stored) {
      int stored_round = 0;
      int batch = 0;
      int item = 0;
      ASSERT_EQ(std::sscanf(found.request.path.c_str(), "/round/%d/batch/%d/%d", &stored_round,
                            &batch, &item),
                3);
      ASSERT_EQ(found.body, killed_body(stored_round, batch, item)) << found.origin;
      if (stored_round == round) {
        ++items_of_batch[batch];
      }
    }
    for (const auto& [batch, items] : items_of_batch) {
      EXPECT_EQ(items, k_batch) << "batch " << batch << " of round " << round << " is partial";
    }
    saved_batches += items_of_batch.size();
  }
  EXPECT_GT(saved_batches, 0U) << "the writer never committed; the test proved nothing";
}

} // namespace
} // namespace reckon::store
