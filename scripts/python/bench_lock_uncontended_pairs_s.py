#!/usr/bin/env python3
"""lock_uncontended_pairs_s, Python side: one process acquires and releases a free mp.Lock, pairs/s (best of 5)."""
import json
import multiprocessing as mp
import sys
import time


def pairs_per_second(lock, seconds):
    acquire, release = lock.acquire, lock.release
    n = 0
    t0 = time.perf_counter()
    end = t0 + seconds
    while True:
        for _ in range(10_000):
            acquire()
            release()
        n += 10_000
        now = time.perf_counter()
        if now >= end:
            return n / (now - t0)


def main():
    seconds = 0.1 if "--quick" in sys.argv else 0.4
    lock = mp.Lock()
    best = max(pairs_per_second(lock, seconds) for _ in range(5))
    rlock = max(pairs_per_second(mp.RLock(), seconds) for _ in range(5))
    print(json.dumps({"key": "lock_uncontended_pairs_s", "value": best, "extra": {"rlock_pairs_s": rlock}}))


if __name__ == "__main__":
    main()
