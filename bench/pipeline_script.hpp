#pragma once

// The pipeline benchmark's baseline: an analyst's script of the same recomputation, one
// thread, std:: in place of numpy (see pipeline_bench.cpp).
#include "pipeline_account.hpp"

#include <benchmark/benchmark.h>

namespace reckon::bench {

// About one cell in this many of each group runs in the baseline (about 2 s per iteration).
inline constexpr std::size_t k_baseline_stride = 25;

// Times the script on a subset of the account's sampled cells, spread over every posterior
// shape and arm count, and reports the time extrapolated to the whole account.
void baseline_script(benchmark::State& state, const Account& account);

} // namespace reckon::bench
