package mp4j.launcher;

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
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * N worker processes ("racers") updating one shared Value or Array under a lock, as {@code mp_lock_value.py} and
 * {@code mp_lock_array.py} do: the engine of {@code launcher lock-value} and {@code lock-array}, and of the locked
 * benchmark figures (which use it from here). The racers start together (a gate in shared memory), so JVM start-up
 * is not timed; each records its operations, its time and its thread's CPU time, which shows whether waiting burnt
 * a core.
 *
 * <h2>A racer that dies</h2>
 * In a lecture demo ({@link #valueDemo}, {@link #arrayDemo}) each racer also keeps its own count in shared memory,
 * in the same critical section as its update, so a racer killed at any moment (by {@code --kill-one}, or by
 * hand) leaves a count of what it did. mp4j's lock promise does the rest: the next racer to take the lock from a
 * dead holder gets it within milliseconds and sees {@code ownerDied()} (POSIX's EOWNERDEAD), and repairs what the
 * dead one left half done: a Value's count becomes the sum of the racers' own counts. An Array's update in flight
 * cannot be told from the others, so its sum may hold one update more than the counts. The parent reads the
 * result under the lock too, and repairs if no racer was left to.
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

    /** The control array: the gate, the demo's kill and recovery, then each racer's statistics. */
    private static final int READY = 0;
    private static final int GO = 1;
    /** 1 + the index of the racer that waits, holding the lock with its update half done, to be killed. */
    private static final int HALTED = 2;
    /** 1 + the index of the last racer that took the lock from a dead holder; -1: the parent; 0: none did. */
    private static final int RECOVERED_BY = 3;
    /** When, as {@code System.nanoTime()}: CLOCK_MONOTONIC, one clock for every process of the machine. */
    private static final int RECOVERED_AT = 4;
    private static final int REPAIRED_FROM = 5;
    private static final int REPAIRED_TO = 6;
    private static final int STATS = 7;
    /** Per racer: updates done (kept in the critical section in a demo), nanoseconds, CPU nanoseconds. */
    private static final int STATS_PER_RACER = 3;
    private static final int PARENT = -1;
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    /** What a race does; {@code length} 0 races over a Value. */
    private record Plan(int procs, long ops, long durationNanos, LockKind kind, int length, boolean demo,
        boolean killOne)
    {
    }

    /**
     * A racer that did not finish.
     *
     * @param done      the updates it made and counted.
     * @param killedNs  when {@code --kill-one} killed it ({@code System.nanoTime()}), 0 when it died otherwise.
     */
    public record Death(String racer, long pid, int exitCode, long done, long killedNs)
    {
    }

    /**
     * The last take-over of the lock from a dead holder.
     *
     * @param by         the racer that did it, or "the parent".
     * @param atNs       when, as {@code System.nanoTime()}.
     * @param repairedFrom the Value's count the dead holder left (-1 for an Array: nothing to repair).
     * @param repairedTo the count it repaired it to: the sum of the racers' own counts.
     */
    public record Recovery(String by, long pid, long atNs, long repairedFrom, long repairedTo)
    {
    }

    /**
     * @param expected           what the total must be: every update the racers made (and, in a demo, counted).
     * @param planned            every update asked for: {@code expected} unless a racer died.
     * @param opsPerProcess      updates each process made.
     * @param nanosPerProcess    each process's time from the gate to its last update (0 for one that died).
     * @param cpuNanosPerProcess each worker thread's CPU time over the same span.
     * @param startNs            when the racers were let go, as {@code System.nanoTime()}.
     */
    public record Result(
        int procs, LockKind lock, long expected, long actual, long[] opsPerProcess, long[] nanosPerProcess,
        long[] cpuNanosPerProcess, long planned, long startNs, List<Death> deaths, Recovery recovery)
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

        /** 0 when no process timed its race (the only one was killed). */
        public double opsPerSecond()
        {
            return seconds() == 0 ? 0 : totalOps() / seconds();
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
     * For the benchmarks: each process adds 1 to a shared Value {@code increments} times ({@code durationNanos}
     * 0), or as often as it can for {@code durationNanos}.
     */
    public static Result value(final int procs, final long increments, final long durationNanos, final LockKind kind)
        throws InterruptedException
    {
        return run(new Plan(procs, increments, durationNanos, kind, 0, false, false));
    }

    /** For the benchmarks: each process adds 1.0 to random elements of a shared Array('d', length). */
    public static Result array(
        final int procs, final int length, final long updates, final long durationNanos, final LockKind kind)
        throws InterruptedException
    {
        return run(new Plan(procs, updates, durationNanos, kind, length, false, false));
    }

    /**
     * lock-value: each process adds 1 to a shared Value {@code increments} times, counting them; with
     * {@code killOne}, the last racer is killed (SIGKILL) holding the lock halfway through its increments.
     */
    static Result valueDemo(final int procs, final long increments, final LockKind kind, final boolean killOne)
        throws InterruptedException
    {
        return valueDemo(procs, increments, kind, killOne, racers -> { });
    }

    /** As above; {@code whenStarted} gets the racers as they are let go (a test kills one, as a user might). */
    static Result valueDemo(final int procs, final long increments, final LockKind kind, final boolean killOne,
        final Consumer<List<Process>> whenStarted) throws InterruptedException
    {
        return run(new Plan(procs, increments, 0, kind, 0, true, killOne), whenStarted);
    }

    /** lock-array: each process adds 1.0 to random elements of a shared Array('d', length), counting them. */
    static Result arrayDemo(final int procs, final int length, final long updates, final LockKind kind)
        throws InterruptedException
    {
        return run(new Plan(procs, updates, 0, kind, length, true, false), racers -> { });
    }

    private static Result run(final Plan plan) throws InterruptedException
    {
        return run(plan, racers -> { });
    }

    private static Result run(final Plan plan, final Consumer<List<Process>> whenStarted)
        throws InterruptedException
    {
        final SharedObject target;
        final AbstractLock ownLock;
        if (plan.length == 0)
        {
            final char type = (long)plan.procs * plan.ops <= Integer.MAX_VALUE && plan.durationNanos == 0 ? 'i' : 'q';
            final Value value = new Value(type, 0L, plan.kind == LockKind.OWN);
            target = value;
            ownLock = plan.kind == LockKind.OWN ? value.getLock() : null;
        }
        else
        {
            final Array array = new Array('d', plan.length, plan.kind == LockKind.OWN);
            target = array;
            ownLock = plan.kind == LockKind.OWN ? array.getLock() : null;
        }
        final AbstractLock lock = switch (plan.kind)
        {
            case OWN -> ownLock;
            case SEPARATE -> new Lock();
            case NONE -> null;
        };
        final Array control = new Array('q', STATS + STATS_PER_RACER * plan.procs, false);
        final List<Process> racers = new ArrayList<>(plan.procs);
        final List<Death> deaths = new ArrayList<>();
        final long startNs;
        try
        {
            for (int i = 0; i < plan.procs; i++)
            {
                final long haltAt = plan.killOne && i == plan.procs - 1 ? plan.ops / 2 : -1;
                racers.add(new Process(Racer.class, target, lock, plan.ops, plan.durationNanos, control, i, plan.procs,
                    plan.demo, haltAt).name("racer-" + i).daemon(true).start());
            }
            awaitReady(racers, control);
            startNs = System.nanoTime();
            control.set(GO, 1);
            whenStarted.accept(List.copyOf(racers));
            final long killedNs = plan.killOne ? killHalted(racers.get(plan.procs - 1), control) : 0;
            for (int i = 0; i < plan.procs; i++)
            {
                final Process racer = racers.get(i);
                racer.join();
                if (racer.exitCode() != 0)
                {
                    deaths.add(new Death(racer.name(), racer.pid(), racer.exitCode(),
                        control.get(STATS + STATS_PER_RACER * i), i == plan.procs - 1 ? killedNs : 0));
                }
            }
            if (!plan.demo && !deaths.isEmpty())
            {
                throw new IllegalStateException("worker " + deaths.get(0).racer() + " failed with exit code " +
                    deaths.get(0).exitCode() + " (a benchmark's racers must all finish)");
            }
        }
        finally
        {
            for (final Process p : racers)
            {
                if (p.isAlive())
                {
                    p.kill();
                    p.join();
                }
            }
        }
        return result(plan, target, lock, control, racers, deaths, startNs);
    }

    private static void awaitReady(final List<Process> racers, final Array control) throws InterruptedException
    {
        final long deadline = System.nanoTime() + START_TIMEOUT_NS;
        while (control.get(READY) < racers.size())
        {
            for (final Process p : racers)
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
    }

    /** Waits until {@code victim} holds the lock with its update half done, then kills it; returns when. */
    private static long killHalted(final Process victim, final Array control) throws InterruptedException
    {
        final long deadline = System.nanoTime() + START_TIMEOUT_NS;
        while (control.get(HALTED) == 0 && victim.isAlive())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException(victim.name() + " did not reach its halfway point within 60 s");
            }
            Thread.sleep(1);
        }
        victim.kill();
        return System.nanoTime();
    }

    private static Result result(final Plan plan, final SharedObject target, final AbstractLock lock,
        final Array control, final List<Process> racers, final List<Death> deaths, final long startNs)
    {
        final long[] opsPer = new long[plan.procs];
        final long[] nanosPer = new long[plan.procs];
        final long[] cpuPer = new long[plan.procs];
        for (int i = 0; i < plan.procs; i++)
        {
            opsPer[i] = control.get(STATS + STATS_PER_RACER * i);
            nanosPer[i] = control.get(STATS + STATS_PER_RACER * i + 1);
            cpuPer[i] = control.get(STATS + STATS_PER_RACER * i + 2);
        }
        for (final Death death : deaths)
        {
            if (death.killedNs() != 0)
            {
                nanosPer[racers.size() - 1] = death.killedNs() - startNs; // it raced until it was killed
            }
        }
        long expected = 0;
        for (final long ops : opsPer)
        {
            expected += ops;
        }
        final long actual;
        if (lock != null && plan.demo)
        {
            // under the lock, as the racers: if its last holder died and no racer was left to take it, this repairs
            lock.acquire();
            try
            {
                if (lock.ownerDied())
                {
                    Racer.recover(target, control, plan.procs, PARENT);
                }
                actual = total(target);
            }
            finally
            {
                lock.release();
            }
        }
        else
        {
            actual = total(target);
        }
        final long by = control.get(RECOVERED_BY);
        final Recovery recovery = by == 0 ? null : new Recovery(
            by == PARENT ? "the parent" : racers.get((int)by - 1).name(),
            by == PARENT ? ProcessHandle.current().pid() : racers.get((int)by - 1).pid(),
            control.get(RECOVERED_AT), plan.length == 0 ? control.get(REPAIRED_FROM) : -1,
            plan.length == 0 ? control.get(REPAIRED_TO) : -1);
        final long planned = plan.durationNanos == 0 ? plan.procs * plan.ops : expected;
        return new Result(plan.procs, plan.kind, expected, actual, opsPer, nanosPer, cpuPer, planned, startNs,
            List.copyOf(deaths), recovery);
    }

    private static long total(final SharedObject target)
    {
        if (target instanceof Value value)
        {
            return value.get();
        }
        double sum = 0;
        for (final double element : ((Array)target).toDoubleArray())
        {
            sum += element;
        }
        return Math.round(sum);
    }

    /** One racer: waits at the gate, then updates until done, and records what it did. */
    public static final class Racer implements Target
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
            final int procs = ((Number)args[6]).intValue();
            final boolean demo = (Boolean)args[7];
            final long haltAt = ((Number)args[8]).longValue();
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            control.getAndAdd(READY, 1);
            final BackoffIdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 100_000);
            while (control.get(GO) == 0)
            {
                idle.idle();
            }
            final long cpu0 = threads.getCurrentThreadCpuTime();
            final long t0 = System.nanoTime();
            final int doneAt = STATS + STATS_PER_RACER * index;
            final long done;
            if (demo)
            {
                done = target instanceof Value value ? countedValue(value, lock, ops, control, procs, index, haltAt) :
                    countedArray((Array)target, lock, ops, control, procs, index);
            }
            else
            {
                done = target instanceof Value value ? runValue(value, lock, ops, durationNanos, t0) :
                    runArray((Array)target, lock, ops, durationNanos, t0, index);
            }
            final long nanos = System.nanoTime() - t0;
            final long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            control.set(doneAt, done);
            control.set(doneAt + 1, nanos);
            control.set(doneAt + 2, cpu);
        }

        /**
         * The demo's increments: the Value and this racer's own count change in one critical section, so what a
         * dead holder left half done is always "the Value written, the count not", which {@link #recover} undoes.
         */
        private static long countedValue(final Value value, final AbstractLock lock, final long ops,
            final Array control, final int procs, final int index, final long haltAt)
        {
            final int doneAt = STATS + STATS_PER_RACER * index;
            for (long i = 0; i < ops; i++)
            {
                if (lock == null)
                {
                    value.set(value.get() + 1);
                    control.set(doneAt, i + 1);
                    continue;
                }
                lock.acquire();
                try
                {
                    if (lock.ownerDied())
                    {
                        recover(value, control, procs, index);
                    }
                    value.set(value.get() + 1);
                    if (i == haltAt)
                    {
                        control.set(HALTED, index + 1);
                        while (true)
                        {
                            LockSupport.parkNanos(1_000_000); // holding the lock until --kill-one kills it
                        }
                    }
                    control.set(doneAt, i + 1);
                }
                finally
                {
                    lock.release();
                }
            }
            return ops;
        }

        private static long countedArray(final Array array, final AbstractLock lock, final long ops,
            final Array control, final int procs, final int index)
        {
            final int length = array.length();
            final int doneAt = STATS + STATS_PER_RACER * index;
            long seed = 0x9E3779B97F4A7C15L * (index + 1);
            for (long i = 0; i < ops; i++)
            {
                seed = next(seed);
                final int at = (int)((seed >>> 1) % length);
                if (lock == null)
                {
                    array.setDouble(at, array.getDouble(at) + 1.0);
                    control.set(doneAt, i + 1);
                    continue;
                }
                lock.acquire();
                try
                {
                    if (lock.ownerDied())
                    {
                        recover(array, control, procs, index);
                    }
                    array.setDouble(at, array.getDouble(at) + 1.0);
                    control.set(doneAt, i + 1);
                }
                finally
                {
                    lock.release();
                }
            }
            return ops;
        }

        /**
         * What the next holder of a lock whose holder died does (it holds the lock): repairs a Value to the sum of
         * the racers' own counts, and notes who recovered and when. {@code index} {@link #PARENT}: the parent.
         */
        static void recover(final SharedObject target, final Array control, final int procs, final int index)
        {
            if (target instanceof Value value)
            {
                long sum = 0;
                for (int i = 0; i < procs; i++)
                {
                    sum += control.get(STATS + STATS_PER_RACER * i);
                }
                control.set(REPAIRED_FROM, value.get());
                value.set(sum);
                control.set(REPAIRED_TO, sum);
            }
            control.set(RECOVERED_AT, System.nanoTime());
            control.set(RECOVERED_BY, index == PARENT ? PARENT : index + 1);
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
                    seed = next(seed);
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

        /** xorshift64: the next of a racer's own random sequence of elements. */
        private static long next(final long seed)
        {
            long s = seed;
            s ^= s << 13;
            s ^= s >>> 7;
            s ^= s << 17;
            return s;
        }
    }
}
