"""Workloads shared by the Pool benchmark twins (the Python side of scripts/bench's pool figures)."""
import multiprocessing as mp
import statistics
import time


WARM_UP_ROUNDS, MEASURED_ROUNDS = 2, 3


def square(x):
    return x * x


def inc(x):
    return x + 1


def one():
    return 1


def map_items_per_s(n, chunksize, method=None):
    ctx = mp.get_context(method)
    with ctx.Pool(4) as pool:
        for _ in range(WARM_UP_ROUNDS):  # as the mp4j side (PoolMapBench), which warms its workers' JIT
            pool.map(square, range(n), chunksize)
        runs = []
        for _ in range(MEASURED_ROUNDS):
            start = time.perf_counter()
            result = pool.map(square, range(n), chunksize)
            runs.append(time.perf_counter() - start)
            assert len(result) == n and result[-1] == (n - 1) * (n - 1)
    return n / statistics.median(runs)


def apply_async_us(n):
    with mp.Pool(4) as pool:
        for i in range(2_000):
            pool.apply_async(inc, (i,)).get()
        times = []
        for i in range(n):
            start = time.perf_counter()
            pool.apply_async(inc, (i,)).get()
            times.append((time.perf_counter() - start) * 1e6)
    times.sort()
    return times[n // 2], times[int(n * 0.99)]


def pool4_ready_ms(method, rounds):
    ctx = mp.get_context(method)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        with ctx.Pool(4) as pool:
            pool.apply(one)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
