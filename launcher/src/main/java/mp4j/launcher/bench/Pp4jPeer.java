package mp4j.launcher.bench;

import net.viktorc.pp4j.api.JavaProcessExecutorService;
import net.viktorc.pp4j.impl.JavaProcessPoolExecutor;
import net.viktorc.pp4j.impl.SimpleJavaProcessOptions;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Java peer of mp4j's Pool: PP4J's {@code JavaProcessPoolExecutor}, an ExecutorService over worker JVMs that
 * it feeds serialized tasks over their stdin and stdout. The same work as mp4j's figures, on 4 worker JVMs.
 */
final class Pp4jPeer implements AutoCloseable
{
    private final JavaProcessExecutorService pool;

    /** A pool of {@code processes} worker JVMs, started and ready when this returns (PP4J's constructor waits). */
    Pp4jPeer(final int processes) throws InterruptedException
    {
        pool = new JavaProcessPoolExecutor(new SimpleJavaProcessOptions(0), processes, processes, 0, null, false);
    }

    /** Milliseconds from a new pool of 4 to its first result, as pool4_ready_ms measures mp4j. */
    static double readyMillis() throws Exception
    {
        final long start = System.nanoTime();
        try (Pp4jPeer peer = new Pp4jPeer(4))
        {
            peer.call(1);
            return (System.nanoTime() - start) / 1e6;
        }
    }

    /** One task's result: {@code x + 1}, computed in a worker JVM. */
    int call(final int x) throws Exception
    {
        return pool.submit((Callable<Integer> & Serializable)() -> x + 1).get();
    }

    /** Round trips of {@code n} sequential calls after {@code warmUp} untimed ones, in microseconds. */
    double[] roundTripsMicros(final int warmUp, final int n) throws Exception
    {
        for (int i = 0; i < warmUp; i++)
        {
            call(i);
        }
        final double[] us = new double[n];
        for (int i = 0; i < n; i++)
        {
            final long start = System.nanoTime();
            call(i);
            us[i] = (System.nanoTime() - start) / 1e3;
        }
        return us;
    }

    /** Items per second of {@code x * x} over {@code n} items, one task each (PP4J has no map nor chunks). */
    double mapItemsPerSecond(final int n) throws Exception
    {
        final long start = System.nanoTime();
        final List<Future<Integer>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final int x = i;
            futures.add(pool.submit((Callable<Integer> & Serializable)() -> x * x));
        }
        long sum = 0;
        for (final Future<Integer> future : futures)
        {
            sum += future.get();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        if (sum != sumOfSquares(n))
        {
            throw new IllegalStateException("PP4J returned wrong squares");
        }
        return n / seconds;
    }

    static long sumOfSquares(final int n)
    {
        long sum = 0;
        for (long i = 0; i < n; i++)
        {
            sum += i * i;
        }
        return sum;
    }

    /**
     * What PP4J does when a worker JVM is killed mid-job: 4 tasks of {@code taskMillis} each, one worker killed
     * (SIGKILL) after {@code killAfterMillis}, then up to {@code timeoutMillis} for the results.
     */
    static KilledOutcome killedMidJob(final long taskMillis, final long killAfterMillis, final long timeoutMillis)
        throws Exception
    {
        try (Pp4jPeer peer = new Pp4jPeer(4))
        {
            final List<Long> before = childPids();
            final long start = System.nanoTime();
            final List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                futures.add(peer.pool.submit((Callable<Integer> & Serializable)() ->
                {
                    Thread.sleep(taskMillis);
                    return 1;
                }));
            }
            Thread.sleep(killAfterMillis);
            ProcessHandle.of(before.get(0)).ifPresent(ProcessHandle::destroyForcibly);
            return KilledOutcome.collect(futures, start, timeoutMillis);
        }
    }

    /** The launcher's child JVMs: PP4J's workers, when no mp4j worker runs. */
    static List<Long> childPids()
    {
        final List<Long> pids = new ArrayList<>();
        ProcessHandle.current().children().forEach(child -> pids.add(child.pid()));
        if (pids.isEmpty())
        {
            throw new IllegalStateException("PP4J started no worker processes");
        }
        return pids;
    }

    @Override
    public void close()
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

    /** How a job with a killed worker ended: finished, failed or hung, and when. */
    record KilledOutcome(int finished, int failed, int hung, double seconds, String firstError)
    {
        static KilledOutcome collect(final List<? extends Future<?>> futures, final long startNanos,
            final long timeoutMillis) throws InterruptedException
        {
            final long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            int finished = 0;
            int failed = 0;
            int hung = 0;
            String firstError = null;
            for (final Future<?> future : futures)
            {
                try
                {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    finished++;
                }
                catch (final ExecutionException ex)
                {
                    failed++;
                    if (firstError == null)
                    {
                        firstError = String.valueOf(ex.getCause());
                    }
                }
                catch (final TimeoutException ex)
                {
                    hung++;
                }
            }
            return new KilledOutcome(finished, failed, hung, (System.nanoTime() - startNanos) / 1e9, firstError);
        }

        /** One line for the docs: "finished 4 of 4 in 3.1 s", "1 of 4 failed (...)", "hung: ...". */
        String text(final long timeoutMillis)
        {
            final int total = finished + failed + hung;
            if (hung > 0)
            {
                return "hung: " + hung + " of " + total + " tasks without a result after " + timeoutMillis / 1000 +
                    " s (" + finished + " finished, " + failed + " failed)";
            }
            if (failed > 0)
            {
                return failed + " of " + total + " tasks failed after " + String.format("%.1f s", seconds) +
                    " (" + abbreviate(firstError) + "), " + finished + " finished";
            }
            return "finished " + finished + " of " + total + " in " + String.format("%.1f s", seconds);
        }

        private static String abbreviate(final String text)
        {
            final String oneLine = String.valueOf(text).replace('\n', ' ');
            return oneLine.length() > 100 ? oneLine.substring(0, 100) + "..." : oneLine;
        }
    }
}
