// The fault matrix's last row (issue 12): `kill -9` of `reckon fetch` at random moments, many
// times over. After each kill the store holds only whole recorded answers, a fetch resumed from
// a copy of it completes, and the resumed store's answers equal those of a fetch never
// interrupted. The kills form a chain: each killed fetch resumes the one killed before it, so
// kills land in resumed fetches too, and the chain's own last fetch completes as well.
#include "fault_matrix.hpp"

#include <random>
#include <thread>

namespace reckon::test::fetch_tests {
namespace {

constexpr int k_kills = 20;
// Seeded, so that every run kills at the same moments (relative to a whole fetch's duration).
constexpr std::uint32_t k_seed = 20261206;

// Two of the demo's experiences, one ended (its answers settle) and one running (its answers
// are asked again by every fetch), and the sitewide windows: a third of the whole account, so
// that many kills and resumes fit in seconds.
std::vector<std::string> fetch_args(const Harness& harness) {
  std::vector<std::string> args = harness.fetch_args();
  for (const char* id :
       {"839496aa-67cd-4f1c-ba67-3e4c51f71594", "8d909cc2-49e0-4b68-96de-67822d75bc19"}) {
    args.insert(args.end(), {"--experience", id});
  }
  return args;
}

ProcessResult fetch(const Harness& harness, const std::filesystem::path& dir) {
  return run_process(k_binary, fetch_args(harness), dir, with_key(k_key));
}

// Copies what a killed fetch leaves of its store (the file and its write-ahead log) from the
// folder `from` to the folder `to`.
void copy_store(const std::filesystem::path& from, const std::filesystem::path& to) {
  for (const char* name : {"reckon.db", "reckon.db-wal"}) {
    if (std::filesystem::exists(from / name)) {
      std::filesystem::copy_file(from / name, to / name);
    }
  }
}

TEST(FaultMatrix, KillNineAtRandomMomentsThenResumeEqualsAnUninterruptedFetch) {
  Harness reference("kill-reference");
  const auto started = std::chrono::steady_clock::now();
  const ProcessResult whole = fetch(reference, reference.dir);
  const auto whole_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const std::map<std::string, StoredAnswer> expected = latest_answers(reference.store_path());
  ASSERT_EQ(expected.size(), 2 + 2 * 8 + 14 + 19 + 10); // details, analytics, days, sitewide

  Harness harness("kill-chain");
  std::mt19937 moments(k_seed);
  std::uniform_int_distribution<std::int64_t> delay_ms(0, whole_ms.count());
  int killed = 0;
  for (int kill = 1; kill <= k_kills; ++kill) {
    const std::int64_t delay = delay_ms(moments);
    SCOPED_TRACE("kill " + std::to_string(kill) + ", " + std::to_string(delay) +
                 " ms after the start (a whole fetch took " + std::to_string(whole_ms.count()) +
                 " ms)");
    {
      ChildProcess child(k_binary, fetch_args(harness), harness.dir, with_key(k_key));
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
      child.kill(SIGKILL);
      const ProcessResult ended = child.wait();
      if (ended.signal == SIGKILL) {
        ++killed;
      } else {
        ASSERT_EQ(ended.exit_code, 0) << ended.err; // it finished before the kill
      }
    }
    // Killed before it made the store's schema, a fetch leaves no file or an empty one, which
    // every command reads as no store; else the store holds only whole recorded answers.
    if (auto opened = store::Store::open_existing(harness.store_path()); opened) {
      expect_only_whole_recorded_answers(harness.store_path());
    } else {
      EXPECT_THAT(opened.error().describe(), HasSubstr("no store at"));
    }
    const std::filesystem::path resumed = fresh_temp_dir("kill-resumed");
    copy_store(harness.dir, resumed);
    const ProcessResult completed = fetch(harness, resumed);
    ASSERT_EQ(completed.exit_code, 0) << completed.err;
    EXPECT_TRUE(latest_answers(resumed / "reckon.db") == expected);
    std::filesystem::remove_all(resumed);
  }
  // Later fetches of the chain reuse settled answers and end sooner, so some end by themselves.
  EXPECT_GE(killed, k_kills / 3) << "too few kills landed while the fetch ran";
  RecordProperty("kills_that_landed", killed);

  const ProcessResult last = fetch(harness, harness.dir);
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_TRUE(latest_answers(harness.store_path()) == expected);
}

} // namespace
} // namespace reckon::test::fetch_tests
