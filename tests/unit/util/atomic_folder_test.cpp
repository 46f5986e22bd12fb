#include "reckon/util/atomic_folder.hpp"
#include "reckon/util/file.hpp"

#include "support/error_matchers.hpp"
#include "support/paths.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace reckon::util {
namespace {

std::vector<std::string> names_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string read(const std::filesystem::path& path) {
  Result<std::string> text = read_file(path);
  return text ? *text : "<unreadable>";
}

std::vector<FolderFile> report(const std::string& version) {
  return {text_file("index.html", [version] { return "page " + version; }),
          text_file("results.json", [version] { return "json " + version; })};
}

TEST(AtomicFolder, WritesEveryFileAndReplacesAnEarlierFolderWhole) {
  const auto dir = test::fresh_temp_dir("atomic_folder");
  const auto target = dir / "report";
  // An earlier version's folder with fewer files is still ours.
  ASSERT_TRUE(
      write_folder(target, {text_file("index.html", [] { return std::string("page 1"); })}));
  EXPECT_EQ(names_in(target), std::vector<std::string>{"index.html"});
  EXPECT_EQ(read(target / "index.html"), "page 1");

  ASSERT_TRUE(write_folder(target, report("2")));
  EXPECT_EQ(names_in(target), (std::vector<std::string>{"index.html", "results.json"}));
  EXPECT_EQ(read(target / "index.html"), "page 2");
  EXPECT_EQ(read(target / "results.json"), "json 2");
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"report"});
}

TEST(AtomicFolder, AFailingFileLeavesTheOldFolderIntactAndNoTemporary) {
  const auto dir = test::fresh_temp_dir("atomic_folder");
  const auto target = dir / "report";
  ASSERT_TRUE(write_folder(target, report("1")));
  std::vector<FolderFile> files = report("2");
  files.push_back({"results.sqlite", [](const std::filesystem::path& path) {
                     return Result<void>(make_error(ErrorCode::io, path.string(), "disk full"));
                   }});
  const Result<void> failed = write_folder(target, files);
  EXPECT_ERROR(failed, ErrorCode::io, "disk full (the folder is unchanged)");
  EXPECT_EQ(failed.error().where, (target / "results.sqlite").string());
  EXPECT_EQ(read(target / "index.html"), "page 1");
  EXPECT_EQ(read(target / "results.json"), "json 1");
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"report"});
}

TEST(AtomicFolder, AProducedFileIsItsPiecesInOrderAndItsProducersErrorFailsTheFolder) {
  const auto dir = test::fresh_temp_dir("atomic_folder");
  const auto target = dir / "report";
  const auto pieces = [](const auto& put) -> Result<void> {
    for (const std::string_view piece : {"{\"a\": 1", ", ", "\"b\": 2}"}) {
      if (Result<void> written = put(piece); !written) {
        return written;
      }
    }
    return {};
  };
  ASSERT_TRUE(write_folder(target, {produced_file("results.json", pieces)}));
  EXPECT_EQ(read(target / "results.json"), "{\"a\": 1, \"b\": 2}");

  const auto failing = [](const auto& put) -> Result<void> {
    if (Result<void> written = put("half"); !written) {
      return written;
    }
    return make_error(ErrorCode::bad_input, "experiment 7", "cannot be rendered");
  };
  const Result<void> failed = write_folder(target, {produced_file("results.json", failing)});
  EXPECT_ERROR(failed, ErrorCode::bad_input, "cannot be rendered (the folder is unchanged)");
  EXPECT_EQ(read(target / "results.json"), "{\"a\": 1, \"b\": 2}");
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"report"});
}

TEST(AtomicFolder, AFolderHoldingOtherFilesIsNeverReplaced) {
  const auto dir = test::fresh_temp_dir("atomic_folder");
  const auto target = dir / "home";
  std::filesystem::create_directory(target);
  ASSERT_TRUE(write_new_file(target / "thesis.tex", "years of work"));
  const Result<void> refused = write_folder(target, report("1"));
  EXPECT_ERROR(refused, ErrorCode::usage,
               ::testing::HasSubstr("holds \"thesis.tex\", which Reckon did not write"));
  EXPECT_EQ(refused.error().where, target.string());
  EXPECT_EQ(names_in(target), std::vector<std::string>{"thesis.tex"});
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"home"});

  // An empty folder is taken.
  std::filesystem::remove(target / "thesis.tex");
  ASSERT_TRUE(write_folder(target, report("1")));
  EXPECT_EQ(names_in(target), (std::vector<std::string>{"index.html", "results.json"}));
}

} // namespace
} // namespace reckon::util
