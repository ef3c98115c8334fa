"""Shared body of bench_queue_8B_msgs_s.py and bench_pipe_8B_msgs_s.py: one producer process streams 8-byte
values (bytes(8)) to this process, which times the stream from its first value to its last; then the two play
ping-pong for the round-trip latency (median, p99), as mp4j's MessagingBench does."""
import json
import multiprocessing as mp
import statistics
import sys
import time


def producer_queue(data, to_worker, from_worker, count, rounds):
    message = bytes(8)
    for _ in range(count):
        data.put(message)
    for _ in range(rounds):
        from_worker.put(to_worker.get())


def producer_pipe(data, control, count, rounds):
    message = bytes(8)
    for _ in range(count):
        data.send(message)
    for _ in range(rounds):
        control.send(control.recv())


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(-(-fraction * len(ordered) // 1)) - 1))
    return ordered[index]


def main(key, kind):
    quick = "--quick" in sys.argv
    count = 200_000 if quick else 1_000_000
    rounds = 2_000 if quick else 20_000
    ctx = mp.get_context("spawn")
    if kind == "queue":
        data, to_worker, from_worker = ctx.Queue(), ctx.Queue(), ctx.Queue()
        worker = ctx.Process(target=producer_queue, args=(data, to_worker, from_worker, count, rounds), daemon=True)
        receive, ping, pong = data.get, to_worker.put, from_worker.get
    else:
        data_in, data_out = ctx.Pipe(duplex=False)
        control_here, control_there = ctx.Pipe()
        worker = ctx.Process(target=producer_pipe, args=(data_out, control_there, count, rounds), daemon=True)
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
        extra["queue_64B_msgs_s"] = stream(ctx, ctx.Queue(), 64, count // 2)
        extra["simple_queue_8B_msgs_s"] = stream(ctx, ctx.SimpleQueue(), 8, count // 2)
    print(json.dumps({"key": key, "value": (count - 1) / seconds, "extra": extra}))


def streamer(queue, size, count):
    message = bytes(size)
    for _ in range(count):
        queue.put(message)


def stream(ctx, queue, size, count):
    worker = ctx.Process(target=streamer, args=(queue, size, count), daemon=True)
    worker.start()
    queue.get()
    t0 = time.perf_counter()
    for _ in range(count - 1):
        queue.get()
    seconds = time.perf_counter() - t0
    worker.join(30)
    return (count - 1) / seconds
