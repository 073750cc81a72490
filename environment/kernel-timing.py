#!/usr/bin/python3
"""Kernel timing with a real Jupyter client (jupyter_client): cold start and trivial-cell round trip.

  cold start  = launch of the kernel process -> first execute_reply (of "1 + 1", sent as soon as the kernel answers
                kernel_info); kernel_info_s is the part until the sockets answer.
  round trip  = client sends execute_request "1 + 1" -> client receives its execute_reply; median and p90 of N cells.

Usage: /usr/bin/python3 environment/kernel-timing.py [--kernel tpdiff4j] [--cells 50] [--out build/kernel-timing.json]
Needs environment/setup (the kernelspec). Prints the JSON and writes it to --out.
"""
import argparse
import json
import os
import platform
import statistics
import time

# this checkout's kernelspec (written by environment/setup) before any user-wide one
_local = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "build", "jupyter")
if os.path.isdir(_local):
    os.environ["JUPYTER_PATH"] = _local + os.pathsep + os.environ.get("JUPYTER_PATH", "") if os.environ.get(
        "JUPYTER_PATH") else _local

from jupyter_client.manager import KernelManager  # noqa: E402


def wait_reply(kc, msg_id, timeout):
    deadline = time.monotonic() + timeout
    while True:
        m = kc.get_shell_msg(timeout=max(0.05, deadline - time.monotonic()))
        if m["parent_header"].get("msg_id") == msg_id:
            return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="tpdiff4j")
    ap.add_argument("--cells", type=int, default=50)
    ap.add_argument("--out", default="build/kernel-timing.json")
    a = ap.parse_args()

    km = KernelManager(kernel_name=a.kernel)
    t0 = time.monotonic()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=180)
        t_info = time.monotonic()
        first = wait_reply(kc, kc.execute("1 + 1"), 180)
        t_first = time.monotonic()
        assert first["content"]["status"] == "ok", first["content"]
        trips = []
        for _ in range(a.cells):
            s = time.monotonic()
            r = wait_reply(kc, kc.execute("1 + 1"), 60)
            trips.append(time.monotonic() - s)
            assert r["content"]["status"] == "ok", r["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel()
    trips.sort()
    result = {
        "kernel": a.kernel,
        "cold_start_to_first_execute_reply_s": round(t_first - t0, 3),
        "kernel_info_ready_s": round(t_info - t0, 3),
        "trivial_cell_round_trip_median_ms": round(1000 * statistics.median(trips), 2),
        "trivial_cell_round_trip_p90_ms": round(1000 * trips[int(0.9 * (len(trips) - 1))], 2),
        "cells": a.cells,
        "machine": {"cpus": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2),
                    "python": platform.python_version()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    text = json.dumps(result, indent=2)
    print(text)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
