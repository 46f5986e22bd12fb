// Issue 12: a 200 whose body cannot be read is a failed attempt, never stored (defect 3), and
// a response over the size cap stops the fetch before it is buffered whole (defect 8).
#include "fetch_harness.hpp"

#include "support/loopback_http_server.hpp"

#include <atomic>

namespace reckon::test::fetch_tests {
namespace {

// Before the fix these bodies were stored, the fetch exited 0, and every later analysis of the
// store failed on them.
TEST(FetchBadBodies, RetriesUnreadable200sUntilTheStoreIsWhole) {
  Harness harness("fetch-bad-bodies");
  harness.server.inject(Fault(FaultKind::cut_json_body).from_request(10));
  harness.server.inject(Fault(FaultKind::non_json_body).from_request(40));
  harness.server.inject(
      Fault(FaultKind::wrong_shape_body).from_request(70).on_paths_containing("/resource/"));
  const ProcessResult fetched = harness.fetch();
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  expect_store_holds_exactly(harness, current_api_exchanges());
  const auto summary = summary_of(fetched.err);
  ASSERT_TRUE(summary) << fetched.err;
  EXPECT_EQ(summary->waits, 3U);
  EXPECT_EQ(summary->fetched, full_fetch_requests());
  EXPECT_EQ(summary->sent, full_fetch_requests() + 3);
  EXPECT_EQ(harness.server.log().count_status(200), full_fetch_requests() + 3);
}

TEST(FetchBadBodies, GivesUpOnAnUnreadableBodyKeepingWhatWasSound) {
  Harness harness("fetch-bad-body-storm");
  harness.server.inject(Fault(FaultKind::non_json_body).from_request(30).times(10));
  const ProcessResult failed = harness.fetch({{"--max-attempts", "3"}});
  EXPECT_EQ(failed.exit_code, 4);
  EXPECT_THAT(failed.err, HasSubstr("HTTP 200 with a body that cannot be read (body: not valid "
                                    "JSON"));
  EXPECT_THAT(failed.err, HasSubstr("at line 1, column 1 (byte 1)"));
  EXPECT_THAT(failed.err, HasSubstr("gave up after 3 attempts"));
  EXPECT_EQ(harness.server.log().size(), 29U + 3U);
  EXPECT_EQ(harness.stored_count(), 29U); // every sound answer before it, nothing of it

  // The next fetch resumes and completes the store.
  harness.server.clear_faults();
  const ProcessResult resumed = harness.fetch();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  expect_store_holds_exactly(harness, current_api_exchanges());
}

// A server that answers every request with `bytes` bytes of JSON, declared or chunked.
class BigBodyServer {
public:
  BigBodyServer(std::size_t bytes, bool chunked) {
    m_server.Get(".*", [this, bytes, chunked](const httplib::Request&, httplib::Response& res) {
      ++m_requests;
      auto body = std::make_shared<std::string>("{\"pad\":\"" + std::string(bytes, 'x') + "\"}");
      const auto provide = [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
        const std::size_t chunk = std::min<std::size_t>(64 * 1024, body->size() - offset);
        return sink.write(body->data() + offset, chunk);
      };
      if (chunked) {
        res.set_chunked_content_provider(
            "application/json", [body, provide](std::size_t offset, httplib::DataSink& sink) {
              if (offset >= body->size()) {
                sink.done();
                return true;
              }
              return provide(offset, 0, sink);
            });
      } else {
        res.set_content_provider(body->size(), "application/json", provide);
      }
    });
    m_server.start_serving();
  }

  std::string base_url() const { return m_server.base_url(); }
  int requests() const { return m_requests.load(); }

private:
  LoopbackHttpServer m_server;
  std::atomic<int> m_requests{0};
};

// Before the fix the whole body was buffered (4.2 GB resident for a 3 GB answer) before
// SQLite refused it.
TEST(FetchBadBodies, AResponseOverTheSizeCapStopsTheFetchAtOnce) {
  for (const bool chunked : {false, true}) {
    SCOPED_TRACE(chunked ? "chunked" : "with Content-Length");
    BigBodyServer server(3'000'000, chunked);
    const std::filesystem::path dir = fresh_temp_dir("fetch-size-cap");
    const ProcessResult capped = run_process(
        k_binary,
        {"fetch", "--base-url", server.base_url(), "--store", "reckon.db", "--experience", "big",
         "--no-sitewide", "--rate", "0", "--first-backoff", "0.01", "--max-response-mb", "1"},
        dir, with_key(k_key));
    EXPECT_EQ(capped.exit_code, 4);
    EXPECT_THAT(capped.err, HasSubstr("GET " + k_prefix +
                                      "/experiences/big: the response is "
                                      "larger than 1 MB, the cap on a "
                                      "response's size (--max-response-mb)"));
    EXPECT_EQ(server.requests(), 1); // never asked again: it would not shrink
    auto store = store::Store::open_existing(dir / "reckon.db");
    ASSERT_TRUE(store) << store.error().describe();
    auto stored = store->all();
    ASSERT_TRUE(stored) << stored.error().describe();
    EXPECT_TRUE(stored->empty());
  }
}

TEST(FetchBadBodies, TheSizeCapIsAnOptionWithAStatedDefault) {
  const ProcessResult help = run_process(k_binary, {"fetch", "--help"}, fresh_temp_dir("help"));
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--max-response-mb"));
  EXPECT_THAT(help.out, HasSubstr("--max-response-mb UINT:[1, 1000000]=256"));
  const ProcessResult zero =
      run_process(k_binary, {"fetch", "--max-response-mb", "0"}, fresh_temp_dir("zero"));
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_THAT(zero.err, HasSubstr("reckon: --max-response-mb: expected a whole number in "
                                  "[1, 1000000], got 0\n"));
}

} // namespace
} // namespace reckon::test::fetch_tests
