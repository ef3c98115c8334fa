#!/usr/bin/env python3
"""array_locked_ops_s, Python side: 4 processes add 1.0 to random elements of Array('d', 1000) under its lock."""
import json
import multiprocessing as mp
import random
import sys
import time


def worker(array, go, stop_at, counts, index):
    go.wait()
    lock = array.get_lock()
    rand = random.Random(index).randrange
    length = len(array)
    n = 0
    end = stop_at.value
    while True:
        for _ in range(256):
            i = rand(length)
            with lock:
                array[i] += 1.0
        n += 256
        if time.perf_counter() >= end:
            break
    counts[index] = n


def main():
    seconds = 0.5 if "--quick" in sys.argv else 2.0
    procs = 4
    array = mp.Array("d", 1000)
    counts = mp.Array("q", procs, lock=False)
    go = mp.Event()
    stop_at = mp.Value("d", 0.0, lock=False)
    workers = [mp.Process(target=worker, args=(array, go, stop_at, counts, i)) for i in range(procs)]
    for w in workers:
        w.start()
    time.sleep(0.5)
    t0 = time.perf_counter()
    stop_at.value = t0 + seconds
    go.set()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t0
    total = sum(counts)
    assert total == round(sum(array[:])), (total, sum(array[:]))
    print(json.dumps({"key": "array_locked_ops_s", "value": total / elapsed,
                      "extra": {"fairness_min_over_max": min(counts) / max(counts)}}))


if __name__ == "__main__":
    main()
