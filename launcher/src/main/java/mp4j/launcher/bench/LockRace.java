package mp4j.launcher.bench;

import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.session.SharedObject;
import mp4j.sharedctypes.Array;
import mp4j.sharedctypes.Value;
import mp4j.synchronize.AbstractLock;
import mp4j.synchronize.Lock;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * N worker processes updating one shared Value or Array under a lock, as {@code mp_lock_value.py} and
 * {@code mp_lock_array.py} do: the engine of {@code launcher lock-value}, {@code lock-array} and the locked
 * benchmark figures. The workers start together (a gate in shared memory), so JVM start-up is not timed; each
 * records its operations, its time and its thread's CPU time, which shows whether waiting burnt a core.
 */
public final class LockRace
{
    /** How the update is protected. */
    public enum LockKind
    {
        /** The shared object's own RLock ({@code get_lock()}). */
        OWN,
        /** A separate Lock passed to the workers. */
        SEPARATE,
        /** No lock: updates get lost. */
        NONE
    }

    private static final int READY = 0;
    private static final int GO = 1;
    private static final int STATS = 2;
    private static final int STATS_PER_WORKER = 3;

    /**
     * @param opsPerProcess  updates each process made.
     * @param nanosPerProcess each process's time from the gate to its last update.
     * @param cpuNanosPerProcess each worker thread's CPU time over the same span.
     */
    public record Result(
        int procs, LockKind lock, long expected, long actual, long[] opsPerProcess, long[] nanosPerProcess,
        long[] cpuNanosPerProcess)
    {
        /** Wall time of the race: the slowest process. */
        public double seconds()
        {
            long max = 0;
            for (final long nanos : nanosPerProcess)
            {
                max = Math.max(max, nanos);
            }
            return max / 1e9;
        }

        public long totalOps()
        {
            long total = 0;
            for (final long ops : opsPerProcess)
            {
                total += ops;
            }
            return total;
        }

        public double opsPerSecond()
        {
            return totalOps() / seconds();
        }

        public double cpuSeconds()
        {
            long total = 0;
            for (final long nanos : cpuNanosPerProcess)
            {
                total += nanos;
            }
            return total / 1e9;
        }

        /** Smallest over largest per-process share: 1 is perfectly fair. */
        public double fairness()
        {
            long min = Long.MAX_VALUE;
            long max = 0;
            for (final long ops : opsPerProcess)
            {
                min = Math.min(min, ops);
                max = Math.max(max, ops);
            }
            return max == 0 ? 1 : (double)min / max;
        }

        public long lost()
        {
            return expected - actual;
        }
    }

    private LockRace()
    {
    }

    /**
     * Each process adds 1 to a shared Value {@code increments} times ({@code durationNanos} 0), or as often as it
     * can for {@code durationNanos}.
     */
    public static Result value(final int procs, final long increments, final long durationNanos, final LockKind kind)
        throws InterruptedException
    {
        final char type = (long)procs * increments <= Integer.MAX_VALUE && durationNanos == 0 ? 'i' : 'q';
        final Value value = new Value(type, 0L, kind == LockKind.OWN);
        final AbstractLock lock = switch (kind)
        {
            case OWN -> value.getLock();
            case SEPARATE -> new Lock();
            case NONE -> null;
        };
        final Result raw = race(procs, value, lock, increments, durationNanos, 0);
        return new Result(procs, kind, raw.totalOps(), value.get(), raw.opsPerProcess, raw.nanosPerProcess,
            raw.cpuNanosPerProcess);
    }

    /** Each process adds 1.0 to random elements of a shared Array('d', length), under its lock or none. */
    public static Result array(
        final int procs, final int length, final long updates, final long durationNanos, final LockKind kind)
        throws InterruptedException
    {
        final Array array = new Array('d', length, kind == LockKind.OWN);
        final AbstractLock lock = switch (kind)
        {
            case OWN -> array.getLock();
            case SEPARATE -> new Lock();
            case NONE -> null;
        };
        final Result raw = race(procs, array, lock, updates, durationNanos, length);
        double sum = 0;
        for (final double element : array.toDoubleArray())
        {
            sum += element;
        }
        return new Result(procs, kind, raw.totalOps(), Math.round(sum), raw.opsPerProcess, raw.nanosPerProcess,
            raw.cpuNanosPerProcess);
    }

    private static Result race(
        final int procs, final SharedObject target, final AbstractLock lock, final long ops, final long durationNanos,
        final int length) throws InterruptedException
    {
        final Array control = new Array('q', STATS + STATS_PER_WORKER * procs, false);
        final List<Process> processes = new ArrayList<>(procs);
        try
        {
            for (int i = 0; i < procs; i++)
            {
                processes.add(new Process(Worker.class, target, lock, ops, durationNanos, control, i)
                    .name("racer-" + i).daemon(true).start());
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (control.get(READY) < procs)
            {
                for (final Process p : processes)
                {
                    if (!p.isAlive())
                    {
                        throw new IllegalStateException("worker " + p.name() + " exited with " + p.exitCode() +
                            " before the race started; see its output above");
                    }
                }
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("workers did not start within 60 s");
                }
                Thread.sleep(1);
            }
            control.set(GO, 1);
            for (final Process p : processes)
            {
                p.join();
                if (p.exitCode() != 0)
                {
                    throw new IllegalStateException("worker " + p.name() + " failed with exit code " + p.exitCode());
                }
            }
        }
        finally
        {
            for (final Process p : processes)
            {
                if (p.isAlive())
                {
                    p.kill();
                    p.join();
                }
            }
        }
        final long[] opsPer = new long[procs];
        final long[] nanosPer = new long[procs];
        final long[] cpuPer = new long[procs];
        for (int i = 0; i < procs; i++)
        {
            opsPer[i] = control.get(STATS + STATS_PER_WORKER * i);
            nanosPer[i] = control.get(STATS + STATS_PER_WORKER * i + 1);
            cpuPer[i] = control.get(STATS + STATS_PER_WORKER * i + 2);
        }
        return new Result(procs, null, 0, 0, opsPer, nanosPer, cpuPer);
    }

    /** One racer: waits at the gate, then updates until done, and records what it did. */
    public static final class Worker implements Target
    {
        @Override
        public void run(final Object... args)
        {
            final SharedObject target = (SharedObject)args[0];
            final AbstractLock lock = (AbstractLock)args[1];
            final long ops = ((Number)args[2]).longValue();
            final long durationNanos = ((Number)args[3]).longValue();
            final Array control = (Array)args[4];
            final int index = ((Number)args[5]).intValue();
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            control.getAndAdd(READY, 1);
            final BackoffIdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 100_000);
            while (control.get(GO) == 0)
            {
                idle.idle();
            }
            final long cpu0 = threads.getCurrentThreadCpuTime();
            final long t0 = System.nanoTime();
            final long done = target instanceof Value value ?
                runValue(value, lock, ops, durationNanos, t0) :
                runArray((Array)target, lock, ops, durationNanos, t0, index);
            final long nanos = System.nanoTime() - t0;
            final long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            control.set(STATS + STATS_PER_WORKER * index, done);
            control.set(STATS + STATS_PER_WORKER * index + 1, nanos);
            control.set(STATS + STATS_PER_WORKER * index + 2, cpu);
        }

        private static long runValue(
            final Value value, final AbstractLock lock, final long ops, final long durationNanos, final long t0)
        {
            if (durationNanos == 0)
            {
                for (long i = 0; i < ops; i++)
                {
                    increment(value, lock);
                }
                return ops;
            }
            final long end = t0 + durationNanos;
            long done = 0;
            do
            {
                for (int i = 0; i < 256; i++)
                {
                    increment(value, lock);
                }
                done += 256;
            }
            while (System.nanoTime() < end);
            return done;
        }

        private static void increment(final Value value, final AbstractLock lock)
        {
            if (lock == null)
            {
                value.set(value.get() + 1);
                return;
            }
            try (var held = lock.acquired())
            {
                value.set(value.get() + 1);
            }
        }

        private static long runArray(
            final Array array, final AbstractLock lock, final long ops, final long durationNanos, final long t0,
            final int index)
        {
            final int length = array.length();
            long seed = 0x9E3779B97F4A7C15L * (index + 1);
            final long end = durationNanos == 0 ? Long.MAX_VALUE : t0 + durationNanos;
            long done = 0;
            while (durationNanos == 0 ? done < ops : System.nanoTime() < end)
            {
                final long batch = durationNanos == 0 ? Math.min(256, ops - done) : 256;
                for (int i = 0; i < batch; i++)
                {
                    seed ^= seed << 13;
                    seed ^= seed >>> 7;
                    seed ^= seed << 17;
                    final int at = (int)((seed >>> 1) % length);
                    if (lock == null)
                    {
                        array.setDouble(at, array.getDouble(at) + 1.0);
                        continue;
                    }
                    try (var held = lock.acquired())
                    {
                        array.setDouble(at, array.getDouble(at) + 1.0);
                    }
                }
                done += batch;
            }
            return done;
        }
    }
}
