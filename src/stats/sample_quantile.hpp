#pragma once

#include <span>

namespace reckon::stats::detail {

// Sample quantiles by the type-7 rule (Hyndman and Fan 1996; R's default): for probability p
// over n values, the order statistic at h = (n - 1) p, interpolated linearly between floor(h)
// and the next. Uses selection, not a full sort, and may reorder `values`. From 16,384 values
// on, a strided sample brackets the wanted ranks and selection runs on the few values inside
// the brackets, copied to a buffer (a few percent of n); `values` is then left as it was.
// `probs` must be ascending, each in [0, 1]; out[i] receives the quantile at probs[i].
void select_quantiles(std::span<double> values, std::span<const double> probs,
                      std::span<double> out);

} // namespace reckon::stats::detail
