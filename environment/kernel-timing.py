#!/usr/bin/python3
"""Kernel timing with a real Jupyter client (jupyter_client), tpdiff4j and Debian's IPython kernel side by side.

  cold start  = launch of the kernel process -> first execute_reply (of "1 + 1", sent as soon as the kernel answers
                kernel_info); kernel_info_s is the part until the sockets answer. Each kernel is started --starts
                times, one after the other (alternating), and the median is reported.
  round trip  = client sends execute_request "1 + k" -> client receives its execute_reply; median and p90 of N cells.
                k counts up, so every cell's text is new, as a user's cells are: JShell takes the same text again as
                the same snippet, a shortcut that hid a kernel whose value cells grew slower all session (about 2 ms
                more per earlier cell with a value) behind a flat 10 ms for a repeated "1 + 1".
                Both kernels run at the same time and the cells alternate between them, so a busy machine slows both
                alike and the ratio stays meaningful (the absolute figures need a quiet machine). Measured twice:
                right after the start (5 untimed cells, then N cells back to back: a JVM's JIT has not compiled JShell's
                compiler yet) and settled (after both kernels sat idle for --settle seconds, as they do while a user
                types: tpdiff4j's kernel warms its JIT up in idle time). The settled figure is the headline.

Usage: /usr/bin/python3 environment/kernel-timing.py [--kernel tpdiff4j] [--reference python3] [--cells 50]
                                                   [--starts 3] [--settle 20] [--out build/kernel-timing.json]
Needs environment/setup (the kernelspec; python3-ipykernel for the reference). Prints the JSON and writes it to --out.
Without the reference kernel, "reference" says why and there is no ratio.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

# this checkout's kernelspec (written by environment/setup) before any user-wide one
_local = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "build", "jupyter")
if os.path.isdir(_local):
    os.environ["JUPYTER_PATH"] = _local + os.pathsep + os.environ.get("JUPYTER_PATH", "") if os.environ.get(
        "JUPYTER_PATH") else _local
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # ipykernel's debugger note would go to stderr

from jupyter_client.kernelspec import NoSuchKernel  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402

CELL = "1 + 1"


def wait_reply(kc, msg_id, timeout):
    deadline = time.monotonic() + timeout
    while True:
        m = kc.get_shell_msg(timeout=max(0.05, deadline - time.monotonic()))
        if m["parent_header"].get("msg_id") == msg_id:
            return m


def start(name):
    """@return (manager, client, seconds until kernel_info, seconds until the first execute_reply)"""
    km = KernelManager(kernel_name=name)
    t0 = time.monotonic()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=180)
        t_info = time.monotonic()
        first = wait_reply(kc, kc.execute(CELL), 180)
        t_first = time.monotonic()
        if first["content"]["status"] != "ok":
            raise RuntimeError("%s: first cell failed: %s" % (name, first["content"]))
    except BaseException:
        stop(km, kc)
        raise
    return km, kc, t_info - t0, t_first - t0


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


_serial = [0]


def trip(kc):
    _serial[0] += 1
    s = time.monotonic()
    r = wait_reply(kc, kc.execute("1 + %d" % _serial[0]), 60)
    if r["content"]["status"] != "ok":
        raise RuntimeError("cell failed: %s" % r["content"])
    return time.monotonic() - s


def median_p90(trips):
    trips = sorted(trips)
    return round(1000 * statistics.median(trips), 2), round(1000 * trips[int(0.9 * (len(trips) - 1))], 2)


def summary(name, info_s, first_s, trips, after_start):
    med, p90 = median_p90(trips)
    med0, p900 = median_p90(after_start)
    return {
        "kernel": name,
        "cold_start_to_first_execute_reply_s": round(statistics.median(first_s), 3),
        "cold_starts_s": [round(x, 3) for x in first_s],
        "kernel_info_ready_s": round(statistics.median(info_s), 3),
        "trivial_cell_round_trip_median_ms": med,
        "trivial_cell_round_trip_p90_ms": p90,
        "trivial_cell_round_trip_after_start_median_ms": med0,
        "trivial_cell_round_trip_after_start_p90_ms": p900,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="tpdiff4j")
    ap.add_argument("--reference", default="python3", help="kernel to compare with; '' for none")
    ap.add_argument("--cells", type=int, default=50)
    ap.add_argument("--starts", type=int, default=3)
    ap.add_argument("--settle", type=float, default=20.0, help="idle seconds before the settled round trips")
    ap.add_argument("--out", default="build/kernel-timing.json")
    a = ap.parse_args()

    names = [a.kernel]
    reference_missing = None
    if a.reference:
        try:
            KernelManager(kernel_name=a.reference).kernel_spec
            names.append(a.reference)
        except NoSuchKernel:
            reference_missing = ("no '%s' kernelspec (install Debian's python3-ipykernel)" % a.reference)
    info = {n: [] for n in names}
    first = {n: [] for n in names}
    load_before = os.getloadavg()[0]
    # cold starts, alternating, each kernel alone
    for _ in range(a.starts):
        for n in names:
            km, kc, i, f = start(n)
            stop(km, kc)
            info[n].append(i)
            first[n].append(f)
    # round trips, both kernels up, cells alternating
    running = {n: start(n)[:2] for n in names}
    after_start = {n: [] for n in names}
    trips = {n: [] for n in names}
    try:
        for n in names:
            for _ in range(5):  # untimed: the first cells after a start
                trip(running[n][1])
        for _ in range(a.cells):
            for n in names:
                after_start[n].append(trip(running[n][1]))
        time.sleep(a.settle)  # both idle, as between a user's cells
        for _ in range(a.cells):
            for n in names:
                trips[n].append(trip(running[n][1]))
    finally:
        for km, kc in running.values():
            stop(km, kc)
    result = summary(a.kernel, info[a.kernel], first[a.kernel], trips[a.kernel], after_start[a.kernel])
    result["cells"] = a.cells
    result["settle_s"] = a.settle
    if len(names) > 1:
        ref = summary(a.reference, info[a.reference], first[a.reference], trips[a.reference], after_start[a.reference])
        result["reference"] = ref
        result["round_trip_ratio_to_reference"] = round(
            result["trivial_cell_round_trip_median_ms"] / ref["trivial_cell_round_trip_median_ms"], 2)
        result["round_trip_after_start_ratio_to_reference"] = round(
            result["trivial_cell_round_trip_after_start_median_ms"]
            / ref["trivial_cell_round_trip_after_start_median_ms"], 2)
    else:
        result["reference"] = {"kernel": a.reference, "missing": reference_missing or "not asked for"}
    result["machine"] = {"cpus": os.cpu_count(), "load_avg_1m_before": round(load_before, 2),
                         "load_avg_1m_after": round(os.getloadavg()[0], 2), "python": platform.python_version()}
    result["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    text = json.dumps(result, indent=2)
    print(text)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        f.write(text + "\n")
    if reference_missing:
        print("[kernel-timing] " + reference_missing, file=sys.stderr)


if __name__ == "__main__":
    main()
