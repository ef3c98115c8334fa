package mp4j.launcher.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntUnaryOperator;

/**
 * The thread ceiling: the same work as mp4j's figures done by threads of this one JVM, with a {@link ForkJoinPool}
 * of 4 in place of a Pool(4) and a {@link ReentrantLock} in place of a Value's lock. What a reader sees between
 * this and mp4j is the price of process isolation.
 */
final class ThreadsPeer
{
    private ThreadsPeer()
    {
    }

    /** Round trips of sequential {@code submit(f).get()} on a ForkJoinPool(4), microseconds, after a warm-up. */
    static double[] roundTripsMicros(final int warmUp, final int n)
    {
        final ForkJoinPool pool = new ForkJoinPool(4);
        try
        {
            for (int i = 0; i < warmUp; i++)
            {
                final int x = i;
                pool.submit(() -> x + 1).join();
            }
            final double[] us = new double[n];
            for (int i = 0; i < n; i++)
            {
                final int x = i;
                final long start = System.nanoTime();
                pool.submit(() -> x + 1).join();
                us[i] = (System.nanoTime() - start) / 1e3;
            }
            return us;
        }
        finally
        {
            shutdown(pool);
        }
    }

    /**
     * Items per second of {@code f} over {@code n} items on a ForkJoinPool(4): one task per item (chunksize 1) or
     * {@code chunks} tasks of equal runs; the median of 3 after 2 rounds of warm-up, as PoolMapBench.
     */
    static double mapItemsPerSecond(final int n, final int chunksize, final IntUnaryOperator f)
    {
        final ForkJoinPool pool = new ForkJoinPool(4);
        try
        {
            final double[] seconds = new double[3];
            for (int round = -2; round < seconds.length; round++)
            {
                final long start = System.nanoTime();
                final List<ForkJoinTask<int[]>> tasks = new ArrayList<>();
                for (int from = 0; from < n; from += chunksize)
                {
                    final int lo = from;
                    final int hi = Math.min(n, from + chunksize);
                    tasks.add(pool.submit(() ->
                    {
                        final int[] out = new int[hi - lo];
                        for (int i = lo; i < hi; i++)
                        {
                            out[i - lo] = f.applyAsInt(i);
                        }
                        return out;
                    }));
                }
                final int[] results = new int[n];
                int at = 0;
                for (final ForkJoinTask<int[]> task : tasks)
                {
                    final int[] part = task.join();
                    System.arraycopy(part, 0, results, at, part.length);
                    at += part.length;
                }
                if (round >= 0)
                {
                    seconds[round] = (System.nanoTime() - start) / 1e9;
                }
            }
            return n / Stats.median(seconds);
        }
        finally
        {
            shutdown(pool);
        }
    }

    /** Increments per second of one long by 4 threads, each under one ReentrantLock, for {@code nanos}. */
    static double lockedIncrementsPerSecond(final long nanos) throws InterruptedException
    {
        final ReentrantLock lock = new ReentrantLock();
        final long[] value = new long[1];
        final long[] counts = new long[4];
        final Thread[] threads = new Thread[4];
        final long end = System.nanoTime() + nanos;
        final long start = System.nanoTime();
        for (int t = 0; t < threads.length; t++)
        {
            final int index = t;
            threads[t] = new Thread(() ->
            {
                long n = 0;
                do
                {
                    for (int i = 0; i < 256; i++)
                    {
                        lock.lock();
                        try
                        {
                            value[0]++;
                        }
                        finally
                        {
                            lock.unlock();
                        }
                    }
                    n += 256;
                }
                while (System.nanoTime() < end);
                counts[index] = n;
            });
            threads[t].start();
        }
        long total = 0;
        for (int t = 0; t < threads.length; t++)
        {
            threads[t].join();
            total += counts[t];
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        if (total != value[0])
        {
            throw new IllegalStateException("lost updates under a ReentrantLock");
        }
        return total / seconds;
    }

    private static void shutdown(final ForkJoinPool pool)
    {
        pool.shutdownNow();
        try
        {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
