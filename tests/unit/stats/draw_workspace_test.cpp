#include "stats/draw_workspace.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace reckon::stats::detail {
namespace {

TEST(DrawWorkspace, LendsDisjointBuffersOfTheAskedLength) {
  const DrawWorkspace workspace(3, 1000);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(workspace.buffer(i).size(), 1000U);
  }
  EXPECT_EQ(workspace.buffer(1).data(), workspace.buffer(0).data() + 1000);
  EXPECT_EQ(workspace.buffer(2).data(), workspace.buffer(1).data() + 1000);
}

// The point of the pool: the next cell writes into memory that is already mapped. (A size no
// other test asks for, so that the pool's best fit is this block.)
TEST(DrawWorkspace, ReusesTheMemoryOfAnEndedWorkspace) {
  const double* first = nullptr;
  {
    const DrawWorkspace workspace(2, 54'321);
    first = workspace.buffer(0).data();
  }
  const DrawWorkspace again(2, 54'321);
  EXPECT_EQ(again.buffer(0).data(), first);
}

// A thread waiting in one cell's parallel region may start another cell: the two must not
// share memory.
TEST(DrawWorkspace, NestedWorkspacesDoNotOverlap) {
  const DrawWorkspace outer(2, 10'000);
  const DrawWorkspace inner(2, 10'000);
  const auto begin = [](const DrawWorkspace& w) {
    return reinterpret_cast<std::uintptr_t>(w.buffer(0).data());
  };
  const auto end = [](const DrawWorkspace& w) {
    return reinterpret_cast<std::uintptr_t>(w.buffer(1).data() + w.buffer(1).size());
  };
  EXPECT_TRUE(end(outer) <= begin(inner) || end(inner) <= begin(outer));
}

} // namespace
} // namespace reckon::stats::detail
