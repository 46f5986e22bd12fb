#!/usr/bin/python3
"""Writes a synthetic counts CSV (SPEC §3, with revenue_sq) for the peer benchmark.

The account of issue 17: `experiments` tests (one in eight has three arms, the rest two), each
with an overall row per arm, 14 segments (3 devices, 2 visitor types, 9 source channels) and
21 days, so 36 slices: 40 experiments give 3,060 rows. Segment and day counts are drawn
independently per slice from fixed rates (the analysis does not require them to add up).
Deterministic in --seed.
    make_account.py --experiments 40 --out account.csv
"""
import argparse

import numpy as np

SEGMENTS = ([("device_type", d) for d in ("Desktop", "Mobile", "Tablet")] +
            [("visitor_type", v) for v in ("New", "Returning")] +
            [("source_channel", s) for s in ("Google", "Facebook", "Direct", "Instagram",
                                             "Klaviyo", "TikTok", "Email", "Bing", "Other")])
DAYS = [f"2026-09-{d:02d}" for d in range(1, 22)]


def arm_row(rng, visitors, rate, mean_order, cv):
    orders = int(rng.binomial(visitors, rate))
    sigma2 = np.log1p(cv * cv)
    values = rng.lognormal(np.log(mean_order) - sigma2 / 2, np.sqrt(sigma2), orders)
    values = np.round(values, 2)
    return visitors, orders, float(values.sum()), float((values * values).sum())


def write_account(path, experiments, seed):
    rng = np.random.default_rng(seed)
    with open(path, "w") as out:
        out.write("experiment,variation,is_control,segment_type,segment,date,visitors,"
                  "conversions,revenue,revenue_sq,allocation\n")
        for e in range(experiments):
            arms = 3 if e % 8 == 7 else 2
            base_rate = rng.uniform(0.015, 0.05)
            lifts = [1.0] + list(rng.uniform(0.9, 1.15, arms - 1))
            order_lifts = [1.0] + list(rng.uniform(0.95, 1.05, arms - 1))
            total = int(rng.integers(20_000, 120_000))
            share = 100 // arms
            slices = ([("", "", "", total)] +
                      [(t, s, "", int(total * rng.uniform(0.03, 0.4))) for t, s in SEGMENTS] +
                      [("", "", d, total // len(DAYS)) for d in DAYS])
            for segment_type, segment, date, visitors in slices:
                for a in range(arms):
                    name = "control" if a == 0 else f"variant-{a}"
                    row = arm_row(rng, max(visitors // arms, 50), base_rate * lifts[a],
                                  78.0 * order_lifts[a], 0.9)
                    out.write(f"test-{e + 1:03d},{name},{'true' if a == 0 else 'false'},"
                              f"{segment_type},{segment},{date},{row[0]},{row[1]},"
                              f"{row[2]:.2f},{row[3]:.4f},{share}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiments", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    write_account(args.out, args.experiments, args.seed)


if __name__ == "__main__":
    main()
