#!/usr/bin/env python3
"""Python's side of every scripts/bench figure and curve: one function per key, the same keys as mp4j's
(launcher/src/main/java/mp4j/launcher/bench, where each figure is declared with its unit, target and peers).

    python3 scripts/python/figures.py KEY [--quick]     prints one JSON line
    python3 scripts/python/figures.py --list            the keys this module measures

A figure function returns {KEY: {"value": v, "extra": {...}}, SIBLING: {"value": v}}: a run may measure
siblings too (the p99 beside the median), as mp4j's do. A curve function returns {"xs": [...], "panels": [{series
name: [y per x]}]}, at the xs mp4j declares. Each workload does what its mp4j twin does; the comments say where
they differ. Stdlib only.
"""
import json
import math
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import time
from multiprocessing import shared_memory

FIGURES = {}
CURVES = {}
QUICK = False


def figure(key):
    def register(function):
        FIGURES[key] = function
        return function
    return register


def curve(key):
    def register(function):
        CURVES[key] = function
        return function
    return register


def percentile(values, fraction):
    """Nearest rank, as mp4j's Stats.percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


class Spinners:
    """Busy shell loops beside a workload, as mp4j's Spinners."""

    def __init__(self, count):
        self.processes = [subprocess.Popen(["sh", "-c", "while :; do :; done"]) for _ in range(count)]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for p in self.processes:
            p.kill()
        for p in self.processes:
            p.wait()


# ---------------------------------------------------------------------------------------------- locks and values

def _value_worker(value, go, stop_at, counts, index):
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


def value_race(procs, seconds):
    """procs processes do `with v.get_lock(): v.value += 1` for `seconds`: (ops/s, fairness)."""
    value = mp.Value("i", 0)
    counts = mp.Array("q", procs, lock=False)
    go = mp.Event()
    stop_at = mp.Value("d", 0.0, lock=False)
    workers = [mp.Process(target=_value_worker, args=(value, go, stop_at, counts, i)) for i in range(procs)]
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
    return total / elapsed, min(counts) / max(counts)


@figure("value_locked_ops_s")
def value_locked_ops_s():
    ops, fairness = value_race(4, 0.5 if QUICK else 2.0)
    return {"value_locked_ops_s": {"value": ops, "extra": {"fairness_min_over_max": fairness}}}


def _array_worker(array, go, stop_at, counts, index):
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


@figure("array_locked_ops_s")
def array_locked_ops_s():
    seconds, procs = (0.5 if QUICK else 2.0), 4
    array = mp.Array("d", 1000)
    counts = mp.Array("q", procs, lock=False)
    go = mp.Event()
    stop_at = mp.Value("d", 0.0, lock=False)
    workers = [mp.Process(target=_array_worker, args=(array, go, stop_at, counts, i)) for i in range(procs)]
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
    return {"array_locked_ops_s": {"value": total / elapsed,
                                   "extra": {"fairness_min_over_max": min(counts) / max(counts)}}}


def _pairs_per_second(lock, seconds):
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


@figure("lock_uncontended_pairs_s")
def lock_uncontended_pairs_s():
    seconds = 0.1 if QUICK else 0.4
    lock = mp.Lock()
    best = max(_pairs_per_second(lock, seconds) for _ in range(5))
    rlock = max(_pairs_per_second(mp.RLock(), seconds) for _ in range(5))
    return {"lock_uncontended_pairs_s": {"value": best, "extra": {"rlock_pairs_s": rlock}}}


# ------------------------------------------------------------------------------------------------------- pools

WARM_UP_ROUNDS, MEASURED_ROUNDS = 2, 3


def square(x):
    return x * x


def inc(x):
    return x + 1


def one_arg(x):
    return x


def one():
    return 1


def spin(micros):
    """Works for `micros` of this thread's CPU time, as mp4j's ProcessesCurve.Work (CPU, not wall time: time spent
    waiting for a core is not work)."""
    end = time.thread_time() + micros / 1e6
    while time.thread_time() < end:
        pass


def spin_item(args):
    micros, x = args
    spin(micros)
    return x


def map_items_per_s(n, chunksize, processes=4):
    with mp.Pool(processes) as pool:
        for _ in range(WARM_UP_ROUNDS):  # as PoolMapBench, which warms its workers' JIT
            pool.map(square, range(n), chunksize)
        runs = []
        for _ in range(MEASURED_ROUNDS):
            start = time.perf_counter()
            result = pool.map(square, range(n), chunksize)
            runs.append(time.perf_counter() - start)
            assert len(result) == n and result[-1] == (n - 1) * (n - 1)
    return n / statistics.median(runs)


@figure("pool_map_chunk1_items_s")
def pool_map_chunk1_items_s():
    n = 20_000 if QUICK else 200_000
    return {"pool_map_chunk1_items_s": {"value": map_items_per_s(n, 1)}}


@figure("pool_map_default_items_s")
def pool_map_default_items_s():
    n = 200_000 if QUICK else 2_000_000
    return {"pool_map_default_items_s": {"value": map_items_per_s(n, None)}}


def apply_async_us(n, spinners):
    with Spinners(spinners), mp.Pool(4) as pool:
        for i in range(2_000):
            pool.apply_async(inc, (i,)).get()
        times = []
        for i in range(n):
            start = time.perf_counter()
            pool.apply_async(inc, (i,)).get()
            times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times), percentile(times, 0.99)


def _apply_async(spinners):
    median, p99 = apply_async_us(2_000 if QUICK else 20_000, spinners)
    prefix = "apply_async_" + (f"{spinners}spin_" if spinners else "")
    return {prefix + "median_us": {"value": median}, prefix + "p99_us": {"value": p99}}


for _spinners in (0, 1, 2):
    for _which in ("median_us", "p99_us"):
        figure("apply_async_" + (f"{_spinners}spin_" if _spinners else "") + _which)(
            (lambda s: lambda: _apply_async(s))(_spinners))


def pool4_ready(method, rounds):
    ctx = mp.get_context(method)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        with ctx.Pool(4) as pool:
            pool.apply(one)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


@figure("pool4_ready_ms")
def pool4_ready_ms():
    rounds = 3 if QUICK else 10
    spawn = pool4_ready("spawn", rounds)
    return {"pool4_ready_ms": {"value": spawn, "extra": {"fork_ms": pool4_ready("fork", rounds)}}}


def _cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


@figure("pool4_idle_cpu_pct")
def pool4_idle_cpu_pct():
    """The program and its four spawn workers over 3 s of an idle Pool(4), % of one core (PoolIdleBench)."""
    rounds = 1 if QUICK else 3
    totals, workers = [], []
    for _ in range(rounds):
        with mp.get_context("spawn").Pool(4) as pool:
            pool.map(one_arg, range(8), 1)
            time.sleep(1)
            pids = [p.pid for p in pool._pool]
            before_workers = sum(_cpu_ms(pid) for pid in pids)
            before_self = _cpu_ms(os.getpid())
            start = time.perf_counter()
            time.sleep(3)
            seconds = time.perf_counter() - start
            worker_ms = sum(_cpu_ms(pid) for pid in pids) - before_workers
            workers.append(worker_ms / seconds / 10)
            totals.append((worker_ms + _cpu_ms(os.getpid()) - before_self) / seconds / 10)
    return {"pool4_idle_cpu_pct": {"value": statistics.median(totals),
                                   "extra": {"workers_pct": statistics.median(workers)}}}


def _sleep_then_square(x):
    time.sleep(2)
    return x * x


@figure("worker_killed_s")
def worker_killed_s():
    """A Pool(4) maps 4 tasks of 2 s; one worker is SIGKILLed 0.5 s in; 10 s for the result (WorkerKilledBench)."""
    timeout = 10
    pool = mp.Pool(4)
    try:
        pool.apply(one)
        start = time.perf_counter()
        result = pool.map_async(_sleep_then_square, [1, 2, 3, 4], 1)
        time.sleep(0.5)
        os.kill(pool._pool[0].pid, 9)
        try:
            values = result.get(timeout)
            seconds = time.perf_counter() - start
            outcome = f"finished 4 of 4 in {seconds:.1f} s" + (", results right" if values == [1, 4, 9, 16] else
                                                                ", results WRONG")
            value = seconds if values == [1, 4, 9, 16] else None
        except mp.TimeoutError:
            outcome, value = f"hung: no result after {timeout} s", None
        except Exception as ex:  # noqa: BLE001 - the outcome is what is measured
            outcome, value = f"failed after {time.perf_counter() - start:.1f} s ({type(ex).__name__}: {ex})", None
    finally:
        pool.terminate()
        pool.join()
    return {"worker_killed_s": {"value": value, "extra": {"outcome": outcome}}}


# ----------------------------------------------------------------------------------------------------- processes

def _child(conn):
    conn.send(1)
    conn.close()


def process_start(method, n):
    ctx = mp.get_context(method)
    times = []
    for _ in range(n):
        parent_end, child_end = ctx.Pipe(duplex=False)
        t0 = time.perf_counter()
        p = ctx.Process(target=_child, args=(child_end,), daemon=True)
        p.start()
        parent_end.recv()
        times.append((time.perf_counter() - t0) * 1000)
        p.join()
    return statistics.median(times)


@figure("process_start_ms")
def process_start_ms():
    n = 5 if QUICK else 20
    return {"process_start_ms": {"value": process_start("spawn", n), "extra": {"fork_ms": process_start("fork", n)}}}


def _idle(event):
    event.wait()


def _kilobytes(pid, file, field):
    with open(f"/proc/{pid}/{file}") as f:
        for line in f:
            if line.startswith(field):
                return int(line[len(field):].split()[0])
    return 0


def idle_workers(count):
    """(RSS MB, PSS MB) summed over `count` idle spawn workers (MemoryBench's twin)."""
    ctx = mp.get_context("spawn")
    stop = ctx.Event()
    started = [ctx.Process(target=_idle, args=(stop,), daemon=True) for _ in range(count)]
    for p in started:
        p.start()
    time.sleep(1.5)  # past their start, as MemoryBench waits
    rss = sum(_kilobytes(p.pid, "status", "VmRSS:") for p in started) / 1024
    pss = sum(_kilobytes(p.pid, "smaps_rollup", "Pss:") for p in started) / 1024
    stop.set()
    for p in started:
        p.join()
    return rss, pss


@figure("worker_idle_rss_MB")
@figure("workers16_idle_rss_MB")
def worker_idle_rss_mb():
    one_rss, one_pss = idle_workers(1)
    rss16, pss16 = idle_workers(16)
    return {"worker_idle_rss_MB": {"value": one_rss, "extra": {"one_pss_MB": one_pss, "sixteen_pss_MB": pss16}},
            "workers16_idle_rss_MB": {"value": rss16}}


# ------------------------------------------------------------------------------------------------------ messaging

def _producer_queue(data, to_worker, from_worker, count, rounds):
    message = bytes(8)
    for _ in range(count):
        data.put(message)
    for _ in range(rounds):
        from_worker.put(to_worker.get())


def _producer_pipe(data, control, count, rounds):
    message = bytes(8)
    for _ in range(count):
        data.send(message)
    for _ in range(rounds):
        control.send(control.recv())


def _streamer(queue, size, count):
    message = bytes(size)
    for _ in range(count):
        queue.put(message)


def _stream(ctx, queue, size, count):
    worker = ctx.Process(target=_streamer, args=(queue, size, count), daemon=True)
    worker.start()
    queue.get()
    t0 = time.perf_counter()
    for _ in range(count - 1):
        queue.get()
    seconds = time.perf_counter() - t0
    worker.join(30)
    return (count - 1) / seconds


def messaging(key, kind):
    """One producer process streams bytes(8) to this one, then they play ping-pong (MessagingBench's twin)."""
    count = 200_000 if QUICK else 1_000_000
    rounds = 2_000 if QUICK else 20_000
    ctx = mp.get_context("spawn")
    if kind == "queue":
        data, to_worker, from_worker = ctx.Queue(), ctx.Queue(), ctx.Queue()
        worker = ctx.Process(target=_producer_queue, args=(data, to_worker, from_worker, count, rounds), daemon=True)
        receive, ping, pong = data.get, to_worker.put, from_worker.get
    else:
        data_in, data_out = ctx.Pipe(duplex=False)
        control_here, control_there = ctx.Pipe()
        worker = ctx.Process(target=_producer_pipe, args=(data_out, control_there, count, rounds), daemon=True)
        receive, ping, pong = data_in.recv, control_here.send, control_here.recv
    worker.start()
    receive()
    t0 = time.perf_counter()
    for _ in range(count - 1):
        receive()
    seconds = time.perf_counter() - t0
    message = bytes(8)
    us = []
    for _ in range(rounds):
        began = time.perf_counter()
        ping(message)
        pong()
        us.append((time.perf_counter() - began) * 1e6)
    worker.join(30)
    extra = {"messages": count, "round_trip_median_us": statistics.median(us),
             "round_trip_p99_us": percentile(us, 0.99)}
    if kind == "queue":  # the other figures, as MessagingBench reports them
        extra["queue_64B_msgs_s"] = _stream(ctx, ctx.Queue(), 64, count // 2)
        extra["simple_queue_8B_msgs_s"] = _stream(ctx, ctx.SimpleQueue(), 8, count // 2)
    return {key: {"value": (count - 1) / seconds, "extra": extra}}


@figure("queue_8B_msgs_s")
def queue_8b_msgs_s():
    return messaging("queue_8B_msgs_s", "queue")


@figure("pipe_8B_msgs_s")
def pipe_8b_msgs_s():
    return messaging("pipe_8B_msgs_s", "pipe")


# -------------------------------------------------------------------------------------------------- shared memory

CHUNK = 64 << 20


def _shm_reader(name, result):
    target = bytearray(CHUNK)  # allocated (and touched) before the clock starts, as the Java reader's array
    view = memoryview(target)
    t0 = time.perf_counter()
    shm = shared_memory.SharedMemory(name)
    size = shm.size
    for offset in range(0, size, CHUNK):
        n = min(CHUNK, size - offset)
        view[:n] = shm.buf[offset:offset + n]
    result.value = time.perf_counter() - t0
    view.release()
    shm.close()


def shm_round_trip():
    """Write SIZE bytes into a new block from a 64 MiB bytes object; another process attaches and copies it all
    into a 64 MiB bytearray (ShmRoundTrip's twin). Medians of 3: (write GB/s, read GB/s)."""
    size = (256 << 20) if QUICK else (1 << 30)
    source = bytes((i * 31 + 7) & 0xFF for i in range(256)) * (CHUNK // 256)
    writes, reads = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        shm = shared_memory.SharedMemory(create=True, size=size)
        try:
            buf = shm.buf
            for offset in range(0, size, CHUNK):
                n = min(CHUNK, size - offset)
                buf[offset:offset + n] = source[:n] if n < CHUNK else source
            writes.append(size / (time.perf_counter() - t0) / 1e9)
            result = mp.Value('d', 0.0)
            reader = mp.Process(target=_shm_reader, args=(shm.name, result))
            reader.start()
            reader.join()
            if reader.exitcode != 0:
                raise SystemExit("the reader process failed: exit code %s" % reader.exitcode)
            reads.append(size / result.value / 1e9)
            del buf
        finally:
            shm.close()
            shm.unlink()
    return statistics.median(writes), statistics.median(reads)


@figure("shm_write_GBps")
@figure("shm_read_GBps")
def shm_gbps():
    write, read = shm_round_trip()
    return {"shm_write_GBps": {"value": write}, "shm_read_GBps": {"value": read}}


# ------------------------------------------------------------------------------------------------------ managers
# multiprocessing.Manager() measured the way mp4j's ManagerBench measures its Manager: Python's proxies have no
# atomic merge, so manager_merge_ops_s is the locked increment here.

MANAGER_KEYS = ["a", "b", "c", "d", "e"]


def _manager_locked_worker(d, lock, go, stop_at, counts, index):
    go.wait()
    end = stop_at.value
    n = 0
    while True:
        for _ in range(16):
            k = MANAGER_KEYS[(index + n) % len(MANAGER_KEYS)]
            with lock:
                d[k] = d.get(k, 0) + 1
            n += 1
        if time.perf_counter() >= end:
            break
    counts[index] = n


def manager_race(seconds, procs=4):
    """procs processes do `with lock: d[k] = d.get(k, 0) + 1` over 5 keys for `seconds`: (ops/s, extra)."""
    with mp.Manager() as manager:
        d = manager.dict()
        lock = manager.Lock()
        counts = mp.Array("q", procs, lock=False)
        go = mp.Event()
        stop_at = mp.Value("d", 0.0, lock=False)
        workers = [mp.Process(target=_manager_locked_worker, args=(d, lock, go, stop_at, counts, i))
                   for i in range(procs)]
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


@figure("manager_locked_ops_s")
def manager_locked_ops_s():
    ops, extra = manager_race(0.5 if QUICK else 2.0)
    return {"manager_locked_ops_s": {"value": ops, "extra": extra}}


@figure("manager_merge_ops_s")
def manager_merge_ops_s():
    ops, extra = manager_race(0.5 if QUICK else 2.0)
    extra["note"] = "no atomic merge on Python's proxies: this is the locked increment"
    return {"manager_merge_ops_s": {"value": ops, "extra": extra}}


@figure("manager_get_put_ops_s")
def manager_get_put_ops_s():
    """One process alternates d[k] = v and d.get(k) over 100 keys: calls/s."""
    seconds = 0.5 if QUICK else 2.0
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
        return {"manager_get_put_ops_s": {"value": calls / (time.perf_counter() - t0)}}


@figure("manager_grow_1M_s")
def manager_grow_1m_s():
    """One process puts 1 M new keys (100 k with --quick) into an empty dict: seconds; the manager process's
    resident memory growth is an extra."""
    count = 100_000 if QUICK else 1_000_000
    with mp.Manager() as manager:
        d = manager.dict()
        pid = manager._process.pid
        before = _kilobytes(pid, "status", "VmRSS:")
        t0 = time.perf_counter()
        for i in range(count):
            d[f"key{i}"] = i
        elapsed = time.perf_counter() - t0
        assert len(d) == count
        grown = _kilobytes(pid, "status", "VmRSS:") - before
        return {"manager_grow_1M_s": {"value": elapsed, "extra": {
            "keys": count, "manager_process_rss_growth_MiB": round(grown / 1024, 1),
            "bytes_per_key": round(grown * 1024 / count)}}}


# ---------------------------------------------------------------------------------------------------------- curves

def _size_producer(kind, data, ping, pong, sizes, quick):
    send = data.put if kind == "queue" else data.send
    receive_ping = ping.get if kind == "queue" else ping.recv
    send_pong = pong.put if kind == "queue" else pong.send
    for size in sizes:
        message = bytes(size)
        for _ in range(_stream_count(size, quick)):
            send(message)
        for _ in range(_rounds(size, quick)):
            send_pong(receive_ping())


def _stream_count(size, quick):
    """As MessageSizeCurve.streamCount, a tenth of it: Python moves about a tenth as many messages per second."""
    stream_bytes = (8 << 20) if quick else (64 << 20)
    return max(16 if quick else 64, min(10_000 if quick else 100_000, stream_bytes // size // 10))


def _rounds(size, quick):
    return max(10 if quick else 20, min(200 if quick else 1_000, ((2 << 20) if quick else (16 << 20)) // size // 10))


@curve("curve_message_size")
def curve_message_size(xs):
    sizes = [int(x) for x in xs]
    ctx = mp.get_context("spawn")
    panels = [{}, {}]
    for kind in ("queue", "pipe"):
        if kind == "queue":
            data, ping, pong = ctx.Queue(), ctx.Queue(), ctx.Queue()
            ends = (data, ping, pong)
            receive, send_ping, receive_pong = data.get, ping.put, pong.get
        else:
            data_in, data_out = ctx.Pipe(duplex=False)
            here, there = ctx.Pipe()
            ends = (data_out, there, there)
            receive, send_ping, receive_pong = data_in.recv, here.send, here.recv
        worker = ctx.Process(target=_size_producer, args=(kind,) + ends + (sizes, QUICK), daemon=True)
        worker.start()
        mbps, rtt = [], []
        for size in sizes:
            count = _stream_count(size, QUICK)
            receive()
            t0 = time.perf_counter()
            for _ in range(count - 1):
                receive()
            mbps.append((count - 1) * size / (time.perf_counter() - t0) / 1e6)
            message = bytes(size)
            us = []
            for _ in range(_rounds(size, QUICK)):
                began = time.perf_counter()
                send_ping(message)
                receive_pong()
                us.append((time.perf_counter() - began) * 1e6)
            rtt.append(statistics.median(us))
        worker.join(60)
        name = "Python " + ("Queue" if kind == "queue" else "Pipe")
        panels[0][name] = mbps
        panels[1][name] = rtt
    return panels


def spin_map_items_per_s(processes, micros, n, chunksize):
    """Pool(processes).map over items of `micros` of spinning: items/s, median of 3 after one warm-up map."""
    items = [(micros, i) for i in range(n)]
    with mp.Pool(processes) as pool:
        pool.map(spin_item, items, chunksize)
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            assert len(pool.map(spin_item, items, chunksize)) == n
            runs.append(time.perf_counter() - start)
    return n / statistics.median(runs)


@curve("curve_processes")
def curve_processes(xs):
    value, pool = [], []
    for x in xs:
        procs = int(x)
        value.append(value_race(procs, 0.3 if QUICK else 1.0)[0])
        pool.append(spin_map_items_per_s(procs, 100, 2_000 if QUICK else 10_000, None))
    return [{"Python": value}, {"Python": pool}]


@curve("curve_work_per_item")
def curve_work_per_item(xs):
    cores = os.cpu_count()
    chunk1, default = [], []
    for micros in xs:
        cpu_seconds = 0.1 if QUICK else 0.4
        n = int(max(40, min(100_000, cpu_seconds * cores / (micros / 1e6))))
        n_chunk1 = min(n, 20_000)  # Python's chunksize=1 moves ~50 k items/s: fewer items keep a point short
        chunk1.append(spin_map_items_per_s(4, micros, n_chunk1, 1))
        default.append(spin_map_items_per_s(4, micros, n, None))
    return [{"Python chunksize=1": chunk1, "Python default chunksize": default}]


def main(argv):
    global QUICK
    QUICK = "--quick" in argv
    args = [a for a in argv if not a.startswith("--")]
    if "--list" in argv:
        print("\n".join(list(FIGURES) + list(CURVES)))
        return 0
    if len(args) != 1:
        print("usage: figures.py KEY [--quick] | --list", file=sys.stderr)
        return 2
    key = args[0]
    if key in FIGURES:
        print(json.dumps({"key": key, "figures": FIGURES[key]()}))
    elif key in CURVES:
        xs = json.loads(os.environ.get("MP4J_CURVE_XS", "null"))
        if xs is None:
            print("a curve needs its x values in MP4J_CURVE_XS (JSON), as scripts/bench passes them",
                  file=sys.stderr)
            return 2
        print(json.dumps({"key": key, "xs": xs, "panels": CURVES[key](xs)}))
    else:
        print(f"no figure or curve {key!r}; known: {', '.join(list(FIGURES) + list(CURVES))}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
