#!/usr/bin/env python3
"""Writes data/demo/counts.csv: a small simulated store with known truth.

Every visitor is simulated one by one (Python's Mersenne Twister, fixed seed), so the file is
byte-for-byte reproducible:  python3 scripts/make_demo_counts.py > data/demo/counts.csv
The truth each experiment was planted with is in data/demo/README.md.
"""
import datetime
import math
import random

SEED = 20260901
DEVICES = [("Desktop", 0.38), ("Mobile", 0.55), ("Tablet", 0.07)]
WEEKEND_FACTOR = 1.15  # visitors convert a little more at weekends, for every variation
ORDER_MEAN, ORDER_CV = 80.0, 0.8

# id, start date, days, visitors per day, variations: (id, is_control, share, rate by device)
EXPERIMENTS = [
    ("free-shipping-threshold", "2026-09-01", 14, 3000,
     [("control", True, 0.5, {"Desktop": 0.032, "Mobile": 0.024, "Tablet": 0.028}),
      ("free-over-50", False, 0.5, {"Desktop": 0.037, "Mobile": 0.028, "Tablet": 0.032})]),
    ("pdp-trust-badges", "2026-09-01", 14, 2500,
     [("control", True, 0.5, {"Desktop": 0.030, "Mobile": 0.026, "Tablet": 0.027}),
      ("badges", False, 0.5, {"Desktop": 0.030, "Mobile": 0.026, "Tablet": 0.027})]),
    ("mobile-sticky-cart", "2026-09-03", 14, 2800,
     [("control", True, 0.5, {"Desktop": 0.033, "Mobile": 0.022, "Tablet": 0.027}),
      ("sticky-cart", False, 0.5, {"Desktop": 0.033, "Mobile": 0.0275, "Tablet": 0.027})]),
    ("price-ladder", "2026-09-01", 21, 2400,
     [("control", True, 1 / 3, {"Desktop": 0.031, "Mobile": 0.025, "Tablet": 0.028}),
      ("price-plus-5", False, 1 / 3, {"Desktop": 0.031, "Mobile": 0.026, "Tablet": 0.028}),
      ("price-plus-10", False, 1 / 3, {"Desktop": 0.027, "Mobile": 0.022, "Tablet": 0.025})]),
]


def order_value(rng):
    sigma2 = math.log(1 + ORDER_CV**2)
    return round(rng.lognormvariate(math.log(ORDER_MEAN) - sigma2 / 2, math.sqrt(sigma2)), 2)


def pick(rng, weighted):
    u, total = rng.random(), 0.0
    for item, weight in weighted:
        total += weight
        if u < total:
            return item
    return weighted[-1][0]


def main():
    rng = random.Random(SEED)
    print("experiment,variation,is_control,segment_type,segment,date,visitors,conversions,"
          "revenue,revenue_sq")
    for exp_id, start, days, daily, variations in EXPERIMENTS:
        tallies = {}  # (variation, segment_type, segment, date) -> [n, k, revenue, revenue_sq]

        def add(key, converted, value):
            t = tallies.setdefault(key, [0, 0, 0.0, 0.0])
            t[0] += 1
            t[1] += converted
            t[2] += value
            t[3] += value * value

        first = datetime.date.fromisoformat(start)
        for d in range(days):
            date = first + datetime.timedelta(days=d)
            factor = WEEKEND_FACTOR if date.weekday() >= 5 else 1.0
            for _ in range(daily):
                var_id, _, _, rates = pick(rng, [(v, v[2]) for v in variations])
                device = pick(rng, DEVICES)
                converted = rng.random() < rates[device] * factor
                value = order_value(rng) if converted else 0.0
                for key in [(var_id, "", "", ""), (var_id, "device_type", device, ""),
                            (var_id, "", "", date.isoformat())]:
                    add(key, int(converted), value)
        # Overall first, then segments, then days.
        slices = sorted({k[1:] for k in tallies}, key=lambda s: (bool(s[2]), bool(s[0]), s))
        for seg_type, segment, date in slices:
            for var_id, is_control, _, _ in variations:
                n, k, revenue, revenue_sq = tallies.get((var_id, seg_type, segment, date),
                                                        [0, 0, 0.0, 0.0])
                print(f"{exp_id},{var_id},{str(is_control).lower()},{seg_type},{segment},{date},"
                      f"{n},{k},{revenue:.2f},{revenue_sq:.4f}")


if __name__ == "__main__":
    main()
