package mp4j.synchronize;

import mp4j.session.CurrentSlot;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.util.WaitLoop;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.TimeUnit;

import static mp4j.synchronize.LockWordLayout.COUNT_OFFSET;
import static mp4j.synchronize.LockWordLayout.LENGTH;
import static mp4j.synchronize.LockWordLayout.OWNER_DIED_OFFSET;
import static mp4j.synchronize.LockWordLayout.OWNER_GENERATION_SHIFT;
import static mp4j.synchronize.LockWordLayout.OWNER_OFFSET;
import static mp4j.synchronize.LockWordLayout.OWNER_SLOT_SHIFT;
import static mp4j.synchronize.LockWordLayout.RECOVERIES_OFFSET;
import static mp4j.synchronize.LockWordLayout.WAITERS_OFFSET;

/**
 * Flyweight over a robust lock in a session's data area: the state of every {@link Lock} and {@link RLock}, and
 * the lock of a {@code Value} or {@code Array}. Its bytes: {@link LockWordLayout}.
 * <p>
 * Waiters spin briefly, then yield, then park with growing periods ({@link WaitLoop.Pace#LOCK}), so contention
 * on fewer cores than processes still progresses. A waiter that has waited {@value #LIVENESS_INTERVAL_MS} ms
 * checks the owner's process (slot generation, pid and start time in the {@link ProcessTable}) and, if it has
 * died, takes the lock over by CAS from that exact owner value: one waiter wins, and it sees
 * {@link #ownerDied()} true, so it can repair what the dead owner left half done.
 */
public final class LockWord
{
    /** acquire's results. */
    public static final int TIMED_OUT = 0;
    public static final int ACQUIRED = 1;
    public static final int RECOVERED = 2;

    /** Waiting forever, for {@link #acquire(long, long)}. */
    public static final long FOREVER = WaitLoop.FOREVER;

    static final long LIVENESS_INTERVAL_MS = 10;
    static final long LIVENESS_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(LIVENESS_INTERVAL_MS);
    private static final long THREAD_MASK = 0xFFFF_FFFFL;

    private final AtomicBuffer buffer;
    private final int offset;
    private final ProcessTable table;
    private long processBits;
    private long lastLivenessCheckNs;

    public LockWord(final Session session, final long offset)
    {
        if ((offset & 7) != 0 || offset < session.dataOffset() ||
            offset + LENGTH > session.dataOffset() + session.dataLength())
        {
            throw new IllegalArgumentException("lock offset " + offset + " is not an aligned offset inside the " +
                "data area of session " + session.name() + "; the directory entry is corrupt");
        }
        this.buffer = session.buffer();
        this.offset = (int)offset;
        this.table = session.processTable();
        this.lastLivenessCheckNs = System.nanoTime() - LIVENESS_INTERVAL_NS;
    }

    public int offset()
    {
        return offset;
    }

    /** The owner value of the calling thread in this process: see the layout. */
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; getId() is the same number
    public long me()
    {
        final int slot = CurrentSlot.get();
        long bits = processBits;
        if (bits == 0 || slotOf(bits) != slot)
        {
            bits = processBits(slot, table.generation(slot));
            processBits = bits;
        }
        return bits | (Thread.currentThread().getId() & THREAD_MASK);
    }

    static long processBits(final int slot, final int generation)
    {
        return ((long)(generation & 0xFFFF) << OWNER_GENERATION_SHIFT) | ((long)(slot + 1) << OWNER_SLOT_SHIFT);
    }

    /** The owner's process slot, or -1 when free. */
    public static int slotOf(final long owner)
    {
        return (int)((owner >>> OWNER_SLOT_SHIFT) & 0xFFFF) - 1;
    }

    public static int generationOf(final long owner)
    {
        return (int)(owner >>> OWNER_GENERATION_SHIFT);
    }

    public static long threadOf(final long owner)
    {
        return owner & THREAD_MASK;
    }

    public long owner()
    {
        return buffer.getLongVolatile(offset + OWNER_OFFSET);
    }

    public boolean isLocked()
    {
        return owner() != 0;
    }

    public boolean isOwnedBy(final long me)
    {
        return owner() == me;
    }

    public int count()
    {
        return buffer.getIntVolatile(offset + COUNT_OFFSET);
    }

    /** Only the owner calls this: the release store of the owner word publishes it. */
    public void count(final int count)
    {
        buffer.putInt(offset + COUNT_OFFSET, count);
    }

    public int waiters()
    {
        return buffer.getIntVolatile(offset + WAITERS_OFFSET);
    }

    /** True while the holder took the lock from an owner that died holding it. */
    public boolean ownerDied()
    {
        return buffer.getIntVolatile(offset + OWNER_DIED_OFFSET) != 0;
    }

    public int recoveries()
    {
        return buffer.getIntVolatile(offset + RECOVERIES_OFFSET);
    }

    /**
     * Acquires for {@code me}.
     *
     * @param timeoutNs 0 to try once, {@link #FOREVER} to wait as long as it takes.
     * @return {@link #ACQUIRED}, {@link #RECOVERED} (taken from a dead owner) or {@link #TIMED_OUT}.
     */
    public int acquire(final long me, final long timeoutNs)
    {
        if (buffer.compareAndSetLong(offset + OWNER_OFFSET, 0, me))
        {
            clearOwnerDied();
            return ACQUIRED;
        }
        return timeoutNs == 0 ? tryOnce(me) : acquireContended(me, timeoutNs);
    }

    /** Releases: the owner word's release store publishes every write made while holding the lock. */
    public void release()
    {
        buffer.putLongOrdered(offset + OWNER_OFFSET, 0);
    }

    /** Releases only if {@code expected} still owns it; false when someone else released or took it meanwhile. */
    public boolean release(final long expected)
    {
        return buffer.compareAndSetLong(offset + OWNER_OFFSET, expected, 0);
    }

    private void clearOwnerDied()
    {
        if (buffer.getInt(offset + OWNER_DIED_OFFSET) != 0)
        {
            buffer.putInt(offset + OWNER_DIED_OFFSET, 0);
        }
    }

    private int tryOnce(final long me)
    {
        final long now = System.nanoTime();
        if (now - lastLivenessCheckNs < LIVENESS_INTERVAL_NS)
        {
            return TIMED_OUT;
        }
        lastLivenessCheckNs = now;
        final long owner = owner();
        if (owner == 0)
        {
            return acquireFree(me) ? ACQUIRED : TIMED_OUT;
        }
        return tryRecover(owner, me) ? RECOVERED : TIMED_OUT;
    }

    private boolean acquireFree(final long me)
    {
        if (buffer.compareAndSetLong(offset + OWNER_OFFSET, 0, me))
        {
            clearOwnerDied();
            return true;
        }
        return false;
    }

    private int acquireContended(final long me, final long timeoutNs)
    {
        final WaitLoop wait = WaitLoop.ofThisThread()
            .begin(timeoutNs, LIVENESS_INTERVAL_NS, buffer, offset + WAITERS_OFFSET);
        try
        {
            while (true)
            {
                final long owner = owner();
                if (owner == 0)
                {
                    if (acquireFree(me))
                    {
                        return ACQUIRED;
                    }
                    continue;
                }
                if (wait.checkDue() && tryRecover(owner, me))
                {
                    return RECOVERED;
                }
                if (wait.timedOut())
                {
                    return TIMED_OUT;
                }
                wait.idleUninterruptibly();
            }
        }
        finally
        {
            wait.end();
        }
    }

    private boolean tryRecover(final long owner, final long me)
    {
        if (!isOwnerDead(owner) || !buffer.compareAndSetLong(offset + OWNER_OFFSET, owner, me))
        {
            return false;
        }
        buffer.putInt(offset + OWNER_DIED_OFFSET, 1);
        buffer.putInt(offset + RECOVERIES_OFFSET, buffer.getInt(offset + RECOVERIES_OFFSET) + 1);
        return true;
    }

    /** True when {@code owner}'s process is gone: exited, killed, or its slot now holds another process. */
    public boolean isOwnerDead(final long owner)
    {
        return isDead(table, owner, CurrentSlot.get());
    }

    /** @param selfSlot this process's slot when it is a member of the session, else -1 (the inspector). */
    static boolean isDead(final ProcessTable table, final long owner, final int selfSlot)
    {
        if (owner == 0)
        {
            return false;
        }
        final int slot = slotOf(owner);
        if (slot < 0 || slot >= table.slotCount())
        {
            return true; // no process can own it: a corrupt word must not block everybody forever
        }
        if (slot == selfSlot && generationOf(owner) == (table.generation(slot) & 0xFFFF))
        {
            return false; // this process: alive, whatever its slot says (the creator's slot never exits)
        }
        return (table.generation(slot) & 0xFFFF) != generationOf(owner) || !table.isAlive(slot);
    }
}
