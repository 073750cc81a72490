#!/usr/bin/env python3
"""Time scipy.optimize.linear_sum_assignment on the matrices written by tpdiff4j.bench.AssignmentBench.

Usage: python3 environment/py/scipy_assignment.py [build/bench]
Reads BENCH/assignment.json (our times and costs), times scipy on the same .npy matrices with the same
number of repetitions (median), checks that both total costs agree to 1e-9, and writes
BENCH/assignment_scipy.json plus a side-by-side table on stdout.
Needs numpy and scipy (the `python3` on PATH here has scipy 1.17; /usr/bin/python3 does not).
"""
import json
import os
import sys
import time

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment


def main():
    bench = sys.argv[1] if len(sys.argv) > 1 else "build/bench"
    with open(os.path.join(bench, "assignment.json")) as f:
        ours = json.load(f)
    rows = []
    print(f"{'kind':8s} {'n':>5s} {'scipy ms':>10s} {'tpdiff4j ms':>12s} {'ratio':>7s}  cost agrees")
    for r in ours["results"]:
        c = np.load(os.path.join(bench, r["file"]))
        reps = r["repetitions"]
        for _ in range(3):
            linear_sum_assignment(c)
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            row, col = linear_sum_assignment(c)
            times.append((time.perf_counter() - t0) * 1e3)
        cost = float(c[row, col].sum())
        agrees = abs(cost - r["total_cost"]) <= 1e-9 * (1 + abs(cost))
        med = float(np.median(times))
        rows.append({"kind": r["kind"], "n": r["n"], "repetitions": reps, "median_ms": med,
                     "min_ms": float(min(times)), "total_cost": cost, "tpdiff4j_median_ms": r["median_ms"],
                     "cost_agrees": bool(agrees)})
        print(f"{r['kind']:8s} {r['n']:5d} {med:10.3f} {r['median_ms']:12.3f} {r['median_ms'] / med:7.2f}  {agrees}")
    out = {"solver": "scipy.optimize.linear_sum_assignment", "scipy": scipy.__version__,
           "numpy": np.__version__, "results": rows}
    with open(os.path.join(bench, "assignment_scipy.json"), "w") as f:
        json.dump(out, f, indent=2)
    if not all(r["cost_agrees"] for r in rows):
        sys.exit("total costs differ between scipy and tpdiff4j")


if __name__ == "__main__":
    main()
