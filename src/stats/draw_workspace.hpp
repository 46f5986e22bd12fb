#pragma once

#include <cstddef>
#include <memory>
#include <span>

namespace reckon::stats::detail {

// The draw buffers of one compare_arms call, borrowed from a process-wide pool and given back
// when the workspace ends. A fresh multi-megabyte allocation is mapped page by page as it is
// first written, and glibc returns it to the kernel when it is freed: measured on a two-arm
// cell of 100,000 draws, those page faults cost about as much as the draws themselves. Pooled
// memory stays mapped from one cell to the next. The buffers are not cleared: whoever borrows
// them writes every value before reading it, so what a previous cell left never shows.
// Safe to create from any thread, also inside a parallel region that another workspace spans.
class DrawWorkspace {
public:
  // `buffers` buffers of `draws` doubles each.
  DrawWorkspace(std::size_t buffers, std::size_t draws);
  ~DrawWorkspace();
  DrawWorkspace(const DrawWorkspace&) = delete;
  DrawWorkspace& operator=(const DrawWorkspace&) = delete;

  std::span<double> buffer(std::size_t index) const;

private:
  std::unique_ptr<double[]> m_storage;
  std::size_t m_capacity = 0; // doubles in m_storage
  std::size_t m_draws = 0;
};

} // namespace reckon::stats::detail
