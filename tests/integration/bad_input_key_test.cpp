// `reckon fetch` and the API key: never shown, even when the server echoes it; never sent when
// it could inject a header; and a key file that is a directory or readable by others is said so.
#include "support/loopback_http_server.hpp"
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/text_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace reckon::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::filesystem::path k_binary = RECKON_BINARY;
const std::string k_secret = "sk-live-7f3a9c2e41d8b6";

// A server that rejects every request with a 400 whose body quotes the key it was sent, as a
// careless API might, in each place Reckon reads an error body from. With `list_accepted`, the
// experiences list is answered instead with a 200 page, empty but for the key it quotes: a
// body Reckon stores.
class EchoingServer {
public:
  explicit EchoingServer(bool list_accepted = false) {
    const httplib::Server::Handler echo = [this, list_accepted](const httplib::Request& req,
                                                                httplib::Response& res) {
      ++m_requests;
      const std::string token = req.get_header_value("intelligems-access-token");
      if (list_accepted && req.path.ends_with("/experiences-list")) {
        res.set_content(R"({"experiencesList":[],"page":1,"limit":20,"note":"served to )" + token +
                            R"("})",
                        "application/json");
        return;
      }
      res.status = 400;
      res.set_content(R"({"error":"token )" + token + R"( is not valid","errors":["bad token: )" +
                          token + R"("],"properties":{"token":["unknown: )" + token + R"("]}})",
                      "application/json");
    };
    m_http.Get(".*", echo).Post(".*", echo);
    m_http.start_serving();
  }
  std::string base_url() const { return m_http.base_url(); }
  int requests() const { return m_requests.load(); }

private:
  LoopbackHttpServer m_http;
  std::atomic<int> m_requests{0};
};

// `reckon [flag] fetch ... extra`, where `flag` is -q, -v or nothing.
ProcessResult fetch_with(const EchoingServer& server, const std::filesystem::path& dir,
                         const std::vector<std::string>& extra, const ProcessOptions& options,
                         const std::string& flag = {}) {
  std::vector<std::string> args{"fetch",  "--base-url", server.base_url(), "--store", "s.db",
                                "--rate", "0"};
  if (!flag.empty()) {
    args.insert(args.begin(), flag);
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return run_process(k_binary, args, dir, options);
}

TEST(BadInputKey, AKeyTheServerEchoesIsRedactedFromEveryMessageAndNeverStored) {
  EchoingServer server;
  const auto dir = fresh_temp_dir("key-echo");
  ProcessOptions with_key;
  with_key.environment["INTELLIGEMS_API_KEY"] = k_secret;
  for (const bool on_terminal : {false, true}) {
    with_key.stderr_on_terminal = on_terminal;
    const ProcessResult refused = fetch_with(server, dir, {}, with_key, "-v");
    EXPECT_EQ(refused.exit_code, 4) << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("400 Bad Request: token [redacted] is not valid"));
    EXPECT_THAT(refused.err, Not(HasSubstr(k_secret)));
    EXPECT_THAT(refused.out, Not(HasSubstr(k_secret)));
  }
  EXPECT_GE(server.requests(), 2);
  EXPECT_THAT(bytes_under(dir), Not(HasSubstr(k_secret)));
}

// Secrets are never stored: a key echoed in a 200 body is replaced before the body is kept,
// in the store's database and in its journal files alike.
TEST(BadInputKey, AKeyTheServerEchoesInAnAnswerItKeepsIsNotStored) {
  EchoingServer server(true);
  const auto dir = fresh_temp_dir("key-echo-200");
  ProcessOptions with_key;
  with_key.environment["INTELLIGEMS_API_KEY"] = k_secret;
  const ProcessResult fetched = fetch_with(server, dir, {"--no-sitewide"}, with_key, "-v");
  EXPECT_EQ(fetched.exit_code, 0) << fetched.err;
  EXPECT_EQ(server.requests(), 1);
  EXPECT_THAT(fetched.err + fetched.out, Not(HasSubstr(k_secret)));
  const std::string stored = bytes_under(dir);
  EXPECT_THAT(stored, HasSubstr("served to [redacted]"));
  EXPECT_THAT(stored, Not(HasSubstr(k_secret)));

  const ProcessResult analysed = run_process(k_binary, {"analyze", "--store", "s.db"}, dir);
  EXPECT_THAT(analysed.err + analysed.out, Not(HasSubstr(k_secret)));
}

TEST(BadInputKey, AKeyThatWouldInjectAHeaderIsRefusedBeforeAnyRequest) {
  EchoingServer server;
  const auto dir = fresh_temp_dir("key-inject");
  write_text(dir / "key", k_secret + "\r\nX-Injected: yes\n");
  ::chmod((dir / "key").c_str(), 0600);
  const ProcessResult from_file = fetch_with(server, dir, {"--api-key-file", "key"}, {});
  EXPECT_EQ(from_file.exit_code, 2);
  EXPECT_THAT(from_file.err, HasSubstr("reckon: --api-key-file key: the API key holds a control "
                                       "character, a space or a non-ASCII byte at byte 23"));
  EXPECT_THAT(from_file.err, Not(HasSubstr(k_secret)));

  ProcessOptions spaced;
  spaced.environment["INTELLIGEMS_API_KEY"] = "two words";
  const ProcessResult from_environment = fetch_with(server, dir, {}, spaced);
  EXPECT_EQ(from_environment.exit_code, 2);
  EXPECT_THAT(from_environment.err, HasSubstr("reckon: INTELLIGEMS_API_KEY: the API key holds"));
  EXPECT_EQ(server.requests(), 0);
}

TEST(BadInputKey, AKeyFileThatIsADirectoryOrSharedIsSaidSo) {
  EchoingServer server;
  const auto dir = fresh_temp_dir("key-file");
  std::filesystem::create_directory(dir / "keys");
  const ProcessResult directory = fetch_with(server, dir, {"--api-key-file", "keys"}, {});
  EXPECT_EQ(directory.exit_code, 3);
  EXPECT_THAT(directory.err, HasSubstr("reckon: --api-key-file keys: is a directory, not a file"));

  write_text(dir / "shared", k_secret + "\n");
  ::chmod((dir / "shared").c_str(), 0644);
  const ProcessResult shared = fetch_with(server, dir, {"--api-key-file", "shared"}, {}, "-q");
  EXPECT_EQ(shared.exit_code, 4); // the key is used: the echoing server refuses it
  const std::string warning =
      "reckon: warning: --api-key-file shared is readable by other users (mode 0644); "
      "chmod 600 shared\n";
  EXPECT_THAT(shared.err, HasSubstr(warning));
  EXPECT_EQ(shared.err.find(warning), shared.err.rfind(warning)); // once
  EXPECT_THAT(shared.err, Not(HasSubstr(k_secret)));

  ::chmod((dir / "shared").c_str(), 0600);
  EXPECT_THAT(fetch_with(server, dir, {"--api-key-file", "shared"}, {}).err,
              Not(HasSubstr("warning")));
}

} // namespace
} // namespace reckon::test
