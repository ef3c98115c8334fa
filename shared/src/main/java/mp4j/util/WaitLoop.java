package mp4j.util;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * How a thread waits for another process to change shared memory: the one loop of every blocking call of mp4j
 * (locks, semaphores, events, conditions and barriers; queues and pipes through their {@code Waiting}), with the
 * pace of waiting decided here, once. One wait, allocation-free:
 * <pre>{@code
 * final WaitLoop wait = WaitLoop.ofThisThread().begin(timeoutNs, LIVENESS_CHECK_NS, buffer, WAITERS_OFFSET);
 * try
 * {
 *     while (!done())                        // what the caller waits for, read from shared memory
 *     {
 *         if (wait.checkDue() && ownerDied()) // now and then: what costs a system call
 *         {
 *             ...
 *         }
 *         if (wait.timedOut())
 *         {
 *             return false;
 *         }
 *         wait.idleUninterruptibly();        // or: if (Thread.interrupted()) throw ...; wait.idle();
 *     }
 *     return true;
 * }
 * finally
 * {
 *     wait.end();                            // counts this thread out of the waiters, gives back an interrupt
 * }
 * }</pre>
 * The clock is read once per round, after the idle; {@link #checkDue()} and {@link #timedOut()} read what it said.
 */
public final class WaitLoop
{
    /** A timeout that never comes. */
    public static final long FOREVER = -1;

    /**
     * How long a waiter spins, yields and parks: Agrona's {@link BackoffIdleStrategy}, parks growing from 1 us to
     * 1 ms, so a waiter wakes within a millisecond and burns no core while nothing comes.
     */
    public enum Pace
    {
        /**
         * Locks, semaphores, events, conditions, barriers: a holder descheduled on a busy core needs its time slice
         * back to release, and waiters that yield through it only steal it; so 20 yields, then park.
         */
        LOCK(10, 20),
        /**
         * Queues and pipes: what a waiter waits for usually comes from a process running on another core within
         * microseconds, so it yields long (2000 times) before it parks.
         */
        MESSAGE(10, 2_000);

        private static final long MIN_PARK_NS = 1_000;
        private static final long MAX_PARK_NS = 1_000_000;

        private final long spins;
        private final long yields;

        Pace(final long spins, final long yields)
        {
            this.spins = spins;
            this.yields = yields;
        }

        BackoffIdleStrategy newIdleStrategy()
        {
            return new BackoffIdleStrategy(spins, yields, MIN_PARK_NS, MAX_PARK_NS);
        }
    }

    private static final ThreadLocal<WaitLoop> THIS_THREADS = ThreadLocal.withInitial(() -> new WaitLoop(Pace.LOCK));

    private final BackoffIdleStrategy idle;
    private AtomicBuffer waiters;
    private int waitersOffset;
    private long timeoutNs;
    private long checkEveryNs;
    private long start;
    private long now;
    private long nextCheck;
    private boolean interrupted;
    private boolean active;

    /** A loop of its own, for an object that waits again and again (a queue's consumer, a pool's handler). */
    public WaitLoop(final Pace pace)
    {
        this.idle = pace.newIdleStrategy();
    }

    /**
     * This thread's loop at {@link Pace#LOCK}, so that a wait allocates nothing; a new one while this thread's is in
     * a wait already (a wait begun inside another one's check).
     */
    public static WaitLoop ofThisThread()
    {
        final WaitLoop loop = THIS_THREADS.get();
        return loop.active ? new WaitLoop(Pace.LOCK) : loop;
    }

    /**
     * Begins a wait that counts no waiters.
     *
     * @param timeoutNs    how long it may last: {@link #FOREVER}, 0 (timed out at once) or more.
     * @param checkEveryNs how often {@link #checkDue()} says yes; 0 never.
     */
    public WaitLoop begin(final long timeoutNs, final long checkEveryNs)
    {
        return begin(timeoutNs, checkEveryNs, null, 0);
    }

    /**
     * Begins a wait, counting this thread in the int at {@code waitersOffset} of {@code waiters} (by atomic add)
     * until {@link #end()}, which must follow.
     */
    public WaitLoop begin(final long timeoutNs, final long checkEveryNs, final AtomicBuffer waiters,
        final int waitersOffset)
    {
        if (active && this.waiters != null)
        {
            throw new IllegalStateException("a wait counted in waiters was not ended");
        }
        this.timeoutNs = timeoutNs;
        this.checkEveryNs = checkEveryNs;
        this.start = System.nanoTime();
        this.now = start;
        this.nextCheck = start + checkEveryNs;
        this.interrupted = false;
        this.active = true;
        this.waiters = waiters;
        this.waitersOffset = waitersOffset;
        idle.reset();
        if (waiters != null)
        {
            waiters.getAndAddInt(waitersOffset, 1);
        }
        return this;
    }

    /** True once every {@code checkEveryNs}: time for the check that costs more than a read (a process alive?). */
    public boolean checkDue()
    {
        if (checkEveryNs <= 0 || now - nextCheck < 0)
        {
            return false;
        }
        nextCheck = now + checkEveryNs;
        return true;
    }

    /** True once the wait has lasted its timeout. */
    public boolean timedOut()
    {
        return timeoutNs >= 0 && now - start >= timeoutNs;
    }

    /** Waits a little, as the pace says (spin, yield or park), then reads the clock. */
    public void idle()
    {
        idle.idle();
        now = System.nanoTime();
    }

    /**
     * As {@link #idle()}, for a wait an interrupt does not end (acquiring a lock, as Python's): the interrupt is
     * cleared, as it would make every park return at once (a hot spin), and {@link #end()} sets it again.
     */
    public void idleUninterruptibly()
    {
        if (Thread.interrupted())
        {
            interrupted = true;
        }
        idle();
    }

    /** Something moved (a part of a message came): spin again before yielding or parking. */
    public void progressed()
    {
        idle.reset();
    }

    /** Ends the wait: counts this thread out of the waiters, and gives back an interrupt kept meanwhile. */
    public void end()
    {
        if (!active)
        {
            return;
        }
        active = false;
        if (waiters != null)
        {
            waiters.getAndAddInt(waitersOffset, -1);
            waiters = null;
        }
        if (interrupted)
        {
            interrupted = false;
            Thread.currentThread().interrupt();
        }
    }
}
