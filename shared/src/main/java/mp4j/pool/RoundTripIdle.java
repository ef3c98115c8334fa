package mp4j.pool;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * How the two ends of a pool's round trip (the handler thread, a worker's loop) wait for the other process: spin a
 * little, yield while yielding is cheap, then park for short, bounded times, so the wait degrades gracefully when
 * the machine is busy.
 * <p>
 * Why (measured on a 2-core machine, docs/benchmarks-analysis.md): a {@code Thread.yield()} costs next to nothing
 * while no other thread wants the core, but on a busy machine it hands the core to another process for its time
 * slice: 70 us a yield on average at load 20, and a round trip that yields 2,000 times before parking spends most of
 * its time behind other processes. A parked thread, by contrast, is woken by its timer and, having slept, is
 * scheduled ahead of the busy ones. So this yields only while a yield returns within {@link #CHEAP_YIELD_NANOS},
 * and parks as soon as one does not. A park's wake-up is late by the thread's timer slack (50 us by default on
 * Linux: {@code parkNanos(1 us)} took 104 us median at load 20, 14 us with a slack of 1 us), so the waiting
 * thread asks for a slack of 1 us ({@link #lowerTimerSlack}). Each park lasts an eighth of the time parked so far
 * (at least 1 us, at most the bound): short while an answer is due any moment, longer when nothing comes, and never
 * more than about 12% late. (Doubling parks, as Agrona's backoff does, reach their bound after 127 us of parking
 * once the slack is low: a 250 us park then makes an answer due at 130 us wait until 380 us.)
 * <p>
 * The bound ({@link #MAX_PARK_NANOS}, 2 ms) is what an idle pool costs: a parked thread's wake-up costs tens of us
 * of CPU on a virtual machine, so four idle workers parking at most 250 us at a time used 44-53% of a core (the
 * program and its workers, {@code pool4_idle_cpu_pct}), which the pool's workers still booting (Pool(4) ready) and
 * those at work (a map's throughput, the round trip's tail) lost on a 2-core machine; 24-30% at 1 ms, 19-21% at
 * 2 ms (Python's pool: 0; docs/benchmarks-analysis.md). The price: a result that comes after a quiet spell of 16 ms
 * or more is seen up to 2 ms late; within a burst the eighth-of-the-wait rule keeps it about 12% late. (Workers now
 * sleep at their doorbell instead, below; the bound is the handler's, and a worker's without a doorbell.)
 * <p>
 * A pool worker parks for at most {@link #SLEEP_AFTER_NANOS} (50 us); then, when this says {@link #sleepy()}, it sleeps
 * at its doorbell ({@link mp4j.process.Doorbell}) until its owner writes a task, so an idle worker uses no CPU and
 * wakes through the kernel. (Sleeping at once cost a map of 200,000 one-item tasks 9-16% of its throughput: each short
 * gap between two tasks cost the owner a pipe write and the worker a wake-up; parking 1 ms first gave timer wake-ups
 * back their 4-5 ms p99 beside two spinning processes.) Such a {@code wakeable} waiter also stops yielding for a while
 * after a yield that took more than {@link #BAR_YIELD_NANOS} (the core went to another process for its time slice, not
 * to the other end of the round trip): 1 ms, doubling while the yields it then tries are still that dear, up to 1 s,
 * and back to none after a cheap one. Beside two spinning processes, one such yield per round trip made its median 2
 * ms; barred, the worker goes from spinning straight to its doorbell and the median stays at about 20 us
 * (docs/benchmarks-analysis.md). The handler keeps yielding and parking: a park of the other end, not a doorbell, is
 * what a wakeable waiter replaces.
 * <p>
 * {@code -Dmp4j.pool.idle=backoff} restores the former Agrona BackoffIdleStrategy (10 spins, 2,000 yields, parks
 * of 1 us doubling to the bound), for comparisons.
 */
final class RoundTripIdle implements IdleStrategy
{
    static final int SPINS = 10;
    static final int MAX_YIELDS = 2_000;
    static final long CHEAP_YIELD_NANOS = 20_000;
    static final long MIN_PARK_NANOS = 1_000;
    static final long TIMER_SLACK_NANOS = 1_000;
    /**
     * The longest park of either end of a pool's round trip (the handler thread, a worker's loop);
     * {@code -Dmp4j.pool.maxParkNanos} sets another, for comparisons.
     */
    static final long MAX_PARK_NANOS = Math.max(MIN_PARK_NANOS, Long.getLong("mp4j.pool.maxParkNanos", 2_000_000));

    /** A yield that took this long handed the core to another process for its time slice (not to our own thread). */
    static final long BAR_YIELD_NANOS = 200_000;
    /** The first time yields are barred after a dear one, in a waiter that can sleep without parking. */
    static final long MIN_BAR_NANOS = 1_000_000;
    /** How long a wakeable waiter parks before it sleeps until woken, when no yield was dear. */
    static final long SLEEP_AFTER_NANOS = 50_000;
    /** The longest time yields are barred: a waiter beside busy processes tries a yield at least this often. */
    static final long MAX_BAR_NANOS = 1_000_000_000;

    private static final int SPINNING = 0;
    private static final int YIELDING = 1;
    private static final int PARKING = 2;

    private final long maxParkNanos;
    private final boolean wakeable;
    private int state = SPINNING;
    private int count;
    private long parkingSince;
    private long barNanos;
    private long barredUntil;
    private boolean sleepAtOnce;

    private RoundTripIdle(final long maxParkNanos, final boolean wakeable)
    {
        this.maxParkNanos = maxParkNanos;
        this.wakeable = wakeable;
    }

    /** The wait of one end of the round trip, parking at most {@code maxParkNanos} at a time. */
    static IdleStrategy create(final long maxParkNanos)
    {
        return create(maxParkNanos, false);
    }

    /**
     * The wait of one end of the round trip, parking at most {@code maxParkNanos} at a time; a {@code wakeable}
     * waiter is one that sleeps until woken when {@link #sleepy()} (a pool worker at its doorbell) rather than park:
     * after a yield found dear it skips yielding for a while (see the class comment).
     */
    static IdleStrategy create(final long maxParkNanos, final boolean wakeable)
    {
        if ("backoff".equals(System.getProperty("mp4j.pool.idle")))
        {
            return new BackoffIdleStrategy(SPINS, MAX_YIELDS, MIN_PARK_NANOS, maxParkNanos);
        }
        lowerTimerSlack();
        return new RoundTripIdle(maxParkNanos, wakeable);
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        switch (state)
        {
            case SPINNING ->
            {
                Thread.onSpinWait();
                if (++count >= SPINS)
                {
                    count = 0;
                    if (wakeable && barNanos > 0 && System.nanoTime() - barredUntil < 0)
                    {
                        state = PARKING; // a yield was dear a moment ago: sleep until woken instead
                        parkingSince = System.nanoTime();
                        sleepAtOnce = true;
                    }
                    else
                    {
                        state = YIELDING;
                    }
                }
            }
            case YIELDING ->
            {
                final long before = System.nanoTime();
                Thread.yield();
                final long after = System.nanoTime();
                if (after - before > CHEAP_YIELD_NANOS)
                {
                    state = PARKING; // another process had the core: a yield now costs its time slice
                    parkingSince = after;
                    if (after - before > BAR_YIELD_NANOS)
                    {
                        sleepAtOnce = true;
                        barNanos = barNanos == 0 ? MIN_BAR_NANOS : Math.min(MAX_BAR_NANOS, barNanos << 1);
                        barredUntil = after + barNanos;
                    }
                }
                else if (++count >= MAX_YIELDS)
                {
                    state = PARKING;
                    parkingSince = after;
                    barNanos = 0;
                }
                else
                {
                    barNanos = 0; // yields are cheap again
                }
            }
            default ->
            {
                // an eighth of the time parked so far: a wake-up is at most about 12% late, however long the wait
                final long parked = System.nanoTime() - parkingSince;
                LockSupport.parkNanos(Math.max(MIN_PARK_NANOS, Math.min(maxParkNanos, parked >> 3)));
            }
        }
    }

    @Override
    public void reset()
    {
        state = SPINNING;
        sleepAtOnce = false;
        count = 0;
    }

    /**
     * Whether a wakeable waiter should now sleep until woken rather than park: at once after a yield handed its core
     * to another process (or while yields are barred), else once it has parked for {@link #SLEEP_AFTER_NANOS}. The
     * parks first keep short gaps (a worker between two tasks of a map) from costing the other end a wake-up.
     */
    boolean sleepy()
    {
        return state == PARKING && (sleepAtOnce || System.nanoTime() - parkingSince >= SLEEP_AFTER_NANOS);
    }

    /** Spinning, yielding or parking: for tests. */
    String phase()
    {
        return state == SPINNING ? "spinning" : state == YIELDING ? "yielding" : "parking";
    }

    @Override
    public String alias()
    {
        return "round-trip";
    }

    /**
     * Asks Linux for a timer slack of {@link #TIMER_SLACK_NANOS} for the calling thread, so that its short parks
     * end on time (a thread may set its own, through /proc/TID/timerslack_ns, without privileges). Best effort:
     * elsewhere, or where /proc says no, the thread keeps its slack.
     */
    static void lowerTimerSlack()
    {
        if ("false".equals(System.getProperty("mp4j.pool.timerSlack")))
        {
            return;
        }
        try
        {
            final Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            final Path slack = Path.of("/proc", self.getFileName().toString(), "timerslack_ns");
            Files.writeString(slack, Long.toString(TIMER_SLACK_NANOS));
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            // not Linux, or not allowed: parks are late by the default slack
        }
    }
}
