#!/usr/bin/python3
"""An analyst's numpy re-analysis of a counts CSV: the work `reckon analyze` does by default.

Every experiment x slice x metric x variation, for conversion rate, net revenue per visitor and
net revenue per order, with the models Reckon uses (docs/statistics.md):
  conversion       Beta(1 + conversions, 1 + visitors - conversions)
  order value      log-normal moment-matched to the sample mean of the orders and its standard
                   error s / sqrt(orders), s^2 the n - 1 variance from revenue and revenue_sq
  revenue/visitor  conversion x order value, multiplied draw by draw
At --draws joint draws per arm (default 100,000) from one numpy Generator, vectorised over the
arms of a cell: each arm's equal-tailed interval, P(best), P(beat control), the relative uplift
(x - control) / |control| with its interval, and the relative expected loss
E[(best - x) / |control|]; with the Monte Carlo error of each, as Reckon reports them (binomial
for probabilities, sd / sqrt(N) for the loss, and for a quantile half the spread of the order
statistics one binomial SD either side, found in the same np.quantile call).

Run it single-threaded, as an analyst's laptop script runs: OPENBLAS_NUM_THREADS=1 (numpy's
sampling and partitioning are single-threaded anyway).
    OPENBLAS_NUM_THREADS=1 peer_analysis.py account.csv [--draws N] [--seed S] [--out f.json]
"""
import argparse
import csv
import json
import math
from collections import OrderedDict

import numpy as np

METRICS = ("conversion_rate", "net_revenue_per_visitor", "net_revenue_per_order")


def read_cells(path):
    """{(experiment, segment_type, segment, date): [arm dicts, control first as in the file]}"""
    cells = OrderedDict()
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            key = (row["experiment"], row["segment_type"], row["segment"], row["date"])
            cells.setdefault(key, []).append({
                "variation": row["variation"],
                "control": row["is_control"] == "true",
                "visitors": int(row["visitors"]),
                "orders": int(row["conversions"]),
                "revenue": float(row["revenue"]),
                "revenue_sq": float(row["revenue_sq"]),
            })
    return cells


def order_value_posterior(arm):
    """(log_location, log_scale) of the mean order value, or None (fewer than 2 orders...)."""
    n = arm["orders"]
    if n < 2:
        return None
    mean = arm["revenue"] / n
    variance = (arm["revenue_sq"] - arm["revenue"] * mean) / (n - 1)
    if not (mean > 0 and variance > 0):
        return None
    log_var = math.log1p(variance / n / (mean * mean))
    return math.log(mean) - log_var / 2, math.sqrt(log_var)


def draw(rng, metric, arms, draws):
    """A (arms x draws) array of posterior draws, or None when an arm has no posterior."""
    alpha = np.array([1.0 + a["orders"] for a in arms])
    beta = np.array([1.0 + a["visitors"] - a["orders"] for a in arms])
    if metric == "conversion_rate":
        return rng.beta(alpha[:, None], beta[:, None], (len(arms), draws))
    value = [order_value_posterior(a) for a in arms]
    if any(v is None for v in value):
        return None
    mu = np.array([v[0] for v in value])
    sigma = np.array([v[1] for v in value])
    x = rng.lognormal(mu[:, None], sigma[:, None], (len(arms), draws))
    if metric == "net_revenue_per_visitor":
        x *= rng.beta(alpha[:, None], beta[:, None], (len(arms), draws))
    return x


def quantiles_with_errors(x, probs):
    """Quantiles along axis 1 and their Monte Carlo errors, in one partition per row."""
    n = x.shape[1]
    delta = np.sqrt(probs * (1 - probs) / n)
    grid = np.concatenate([probs - delta, probs, probs + delta])
    q = np.quantile(x, grid, axis=1)  # (3 * len(probs), rows)
    k = len(probs)
    return q[k:2 * k], (q[2 * k:] - q[:k]) / 2


def summarise(x, control, level):
    arms, n = x.shape
    tail = (1 - level) / 2
    bounds = np.array([tail, 1 - tail])
    interval, interval_se = quantiles_with_errors(x, bounds)
    best = x.argmax(axis=0)
    p2bb = np.bincount(best, minlength=arms) / n
    base = x[control]
    p2bc = (x > base).mean(axis=1)
    gap = (x.max(axis=0) - x) / np.abs(base)
    loss = gap.mean(axis=1)
    loss_se = gap.std(axis=1, ddof=1) / math.sqrt(n)
    others = [a for a in range(arms) if a != control]
    uplift = (x[others] - base) / np.abs(base)
    up, up_se = quantiles_with_errors(uplift, np.array([tail, 0.5, 1 - tail]))
    result = []
    for a in range(arms):
        cell = {
            "ci_low": interval[0, a], "ci_high": interval[1, a],
            "ci_low_se": interval_se[0, a], "ci_high_se": interval_se[1, a],
            "p2bb": p2bb[a], "p2bb_se": math.sqrt(p2bb[a] * (1 - p2bb[a]) / n),
            "expected_loss": loss[a], "expected_loss_se": loss_se[a],
        }
        if a != control:
            j = others.index(a)
            cell.update({
                "p2bc": p2bc[a], "p2bc_se": math.sqrt(p2bc[a] * (1 - p2bc[a]) / n),
                "uplift_ci_low": up[0, j], "uplift_ci_high": up[2, j],
                "uplift_ci_low_se": up_se[0, j], "uplift_ci_high_se": up_se[2, j],
            })
        result.append({k: float(v) for k, v in cell.items()})
    return result


def analyse(path, draws, seed, level):
    rng = np.random.default_rng(seed)
    out = []
    for (experiment, segment_type, segment, date), arms in read_cells(path).items():
        control = next(i for i, a in enumerate(arms) if a["control"])
        for metric in METRICS:
            x = draw(rng, metric, arms, draws)
            if x is None:
                continue
            for arm, numbers in zip(arms, summarise(x, control, level)):
                numbers.update(experiment=experiment, segment_type=segment_type,
                               segment=segment, date=date, metric=metric,
                               variation_id=arm["variation"])
                out.append(numbers)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts")
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--level", type=float, default=0.95)
    parser.add_argument("--out", help="write the numbers as JSON here")
    args = parser.parse_args()
    cells = analyse(args.counts, args.draws, args.seed, args.level)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(cells, f)


if __name__ == "__main__":
    main()
