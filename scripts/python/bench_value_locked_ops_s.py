#!/usr/bin/env python3
"""value_locked_ops_s, Python side: 4 processes do `with v.get_lock(): v.value += 1` for 2 s (0.5 s --quick)."""
import json
import multiprocessing as mp
import sys
import time


def worker(value, go, stop_at, counts, index):
    go.wait()
    lock = value.get_lock()
    n = 0
    end = stop_at.value
    while True:
        for _ in range(256):
            with lock:
                value.value += 1
        n += 256
        if time.perf_counter() >= end:
            break
    counts[index] = n


def main():
    seconds = 0.5 if "--quick" in sys.argv else 2.0
    procs = 4
    value = mp.Value("i", 0)
    counts = mp.Array("q", procs, lock=False)
    go = mp.Event()
    stop_at = mp.Value("d", 0.0, lock=False)
    workers = [mp.Process(target=worker, args=(value, go, stop_at, counts, i)) for i in range(procs)]
    for w in workers:
        w.start()
    time.sleep(0.5)  # let them start, as mp4j's gate does
    t0 = time.perf_counter()
    stop_at.value = t0 + seconds
    go.set()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t0
    total = sum(counts)
    assert total == value.value, (total, value.value)
    print(json.dumps({"key": "value_locked_ops_s", "value": total / elapsed,
                      "extra": {"fairness_min_over_max": min(counts) / max(counts)}}))


if __name__ == "__main__":
    main()
