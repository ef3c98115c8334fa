package mp4j.launcher.bench;

import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.sharedmemory.SharedMemory;

import java.util.Arrays;

/**
 * The workload of {@code shm_write_GBps} and {@code shm_read_GBps}, CPython's benchmark in Java: this process
 * creates a block and writes {@code size} bytes into it from a 64 MiB array, 64 MiB at a time; a worker process
 * attaches and reads it all back into a 64 MiB array. Times run from create (write) and from attach (read) to
 * the last byte copied, so page faults, the cost the levers address, are counted.
 */
final class ShmRoundTrip
{
    static final int CHUNK = 64 << 20;
    private static final int RUNS = 3;

    private ShmRoundTrip()
    {
    }

    /** Bytes per second of writing and reading, medians of {@link #RUNS} round trips. */
    record Result(double writeGBps, double readGBps)
    {
    }

    static Result measure(final boolean quick) throws Exception
    {
        final long size = quick ? 256L << 20 : 1L << 30;
        final byte[] source = new byte[CHUNK];
        for (int i = 0; i < source.length; i++)
        {
            source[i] = (byte)(i * 31 + 7);
        }
        final double[] write = new double[RUNS];
        final double[] read = new double[RUNS];
        for (int run = 0; run < RUNS; run++)
        {
            try (SharedMemory result = SharedMemory.create(16))
            {
                final long t0 = System.nanoTime();
                final SharedMemory shm = SharedMemory.create(size);
                try
                {
                    for (long offset = 0; offset < size; offset += CHUNK)
                    {
                        shm.write(offset, source, 0, (int)Math.min(CHUNK, size - offset));
                    }
                    write[run] = size / ((System.nanoTime() - t0) / 1e9) / 1e9;
                    final Process reader = new Process(new Reader(), shm.name(), result).start();
                    reader.join();
                    if (reader.exitCode() != 0)
                    {
                        throw new IllegalStateException("the reader process failed: exit code " + reader.exitCode());
                    }
                    if (result.buf().getLong(8) != (source[0] & 0xff) + (source[CHUNK - 1] & 0xff))
                    {
                        throw new IllegalStateException("the reader saw other bytes than were written");
                    }
                    read[run] = size / (result.buf().getLong(0) / 1e9) / 1e9;
                }
                finally
                {
                    shm.close();
                    shm.unlink();
                    result.unlink();
                }
            }
        }
        return new Result(median(write), median(read));
    }

    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Attaches and reads the block; writes its nanoseconds and a checksum of two bytes into the result block. */
    public static final class Reader implements Target
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final Object... args)
        {
            final SharedMemory result = (SharedMemory)args[1];
            final byte[] target = new byte[CHUNK];
            java.util.Arrays.fill(target, (byte)1); // fault the heap array in before the clock starts
            final long t0 = System.nanoTime();
            try (SharedMemory shm = SharedMemory.attach((String)args[0]))
            {
                final long size = shm.size();
                for (long offset = 0; offset < size; offset += CHUNK)
                {
                    shm.read(offset, target, 0, (int)Math.min(CHUNK, size - offset));
                }
                result.buf().putLong(0, System.nanoTime() - t0);
                result.buf().putLong(8, (target[0] & 0xff) + (target[CHUNK - 1] & 0xff));
            }
            result.close();
        }
    }
}
