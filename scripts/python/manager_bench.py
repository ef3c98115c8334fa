"""Shared body of the bench_manager_*.py scripts: Python's multiprocessing.Manager() measured the way mp4j's
ManagerBench measures its Manager (launcher/src/main/java/mp4j/launcher/bench/ManagerBench.java):

- locked:  4 processes do `with lock: d[k] = d.get(k, 0) + 1` (lock = manager.Lock()) over 5 keys, ops/s;
- merge:   the same: Python's proxies have no atomic merge, so the locked increment is Python's way to count;
- get_put: one process alternates d[k] = v and d.get(k) over 100 keys, calls/s;
- grow:    one process puts 1 M new keys (100 k with --quick) into an empty dict, seconds; the manager process's
           resident memory growth is an extra figure.
"""
import json
import multiprocessing as mp
import sys
import time

NAMES = ["a", "b", "c", "d", "e"]


def locked_worker(d, lock, go, stop_at, counts, index):
    go.wait()
    end = stop_at.value
    n = 0
    while True:
        for _ in range(16):
            k = NAMES[(index + n) % len(NAMES)]
            with lock:
                d[k] = d.get(k, 0) + 1
            n += 1
        if time.perf_counter() >= end:
            break
    counts[index] = n


def race(seconds, procs=4):
    with mp.Manager() as manager:
        d = manager.dict()
        lock = manager.Lock()
        counts = mp.Array("q", procs, lock=False)
        go = mp.Event()
        stop_at = mp.Value("d", 0.0, lock=False)
        workers = [mp.Process(target=locked_worker, args=(d, lock, go, stop_at, counts, i)) for i in range(procs)]
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
        actual = sum(d.values())
        assert total == actual, (total, actual)
        return total / elapsed, {"fairness_min_over_max": min(counts) / max(counts), "exact": total == actual}


def get_put(seconds):
    with mp.Manager() as manager:
        d = manager.dict()
        keys = [f"k{i}" for i in range(100)]
        for k in keys:
            d[k] = 0
        calls = 0
        t0 = time.perf_counter()
        end = t0 + seconds
        while True:
            for i in range(50):
                k = keys[i]
                d[k] = i
                d.get(k)
            calls += 100
            if time.perf_counter() >= end:
                break
        return calls / (time.perf_counter() - t0), {}


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))


def grow(count):
    with mp.Manager() as manager:
        d = manager.dict()
        pid = manager._process.pid
        before = rss_kib(pid)
        t0 = time.perf_counter()
        for i in range(count):
            d[f"key{i}"] = i
        elapsed = time.perf_counter() - t0
        assert len(d) == count
        grown = rss_kib(pid) - before
        return elapsed, {"keys": count, "manager_process_rss_growth_MiB": round(grown / 1024, 1),
                         "bytes_per_key": round(grown * 1024 / count)}


def main(key, mode):
    quick = "--quick" in sys.argv
    seconds = 0.5 if quick else 2.0
    if mode in ("locked", "merge"):
        value, extra = race(seconds)
        if mode == "merge":
            extra["note"] = "no atomic merge on Python's proxies: this is the locked increment"
    elif mode == "get_put":
        value, extra = get_put(seconds)
    else:
        value, extra = grow(100_000 if quick else 1_000_000)
    print(json.dumps({"key": key, "value": value, "extra": extra}))
