"""The workload of bench_shm_write_GBps.py and bench_shm_read_GBps.py (the twins of mp4j's ShmRoundTrip).

One process creates a multiprocessing.shared_memory block and writes SIZE bytes into it from a 64 MiB bytes
object, 64 MiB at a time, through memoryview slices (numpy is not installed here); a second process attaches
and copies it all back into a 64 MiB bytearray, through memoryview slices. Times run from create (write) and
from attach (read) to the last byte copied. Medians of 3 round trips. Stdlib only.
"""
import multiprocessing as mp
import statistics
import sys
import time
from multiprocessing import shared_memory

CHUNK = 64 << 20
RUNS = 3


def _reader(name, result):
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


def measure(quick):
    size = (256 << 20) if quick else (1 << 30)
    source = bytes((i * 31 + 7) & 0xFF for i in range(256)) * (CHUNK // 256)
    writes, reads = [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        shm = shared_memory.SharedMemory(create=True, size=size)
        try:
            buf = shm.buf
            for offset in range(0, size, CHUNK):
                n = min(CHUNK, size - offset)
                buf[offset:offset + n] = source[:n] if n < CHUNK else source
            writes.append(size / (time.perf_counter() - t0) / 1e9)
            result = mp.Value('d', 0.0)
            reader = mp.Process(target=_reader, args=(shm.name, result))
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


def main(key, index):
    quick = "--quick" in sys.argv[1:]
    value = measure(quick)[index]
    print('{"key": "%s", "value": %.6f}' % (key, value))
