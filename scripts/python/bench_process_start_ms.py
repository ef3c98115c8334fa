#!/usr/bin/env python3
"""process_start_ms, Python side: Process.start() to the child's first message, median ms (spawn; fork as extra)."""
import json
import multiprocessing as mp
import statistics
import sys
import time


def child(conn):
    conn.send(1)
    conn.close()


def measure(method, n):
    ctx = mp.get_context(method)
    times = []
    for _ in range(n):
        parent_end, child_end = ctx.Pipe(duplex=False)
        t0 = time.perf_counter()
        p = ctx.Process(target=child, args=(child_end,), daemon=True)
        p.start()
        parent_end.recv()
        times.append((time.perf_counter() - t0) * 1000)
        p.join()
    return statistics.median(times)


if __name__ == "__main__":
    n = 5 if "--quick" in sys.argv else 20
    spawn = measure("spawn", n)
    fork = measure("fork", n)
    print(json.dumps({"key": "process_start_ms", "value": spawn, "extra": {"fork_ms": fork}}))
