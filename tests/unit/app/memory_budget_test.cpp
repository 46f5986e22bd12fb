#include "memory_budget.hpp"

#include "support/error_matchers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace reckon::app {
namespace {

using ::testing::HasSubstr;

model::Dataset experiment_with_arms(std::size_t arms) {
  model::Dataset dataset;
  dataset.experiments.emplace_back().variations.resize(arms);
  return dataset;
}

AnalysisSettings with_draws(std::uint64_t draws) {
  AnalysisSettings settings;
  settings.options.sampling.draws = draws;
  return settings;
}

TEST(DrawFootprint, CountsEveryArmsBuffersInEveryCellInFlight) {
  // 3 arms + uplift + selection buffers of 8-byte draws, in 2 x 2 - 1 = 3 cells.
  EXPECT_EQ((DrawFootprint{3, 2}.bytes(1'000'000)), 8U * 5U * 1'000'000U * 3U);
  EXPECT_EQ((DrawFootprint{2, 1}.cells_in_flight()), 1U);
}

TEST(CheckDrawsFit, RefusesWhatCannotFitNamingDrawsTheLargestThatFitsAndTheLimit) {
  const std::uint64_t gigabyte = 1'000'000'000;
  const MemoryRoom room{gigabyte, "the address-space limit (ulimit -v, RLIMIT_AS)"};
  const auto refused = check_draws_fit(experiment_with_arms(3), with_draws(1'000'000'000), 2, room);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, util::ErrorCode::usage);
  EXPECT_EQ(refused.error().where, "--draws");
  // (1e9 - 16 MiB - 1 worker x 72 MiB) / (8 x 5 x 3) bytes per draw.
  const std::uint64_t largest = (gigabyte - 88U * 1024U * 1024U) / 120U;
  EXPECT_THAT(refused.error().message,
              HasSubstr("the largest --draws that fits is " + std::to_string(largest)));
  EXPECT_THAT(refused.error().message, HasSubstr("ulimit -v"));
  EXPECT_TRUE(check_draws_fit(experiment_with_arms(3), with_draws(largest), 2, room));
  EXPECT_FALSE(check_draws_fit(experiment_with_arms(3), with_draws(largest + 1), 2, room));
  EXPECT_TRUE(check_draws_fit(experiment_with_arms(3), with_draws(1'000'000'000), 2, {}));
  const auto starved =
      check_draws_fit(experiment_with_arms(2), with_draws(1000), 1, MemoryRoom{1000, "x"});
  ASSERT_FALSE(starved);
  EXPECT_THAT(starved.error().message, HasSubstr("too little even for the smallest --draws"));
}

TEST(MemoryRoom, IsKnownOnLinux) {
  const std::optional<MemoryRoom> room = memory_room();
  ASSERT_TRUE(room); // Linux has /proc/meminfo
  EXPECT_GT(room->bytes, 0U);
}

} // namespace
} // namespace reckon::app
