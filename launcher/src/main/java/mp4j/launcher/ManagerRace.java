package mp4j.launcher;

import mp4j.managers.Manager;
import mp4j.managers.ManagerCheck;
import mp4j.managers.Namespace;
import mp4j.managers.SharedDict;
import mp4j.managers.SharedList;
import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.sharedctypes.Array;
import mp4j.synchronize.Lock;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * N worker processes add 1 to counters in one {@code manager.dict()}, spread over a few keys: the engine of
 * {@code launcher manager} and of the manager benchmark figures. Each worker also appends its pid to a
 * {@code manager.list()} and counts itself in a Namespace. The workers start together at a gate in shared
 * memory, so JVM start-up is not timed; before it, each makes {@link #WARM_UP} increments of the same kind in a
 * dict of its own, so the race times compiled code, not the JIT's first steps (Python has none to take).
 */
public final class ManagerRace
{
    /** The counters' keys: worker i's j-th increment goes to KEYS[(i + j) % KEYS.length]. */
    public static final List<String> KEYS = List.of("a", "b", "c", "d", "e");
    /** Increments each worker makes in a dict of its own before the gate. */
    public static final int WARM_UP = 20_000;

    /** How an increment is made. */
    public enum Mode
    {
        /** {@code d.merge(k, 1, Long::sum)}: one atomic call. */
        MERGE,
        /** Python's way: {@code with lock: d[k] = d.get(k, 0) + 1}, the lock a {@code manager.Lock()}. */
        LOCKED
    }

    private static final int READY = 0;
    private static final int GO = 1;
    private static final int STATS = 2;

    /**
     * @param counters the dict at the end.
     * @param pids     the list at the end: one pid per worker.
     * @param namespace the Namespace at the end, as Python prints it.
     * @param cpuSeconds the workers' CPU time over the race (their counting threads).
     * @param check    the manager's own check of its blocks after the race.
     */
    public record Result(
        int procs, Mode mode, long expected, long actual, Map<String, Long> counters, List<Long> pids,
        String namespace, long[] opsPerProcess, long[] nanosPerProcess, double cpuSeconds, ManagerCheck check)
    {
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
            return totalOps() / Math.max(1e-9, seconds());
        }

        public boolean exact()
        {
            return expected == actual && check.ok();
        }

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
    }

    private ManagerRace()
    {
    }

    /** Each process makes {@code increments} increments ({@code durationNanos} 0), or as many as it can in that time. */
    public static Result run(final int procs, final long increments, final long durationNanos, final Mode mode)
        throws InterruptedException
    {
        try (Manager manager = new Manager())
        {
            final SharedDict<String, Long> counters = manager.dict();
            final SharedDict<String, Long> warm = manager.dict();
            final SharedList<Long> pids = manager.list();
            final Namespace ns = manager.namespace();
            final Lock lock = manager.lock();
            final Array control = new Array('q', STATS + 3 * procs, false);
            final List<Process> processes = new ArrayList<>(procs);
            try
            {
                for (int i = 0; i < procs; i++)
                {
                    processes.add(new Process(Worker.class, counters, pids, ns, mode == Mode.LOCKED ? lock : null,
                        increments, durationNanos, control, i, warm).name("counter-" + i).daemon(true).start());
                }
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
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
                        throw new IllegalStateException("workers did not start and warm up within 120 s");
                    }
                    Thread.sleep(1);
                }
                control.set(GO, 1);
                for (final Process p : processes)
                {
                    p.join();
                    if (p.exitCode() != 0)
                    {
                        throw new IllegalStateException("worker " + p.name() + " failed with exit code " +
                            p.exitCode());
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
            final long[] ops = new long[procs];
            final long[] nanos = new long[procs];
            long cpu = 0;
            long expected = 0;
            for (int i = 0; i < procs; i++)
            {
                ops[i] = control.get(STATS + 3 * i);
                nanos[i] = control.get(STATS + 3 * i + 1);
                cpu += control.get(STATS + 3 * i + 2);
                expected += ops[i];
            }
            final Map<String, Long> copy = new LinkedHashMap<>();
            long actual = 0;
            for (final String key : KEYS)
            {
                final Long value = counters.get(key);
                if (value != null)
                {
                    copy.put(key, value);
                    actual += value;
                }
            }
            return new Result(procs, mode, expected, actual, copy, pids.copy(), ns.toString(), ops, nanos, cpu / 1e9,
                manager.check());
        }
    }

    /** One worker: waits at the gate, increments, records what it did. */
    public static final class Worker implements Target
    {
        @Override
        @SuppressWarnings("unchecked")
        public void run(final Object... args)
        {
            final SharedDict<String, Long> counters = (SharedDict<String, Long>)args[0];
            final SharedList<Long> pids = (SharedList<Long>)args[1];
            final Namespace ns = (Namespace)args[2];
            final Lock lock = (Lock)args[3];
            final long increments = ((Number)args[4]).longValue();
            final long durationNanos = ((Number)args[5]).longValue();
            final Array control = (Array)args[6];
            final int index = ((Number)args[7]).intValue();
            final String[] keys = KEYS.toArray(new String[0]);
            final SharedDict<String, Long> warm = (SharedDict<String, Long>)args[8];
            final String[] warmKeys = {"w" + index + "a", "w" + index + "b"};
            for (int i = 0; i < WARM_UP; i++)
            {
                increment(warm, lock, warmKeys[i & 1]);
            }
            control.getAndAdd(READY, 1);
            final BackoffIdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 100_000);
            while (control.get(GO) == 0)
            {
                idle.idle();
            }
            final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            final long cpu0 = threads.getCurrentThreadCpuTime();
            final long t0 = System.nanoTime();
            final long end = durationNanos == 0 ? Long.MAX_VALUE : t0 + durationNanos;
            long done = 0;
            while (durationNanos == 0 ? done < increments : System.nanoTime() < end)
            {
                final long batch = durationNanos == 0 ? Math.min(16, increments - done) : 16;
                for (int i = 0; i < batch; i++)
                {
                    increment(counters, lock, keys[(int)((index + done + i) % keys.length)]);
                }
                done += batch;
            }
            final long nanos = System.nanoTime() - t0;
            control.set(STATS + 3 * index, done);
            control.set(STATS + 3 * index + 1, nanos);
            control.set(STATS + 3 * index + 2, threads.getCurrentThreadCpuTime() - cpu0);
            pids.add(ProcessHandle.current().pid());
            ns.merge("workers", 1, Integer::sum);
            ns.set("last", "counter-" + index);
        }

        private static void increment(final SharedDict<String, Long> counters, final Lock lock, final String key)
        {
            if (lock == null)
            {
                counters.merge(key, 1L, Long::sum);
                return;
            }
            try (var held = lock.acquired())
            {
                counters.set(key, counters.getOrDefault(key, 0L) + 1);
            }
        }
    }
}
