#include "draw_workspace.hpp"

#include <algorithm>
#include <cassert>
#include <mutex>
#include <utility>
#include <vector>

namespace reckon::stats::detail {
namespace {

// Blocks kept for reuse: enough for every thread of a two-core run to hold one per cell level
// with room to spare, and none so large that keeping it would matter (16 M doubles, 128 MB:
// 16 arms at a million draws).
constexpr std::size_t k_max_pooled_blocks = 8;
constexpr std::size_t k_max_pooled_doubles = std::size_t{16} << 20;

struct Block {
  std::unique_ptr<double[]> storage;
  std::size_t capacity = 0;
};

// Workspaces nest (a thread waiting in one cell's parallel region can start another cell), so
// the pool is shared under a lock rather than kept per thread; it is touched twice per cell.
class Pool {
public:
  // Room for every block it keeps, so that giving one back never allocates.
  Pool() { m_blocks.reserve(k_max_pooled_blocks); }

  // The smallest pooled block of at least `doubles`, or a new one.
  Block take(std::size_t doubles) {
    {
      const std::lock_guard lock(m_mutex);
      const auto fits = [doubles](const Block& block) { return block.capacity >= doubles; };
      auto best = std::find_if(m_blocks.begin(), m_blocks.end(), fits);
      for (auto it = best; it != m_blocks.end(); ++it) {
        if (fits(*it) && it->capacity < best->capacity) {
          best = it;
        }
      }
      if (best != m_blocks.end()) {
        Block block = std::move(*best);
        m_blocks.erase(best);
        return block;
      }
    }
    return Block{std::make_unique_for_overwrite<double[]>(doubles), doubles};
  }

  // Keeps `block` unless the pool is full, in which case the smallest block goes.
  void give_back(Block block) {
    if (block.capacity > k_max_pooled_doubles) {
      return;
    }
    const std::lock_guard lock(m_mutex);
    if (m_blocks.size() == k_max_pooled_blocks) {
      const auto smallest =
          std::min_element(m_blocks.begin(), m_blocks.end(),
                           [](const Block& a, const Block& b) { return a.capacity < b.capacity; });
      if (smallest->capacity >= block.capacity) {
        return;
      }
      *smallest = std::move(block);
      return;
    }
    m_blocks.push_back(std::move(block));
  }

private:
  std::mutex m_mutex;
  std::vector<Block> m_blocks;
};

Pool& pool() {
  static Pool instance;
  return instance;
}

} // namespace

DrawWorkspace::DrawWorkspace(std::size_t buffers, std::size_t draws) : m_draws(draws) {
  Block block = pool().take(buffers * draws);
  m_storage = std::move(block.storage);
  m_capacity = block.capacity;
}

DrawWorkspace::~DrawWorkspace() {
  pool().give_back(Block{std::move(m_storage), m_capacity});
}

std::span<double> DrawWorkspace::buffer(std::size_t index) const {
  assert((index + 1) * m_draws <= m_capacity);
  return {m_storage.get() + index * m_draws, m_draws};
}

} // namespace reckon::stats::detail
