#!/usr/bin/python3
"""Reckon against an analyst's numpy script (peer_analysis.py) on the same generated account.

  peer_bench.py --reckon build/release/reckon [--experiments 40] [--runs 3] [--out r.json]
      generates the account (make_account.py), then runs, alternating, the peer
      (OPENBLAS_NUM_THREADS=1, one core) and `reckon analyze --counts A --draws D --threads 2
      --format json`, --runs times each, and prints the wall time of every run, the medians and
      their ratio. --out writes the medians in Google Benchmark's JSON layout (items_per_second
      = result cells x draws per second, large enough to keep digits in check_ratios' integers, CPU context as reckon_bench reports it), which
      bench/check_ratios.cmake reads; with --append they join the benchmarks of an existing
      results file of reckon_bench instead: `scripts/run bench-guard` gates the ratio so.
  peer_bench.py --reckon build/release/reckon --check [--experiments 3]
      runs both once on a small account and checks that every number agrees within Monte Carlo
      error: |peer - reckon| <= 5 sqrt(se_peer^2 + se_reckon^2) + 2 / draws, an exact Reckon
      number having no error of its own. Exit status 1 on any disagreement.
"""
import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NUMBERS = ("ci_low", "ci_high", "p2bb", "p2bc", "expected_loss", "uplift_ci_low",
           "uplift_ci_high")


def timed(command, env=None):
    """Wall seconds and CPU seconds (user + system, of the child) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_peer(account, draws, out=None):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    command = [sys.executable, os.path.join(HERE, "peer_analysis.py"), account,
               "--draws", str(draws)] + (["--out", out] if out else [])
    return timed(command, env)


def run_reckon(reckon, account, draws, out):
    command = [reckon, "analyze", "--counts", account, "--draws", str(draws), "--threads", "2",
               "--format", "json", "-o", out]
    return timed(command)


def reckon_numbers(path):
    """{(experiment, slice, metric, variation): {number: (value, se)}} from Reckon's JSON."""
    with open(path) as f:
        document = json.load(f)
    found = {}
    for experiment in document["experiments"]:
        for cell in experiment["cells"]:
            if cell["p2bb"] is None:
                continue
            where = (cell["segment"],) if cell["segment_type"] == "day" else (
                ("", "") if cell["segment_type"] == "overall" else
                (cell["segment_type"], cell["segment"]))
            uplift = cell["uplift"] or {}
            values = dict(ci_low=cell["ci_low"], ci_high=cell["ci_high"], p2bb=cell["p2bb"],
                          p2bc=cell["p2bc"], expected_loss=cell["expected_loss"],
                          uplift_ci_low=uplift.get("ci_low"),
                          uplift_ci_high=uplift.get("ci_high"))
            errors = cell["mc_se"]
            found[(experiment["id"], where, cell["metric"], cell["variation_id"])] = {
                k: (v, errors.get(k) or 0.0) for k, v in values.items() if v is not None}
    return found


def peer_numbers(path):
    with open(path) as f:
        cells = json.load(f)
    found = {}
    for cell in cells:
        where = (cell["date"],) if cell["date"] else (cell["segment_type"], cell["segment"])
        found[(cell["experiment"], where, cell["metric"], cell["variation_id"])] = {
            k: (cell[k], cell.get(k + "_se", 0.0)) for k in NUMBERS if k in cell}
    return found


def check(args, workdir):
    account = os.path.join(workdir, "account.csv")
    make_account(account, args.experiments)
    run_peer(account, args.draws, os.path.join(workdir, "peer.json"))
    run_reckon(args.reckon, account, args.draws, os.path.join(workdir, "reckon.json"))
    peer = peer_numbers(os.path.join(workdir, "peer.json"))
    reckon = reckon_numbers(os.path.join(workdir, "reckon.json"))
    compared = 0
    worst = (0.0, None)
    problems = []
    if set(peer) != set(reckon):
        problems.append(f"cells differ: {len(set(peer) ^ set(reckon))} in one only")
    for key in sorted(set(peer) & set(reckon)):
        for number, (value, se) in peer[key].items():
            if number not in reckon[key]:
                problems.append(f"{key} {number}: Reckon gives none")
                continue
            theirs, their_se = reckon[key][number]
            allowed = 5 * math.hypot(se, their_se) + 2 / args.draws
            z = abs(value - theirs) / allowed
            worst = max(worst, (z, (key, number, value, theirs)))
            compared += 1
            if z > 1:
                problems.append(f"{key} {number}: peer {value:.6g}, Reckon {theirs:.6g}")
    print(f"compared {compared} numbers of {len(reckon)} result cells; largest |difference| / "
          f"allowed = {worst[0]:.3f} at {worst[1]}")
    for problem in problems[:20]:
        print("  DISAGREE", problem)
    return 1 if problems else 0


def make_account(path, experiments):
    subprocess.run([sys.executable, os.path.join(HERE, "make_account.py"), "--experiments",
                    str(experiments), "--out", path], check=True)


def cpu_context():
    """The CPU fields reckon_bench adds to its context (bench/cpu_context.hpp)."""
    context = {"cpu_vendor": "unknown", "cpu_model_name": "unknown", "cpu_family": "unknown",
               "cpu_model": "unknown", "num_cpus": os.cpu_count()}
    keys = {"vendor_id": "cpu_vendor", "model name": "cpu_model_name", "cpu family": "cpu_family",
            "model": "cpu_model"}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                name, _, value = line.partition(":")
                key = keys.get(name.strip())
                if key and context[key] == "unknown":
                    context[key] = value.strip()
    except OSError:
        pass
    return context


def result_cells(path):
    with open(path) as f:
        document = json.load(f)
    return sum(len(e["cells"]) for e in document["experiments"])


def timing(args, workdir):
    account = os.path.join(workdir, "account.csv")
    make_account(account, args.experiments)
    output = os.path.join(workdir, "reckon.json")
    run_reckon(args.reckon, account, args.draws, output)  # warm-up: page cache, CPU frequency
    peer_runs, reckon_runs = [], []
    for run in range(args.runs):
        peer_runs.append(run_peer(account, args.draws))
        reckon_runs.append(run_reckon(args.reckon, account, args.draws, output))
        print(f"run {run + 1}: peer {peer_runs[-1][0]:.2f} s wall ({peer_runs[-1][1]:.2f} s CPU), "
              f"reckon {reckon_runs[-1][0]:.3f} s wall ({reckon_runs[-1][1]:.3f} s CPU)",
              flush=True)
    cells = result_cells(output)
    peer = statistics.median(wall for wall, _ in peer_runs)
    reckon = statistics.median(wall for wall, _ in reckon_runs)
    peer_cpu = statistics.median(cpu for _, cpu in peer_runs)
    reckon_cpu = statistics.median(cpu for _, cpu in reckon_runs)
    print(f"account: {args.experiments} experiments, {cells} result cells, {args.draws} draws")
    print(f"median of {args.runs}: peer {peer:.2f} s (1 thread), reckon {reckon:.3f} s "
          f"(2 threads); ratio {peer / reckon:.1f}x")
    # On a shared machine wall time is what each process was given; CPU time says how much
    # work each did (reckon's summed over its two threads, so this ratio is per core).
    print(f"CPU seconds, median: peer {peer_cpu:.2f}, reckon {reckon_cpu:.3f}; ratio "
          f"{peer_cpu / reckon_cpu:.1f}x (work per core)")
    if args.out:
        def entry(name, seconds):
            return {"name": name, "run_name": name, "run_type": "aggregate",
                    "aggregate_name": "median", "repetitions": args.runs, "iterations": 1,
                    "real_time": seconds * 1e3, "time_unit": "ms",
                    "items_per_second": cells * args.draws / seconds}
        name = f"account_{args.experiments}"
        document = {"context": cpu_context(), "benchmarks": []}
        if args.append:
            with open(args.out) as f:
                document = json.load(f)
        document["benchmarks"] += [entry(f"pipeline/peer_numpy/{name}", peer),
                                   entry(f"pipeline/reckon_analyze_2_threads/{name}", reckon)]
        with open(args.out, "w") as f:
            json.dump(document, f, indent=1)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reckon", required=True, help="the reckon binary")
    parser.add_argument("--experiments", type=int, default=None)
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--out")
    parser.add_argument("--append", action="store_true",
                        help="add to the benchmarks of the existing --out file")
    args = parser.parse_args()
    if args.experiments is None:
        args.experiments = 3 if args.check else 40
    with tempfile.TemporaryDirectory(prefix="reckon-peer-") as workdir:
        return check(args, workdir) if args.check else timing(args, workdir)


if __name__ == "__main__":
    sys.exit(main())
