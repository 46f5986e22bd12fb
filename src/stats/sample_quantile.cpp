// Before any header that reaches the intrinsics.
#include "simd_intrinsics.hpp"

#include "sample_quantile.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>

namespace reckon::stats::detail {
namespace {

// Selection here is quickselect with a branch-free partition: on random data a comparison
// branch is mispredicted half the time, which makes std::nth_element spend most of its time
// in pipeline flushes (measured here: several times slower per element and pass). Where the
// build has AVX-512 and the caller can lend a spill buffer, the partition packs eight values
// at a time instead.

// Moves the values below `pivot` to the front of [first, last) and returns where they end.
// Branch-free Lomuto: every value is swapped with the first not-below slot, which advances
// only past values below the pivot.
double* partition_below(double* first, double* last, double pivot) {
  double* boundary = first;
  for (double* it = first; it != last; ++it) {
    const double value = *it;
    *it = *boundary;
    *boundary = value;
    boundary += value < pivot ? 1 : 0;
  }
  return boundary;
}

// The same with "not above", to split off values equal to the pivot.
double* partition_not_above(double* first, double* last, double pivot) {
  double* boundary = first;
  for (double* it = first; it != last; ++it) {
    const double value = *it;
    *it = *boundary;
    *boundary = value;
    boundary += value <= pivot ? 1 : 0;
  }
  return boundary;
}

#if defined(__AVX512F__)
// The same split with AVX-512, where the caller lends `spill` (room for last - first + 8
// values): each batch of eight packs its values below the pivot (not above it, with
// NotAbove) to the front in place, where every slot written has been read already, and the
// others to `spill`, which is then copied back behind them. A few times faster than the
// scalar loop; the order within each side differs, which selection does not depend on.
template <bool NotAbove>
double* partition_lanes(double* first, double* last, double pivot, double* spill) {
  const __m512d bound = _mm512_set1_pd(pivot);
  double* low = first;
  double* high = spill;
  double* it = first;
  for (; last - it >= 8; it += 8) {
    const __m512d batch = _mm512_loadu_pd(it);
    const __mmask8 keep = _mm512_cmp_pd_mask(batch, bound, NotAbove ? _CMP_LE_OQ : _CMP_LT_OQ);
    const auto kept = static_cast<std::size_t>(std::popcount(static_cast<unsigned>(keep)));
    _mm512_storeu_pd(low, _mm512_maskz_compress_pd(keep, batch));
    _mm512_storeu_pd(high, _mm512_maskz_compress_pd(static_cast<__mmask8>(~keep), batch));
    low += kept;
    high += 8 - kept;
  }
  for (; it != last; ++it) {
    const double value = *it;
    if (NotAbove ? value <= pivot : value < pivot) {
      *low++ = value;
    } else {
      *high++ = value;
    }
  }
  std::copy(spill, high, low);
  return low;
}
#endif

// Splits [first, last) at `pivot` (below it first; not above it with NotAbove), through
// `spill` when one is lent and the build has AVX-512.
template <bool NotAbove>
double* partition(double* first, double* last, double pivot, double* spill) {
#if defined(__AVX512F__)
  if (spill != nullptr) {
    return partition_lanes<NotAbove>(first, last, pivot, spill);
  }
#else
  (void)spill;
#endif
  return NotAbove ? partition_not_above(first, last, pivot) : partition_below(first, last, pivot);
}

double median_of_three(double a, double b, double c) {
  return std::max(std::min(a, b), std::min(std::max(a, b), c));
}

// A pivot from nine values spread over the range (Tukey's ninther).
double pivot_of(const double* first, std::size_t size) {
  const std::size_t step = size / 9;
  const double* p = first + step / 2;
  return median_of_three(median_of_three(p[0], p[step], p[2 * step]),
                         median_of_three(p[3 * step], p[4 * step], p[5 * step]),
                         median_of_three(p[6 * step], p[7 * step], p[8 * step]));
}

constexpr std::size_t k_small_range = 24;
// Partition rounds allowed per range before falling back to std::nth_element, whose
// worst case is guaranteed; a ninther pivot on any data seen so far needs far fewer.
constexpr int k_max_rounds = 64;

void insertion_sort(double* first, double* last) {
  for (double* it = first + 1; it < last; ++it) {
    const double value = *it;
    double* hole = it;
    while (hole != first && value < hole[-1]) {
      *hole = hole[-1];
      --hole;
    }
    *hole = value;
  }
}

// Puts every rank in [ranks_first, ranks_last) (ascending indices from `base`, all inside
// [first, last)) into its sorted place, with nothing after it below and nothing before it
// above. Loops on one side of each partition and recurses only when both sides hold ranks,
// so the depth is at most the number of ranks. `spill`, if not null, has room for
// last - first + 8 values and speeds the partitions up.
void select_multiple(double* base, double* first, double* last, const std::size_t* ranks_first,
                     const std::size_t* ranks_last, double* spill, int rounds = 0) {
  while (ranks_first != ranks_last) {
    const auto size = static_cast<std::size_t>(last - first);
    if (size <= k_small_range) {
      insertion_sort(first, last);
      return;
    }
    if (rounds++ == k_max_rounds) {
      for (const std::size_t* rank = ranks_first; rank != ranks_last; ++rank) {
        std::nth_element(first, base + *rank, last);
        first = base + *rank + 1;
      }
      return;
    }
    const double pivot = pivot_of(first, size);
    double* middle = partition<false>(first, last, pivot, spill);
    double* equal_end = middle;
    if (middle == first) {
      // The pivot is the least value: split off its copies, which are then in place.
      equal_end = partition<true>(first, last, pivot, spill);
    }
    const std::size_t* split =
        std::lower_bound(ranks_first, ranks_last, static_cast<std::size_t>(middle - base));
    const std::size_t* after =
        std::lower_bound(split, ranks_last, static_cast<std::size_t>(equal_end - base));
    // Ranks in [split, after) fall on copies of the pivot, already in place.
    if (after != ranks_last) {
      if (split != ranks_first) {
        select_multiple(base, first, middle, ranks_first, split, spill, rounds);
      }
      first = equal_end;
      ranks_first = after;
    } else {
      last = middle;
      ranks_last = split;
    }
  }
}

// One type-7 query in rank terms: the order statistic k, interpolated towards k + 1 by
// `fraction` when that is not zero.
struct RankQuery {
  std::size_t k = 0;
  double fraction = 0.0;

  bool needs_next() const { return fraction != 0.0; }
};

constexpr std::size_t k_max_queries = 16;

// Answers rank queries (k ascending) over `values` by selecting every rank they need at once,
// with `spill` as in select_multiple.
void select_ranks(std::span<double> values, std::span<const RankQuery> queries,
                  std::span<double> out, double* spill = nullptr) {
  std::array<std::size_t, 2 * k_max_queries> ranks{};
  std::size_t count = 0;
  for (const RankQuery& query : queries) {
    for (std::size_t rank = query.k; rank <= query.k + (query.needs_next() ? 1U : 0U); ++rank) {
      if (count == 0 || ranks[count - 1] != rank) {
        ranks[count++] = rank;
      }
    }
  }
  select_multiple(values.data(), values.data(), values.data() + values.size(), ranks.data(),
                  ranks.data() + count, spill);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const double low = values[queries[i].k];
    out[i] = queries[i].needs_next() ? low + queries[i].fraction * (values[queries[i].k + 1] - low)
                                     : low;
  }
}

// Sampled selection for large inputs (Floyd and Rivest's idea): order statistics of an
// evenly strided sample bracket the wanted ranks within a few narrow value ranges
// [low, high]. One pass counts what lies below and inside each range and copies what lies
// inside any into a buffer; selection then runs on those few values only (about
// 2 z n sqrt(q (1 - q) / s) per query of probability q: 7% of the values for a median). A
// range that misses its ranks (chance about 5e-4 per bound with z = 3.5, or adversarially
// patterned data) sends the call back to plain selection, so the answer is always exact.
constexpr std::size_t k_sample_size = 2048;
constexpr double k_bracket_z = 3.5;
// Below this size plain selection is as fast.
constexpr std::size_t k_min_sampled_size = 8 * k_sample_size;
// Ranges are merged where they overlap; calls needing more take the plain path.
constexpr std::size_t k_max_ranges = 4;
// The gathering pass checks its buffer once per block of this many values.
constexpr std::size_t k_gather_block = 256;

struct Range {
  double low = 0.0;
  double high = 0.0;
  std::size_t first_query = 0; // queries [first_query, end_query) fall in this range
  std::size_t end_query = 0;
  std::size_t below = 0;  // values < low
  std::size_t inside = 0; // values in [low, high]
};

// Counts, for each range, the values below it and inside it, and copies the values inside
// any range to `to` in one pass, without branches on the data. Returns how many were copied,
// or nothing once more than to.size() - k_gather_block have been (the buffer is checked once
// per block, and a block writes at most k_gather_block values).
template <std::size_t R>
std::optional<std::size_t> gather_ranges(std::span<const double> values, std::span<Range> ranges,
                                         std::span<double> to) {
  std::array<std::size_t, R> below{};
  std::array<std::size_t, R> not_above{};
  std::size_t written = 0;
  double* const out = to.data();
  // Each value is stored at the next slot, which advances only past values inside a range.
  const auto take = [&](double value) {
    bool inside_any = false;
    for (std::size_t r = 0; r < R; ++r) {
      const bool lt = value < ranges[r].low;
      const bool le = value <= ranges[r].high;
      below[r] += lt ? 1U : 0U;
      not_above[r] += le ? 1U : 0U;
      inside_any = inside_any | (le & !lt);
    }
    out[written] = value;
    written += inside_any ? 1U : 0U;
  };
  std::size_t i = 0;
  while (i < values.size()) {
    if (written > to.size() - k_gather_block) {
      return std::nullopt;
    }
    const std::size_t block_end = std::min(i + k_gather_block, values.size());
#if defined(__AVX512F__)
    // AVX-512 packs a batch's selected values together in one instruction; the counts are
    // kept per lane in vectors, so that no count waits on the one before.
    __m512i below_lanes[R];
    __m512i not_above_lanes[R];
    for (std::size_t r = 0; r < R; ++r) {
      below_lanes[r] = _mm512_setzero_si512();
      not_above_lanes[r] = _mm512_setzero_si512();
    }
    const __m512i one = _mm512_set1_epi64(1);
    for (; i + 8 <= block_end; i += 8) {
      const __m512d batch = _mm512_loadu_pd(values.data() + i);
      __mmask8 inside_any = 0;
      for (std::size_t r = 0; r < R; ++r) {
        const __mmask8 lt = _mm512_cmp_pd_mask(batch, _mm512_set1_pd(ranges[r].low), _CMP_LT_OQ);
        const __mmask8 le = _mm512_cmp_pd_mask(batch, _mm512_set1_pd(ranges[r].high), _CMP_LE_OQ);
        below_lanes[r] = _mm512_mask_add_epi64(below_lanes[r], lt, below_lanes[r], one);
        not_above_lanes[r] = _mm512_mask_add_epi64(not_above_lanes[r], le, not_above_lanes[r], one);
        inside_any = static_cast<__mmask8>(inside_any | (le & ~lt));
      }
      _mm512_storeu_pd(out + written, _mm512_maskz_compress_pd(inside_any, batch));
      written += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(inside_any)));
    }
    for (std::size_t r = 0; r < R; ++r) {
      below[r] += static_cast<std::size_t>(_mm512_reduce_add_epi64(below_lanes[r]));
      not_above[r] += static_cast<std::size_t>(_mm512_reduce_add_epi64(not_above_lanes[r]));
    }
#endif
    for (; i < block_end; ++i) {
      take(values[i]);
    }
  }
  for (std::size_t r = 0; r < R; ++r) {
    ranges[r].below = below[r];
    ranges[r].inside = not_above[r] - below[r];
  }
  return written;
}

// The ranges of ranks a call gathers, each bracketed by two positions in the sorted sample;
// queries whose brackets overlap share a range.
struct PlannedRanges {
  std::array<Range, k_max_ranges> ranges{};
  std::array<double, k_max_ranges> low_position{};
  std::array<double, k_max_ranges> high_position{};
  std::size_t count = 0;
};

// Nullopt when the queries need more than k_max_ranges ranges.
std::optional<PlannedRanges> plan_ranges(std::span<const RankQuery> queries, std::size_t n) {
  const double s = static_cast<double>(k_sample_size);
  // The sample position that bounds `rank` on one side; -1 and s stand for open ends.
  const auto sample_position = [&](std::size_t rank, double side) {
    const double q = static_cast<double>(rank) / static_cast<double>(n);
    const double position = q * s + side * (k_bracket_z * std::sqrt(s * q * (1.0 - q)) + 1.0);
    return std::clamp(side < 0.0 ? std::floor(position) : std::ceil(position), -1.0, s);
  };
  PlannedRanges plan;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    const std::size_t last = queries[q].needs_next() ? queries[q].k + 1 : queries[q].k;
    const double low = sample_position(queries[q].k, -1.0);
    const double high = sample_position(last, 1.0);
    if (plan.count > 0 && low <= plan.high_position[plan.count - 1]) {
      plan.high_position[plan.count - 1] = std::max(plan.high_position[plan.count - 1], high);
      plan.ranges[plan.count - 1].end_query = q + 1;
      continue;
    }
    if (plan.count == k_max_ranges) {
      return std::nullopt;
    }
    plan.low_position[plan.count] = low;
    plan.high_position[plan.count] = high;
    plan.ranges[plan.count].first_query = q;
    plan.ranges[plan.count].end_query = q + 1;
    ++plan.count;
  }
  return plan;
}

// Sorted, the gathered values are range 0's, then range 1's, and so on: rank k of the whole,
// in range r, is rank k - below(r) + (values inside earlier ranges) of the gathered. False
// when a range missed one of its ranks.
bool localise_queries(std::span<const Range> used, std::span<const RankQuery> queries,
                      std::span<RankQuery> local) {
  std::size_t inside_before = 0;
  for (const Range& range : used) {
    const RankQuery& first = queries[range.first_query];
    const RankQuery& last = queries[range.end_query - 1];
    const std::size_t last_rank = last.needs_next() ? last.k + 1 : last.k;
    if (first.k < range.below || last_rank >= range.below + range.inside) {
      return false;
    }
    for (std::size_t q = range.first_query; q < range.end_query; ++q) {
      local[q] = RankQuery{queries[q].k - range.below + inside_before, queries[q].fraction};
    }
    inside_before += range.inside;
  }
  return true;
}

// Reads each range's bounds off the sample, as its order statistics at the planned positions,
// and merges neighbours that ties in the sample made overlap. Returns the share of all values
// the ranges are expected to hold.
double bound_ranges(PlannedRanges& plan, std::array<double, k_sample_size>& sample,
                    std::span<double> sample_spill) {
  const double s = static_cast<double>(k_sample_size);
  std::array<Range, k_max_ranges>& ranges = plan.ranges;
  const std::array<double, k_max_ranges>& low_position = plan.low_position;
  const std::array<double, k_max_ranges>& high_position = plan.high_position;
  std::size_t& range_count = plan.count;
  // The bounds are order statistics of the sample, selected all at once.
  std::array<std::size_t, 2 * k_max_ranges> positions{};
  std::size_t position_count = 0;
  double expected_inside = 0.0;
  for (std::size_t r = 0; r < range_count; ++r) {
    expected_inside += (high_position[r] - low_position[r] + 1.0) / s;
    for (const double position : {low_position[r], high_position[r]}) {
      if (position >= 0.0 && position < s) {
        const auto rank = static_cast<std::size_t>(position);
        if (position_count == 0 || positions[position_count - 1] != rank) {
          positions[position_count++] = rank;
        }
      }
    }
  }
  select_multiple(sample.data(), sample.data(), sample.data() + sample.size(), positions.data(),
                  positions.data() + position_count, sample_spill.data());
  const auto bound = [&](double position) {
    if (position < 0.0) {
      return -std::numeric_limits<double>::infinity();
    }
    if (position >= s) {
      return std::numeric_limits<double>::infinity();
    }
    return sample[static_cast<std::size_t>(position)];
  };
  for (std::size_t r = 0; r < range_count; ++r) {
    ranges[r].low = bound(low_position[r]);
    ranges[r].high = bound(high_position[r]);
  }
  // Ties in the sample can make neighbouring ranges share a value; ranges must be disjoint
  // for the offsets of localise_queries, so such neighbours are merged.
  std::size_t merged = 0;
  for (std::size_t r = 1; r < range_count; ++r) {
    if (ranges[r].low <= ranges[merged].high) {
      ranges[merged].high = std::max(ranges[merged].high, ranges[r].high);
      ranges[merged].end_query = ranges[r].end_query;
    } else {
      ranges[++merged] = ranges[r];
    }
  }
  range_count = merged + 1;
  return expected_inside;
}

// Returns false (values untouched, out undefined) when a range misses its ranks or the call
// needs too many ranges; the caller then selects plainly.
bool select_ranks_sampled(std::span<const double> values, std::span<const RankQuery> queries,
                          std::span<double> out) {
  const std::size_t n = values.size();
  std::array<double, k_sample_size> sample;
  std::array<double, k_sample_size + 8> sample_spill;
  const std::size_t stride = n / k_sample_size;
  for (std::size_t i = 0; i < k_sample_size; ++i) {
    sample[i] = values[i * stride + stride / 2];
  }
  std::optional<PlannedRanges> plan = plan_ranges(queries, n);
  if (!plan) {
    return false;
  }
  const double expected_inside = bound_ranges(*plan, sample, sample_spill);
  const std::span<Range> used = std::span(plan->ranges).first(plan->count);

  // Room for a quarter more than the sample suggests (never more than all the values), and
  // slack for the unchecked writes within a block; as much again to spill partitions into.
  const double room = std::min(1.25 * expected_inside, 1.0) * static_cast<double>(n);
  const std::size_t capacity = static_cast<std::size_t>(room) + 4 * k_gather_block;
  const auto buffer = std::make_unique_for_overwrite<double[]>(2 * capacity);
  const std::span<double> to(buffer.get(), capacity);
  std::optional<std::size_t> gathered;
  switch (used.size()) {
  case 1:
    gathered = gather_ranges<1>(values, used, to);
    break;
  case 2:
    gathered = gather_ranges<2>(values, used, to);
    break;
  case 3:
    gathered = gather_ranges<3>(values, used, to);
    break;
  default:
    gathered = gather_ranges<4>(values, used, to);
    break;
  }
  if (!gathered) {
    return false;
  }

  std::array<RankQuery, k_max_queries> local{};
  if (!localise_queries(used, queries, local)) {
    return false;
  }
  select_ranks(to.first(*gathered), std::span(local).first(queries.size()), out,
               buffer.get() + capacity);
  return true;
}

} // namespace

void select_quantiles(std::span<double> values, std::span<const double> probs,
                      std::span<double> out) {
  assert(!values.empty());
  assert(probs.size() == out.size());
  assert(std::is_sorted(probs.begin(), probs.end()));
  const std::size_t n = values.size();
  std::array<RankQuery, k_max_queries> queries{};
  // Queries are answered a buffer at a time; the sampled path needs the whole call at once.
  const bool sampled = n >= k_min_sampled_size && probs.size() <= k_max_queries;
  for (std::size_t begin = 0; begin < probs.size(); begin += k_max_queries) {
    const std::size_t count = std::min(k_max_queries, probs.size() - begin);
    for (std::size_t i = 0; i < count; ++i) {
      const double p = probs[begin + i];
      assert(p >= 0.0 && p <= 1.0);
      const double h = static_cast<double>(n - 1) * p;
      const auto k = static_cast<std::size_t>(std::floor(h));
      // At the top rank there is no k + 1 (and h = k).
      queries[i] = RankQuery{k, k + 1 == n ? 0.0 : h - static_cast<double>(k)};
    }
    const std::span<const RankQuery> batch = std::span(queries).first(count);
    if (!(sampled && select_ranks_sampled(values, batch, out.subspan(begin, count)))) {
      select_ranks(values, batch, out.subspan(begin, count));
    }
  }
}

} // namespace reckon::stats::detail
