package mp4j.synchronize;

import mp4j.session.CurrentSlot;
import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SharedObject;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.Barrier}: {@code parties} threads (of any processes) wait until all have
 * arrived, then all go on; {@link #await} returns each a different index, 0..parties-1, in arrival order.
 * <p>
 * Robust: every process that holds the barrier (it made it, or received it) is a participant, recorded by slot.
 * A waiter checks them every {@value LockWord#LIVENESS_INTERVAL_MS} ms: when a participant's process has died,
 * the barrier breaks and every waiter gets {@link BrokenBarrierError} instead of waiting forever for a party that
 * will never come. A process becomes a participant when it attaches (receives the barrier, before its target
 * runs): one killed before that cannot be told from one still starting, and is waited for. As in Python, a timeout or {@link #abort} breaks it too, and {@link #reset} makes it usable
 * again (and forgets dead participants). Its bytes:
 * <pre>
 *  offset size field            meaning
 *  ------ ---- ---------------- ----------------------------------------------------------------------------
 *     0     8  state            generation&lt;&lt;32 | parties arrived in this generation; CAS
 *     8     4  parties
 *    12     4  broken           1 while broken (until reset)
 *    16     4  brokenGeneration the generation whose waiters must raise, +1; 0 none
 *    20     4  waiters          threads waiting now
 *    24     4  slots            entries of the participant table
 *    28     4  reserved
 *    32  4*slots participants   per process slot: the slot generation of the participant in it; 0 none
 * </pre>
 */
public final class Barrier extends SharedObject implements mp4j.context.SharedBarrier
{
    private static final long serialVersionUID = 1L;

    public static final int STATE_OFFSET = 0;
    public static final int PARTIES_OFFSET = 8;
    public static final int BROKEN_OFFSET = 12;
    public static final int BROKEN_GENERATION_OFFSET = 16;
    public static final int WAITERS_OFFSET = 20;
    public static final int SLOTS_OFFSET = 24;
    public static final int PARTICIPANTS_OFFSET = 32;

    private final transient AtomicBuffer buffer;
    private final transient int base;
    private final transient int slots;
    private final transient ProcessTable table;

    /** A barrier for {@code parties} in the current session. */
    public Barrier(final int parties)
    {
        this(Session.current(), allocate(Session.current(), null, parties));
    }

    public Barrier(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
        this.buffer = session.buffer();
        this.base = (int)entry.offset();
        this.table = session.processTable();
        this.slots = buffer.getInt(base + SLOTS_OFFSET);
        if (!session.directory().isInBounds(entry) || (base & 7) != 0 || slots < 0 ||
            PARTICIPANTS_OFFSET + 4L * slots > entry.length() || buffer.getInt(base + PARTIES_OFFSET) < 1)
        {
            throw new IllegalArgumentException("barrier '" + entry.name() + "' has a corrupt directory entry");
        }
        if (!session.isReadOnly())
        {
            register();
        }
    }

    public static Barrier create(final Session session, final String name, final int parties)
    {
        return new Barrier(session, allocate(session, name, parties));
    }

    private static DirectoryEntry allocate(final Session session, final String name, final int parties)
    {
        if (parties < 1)
        {
            throw new IllegalArgumentException("a Barrier needs parties >= 1, got " + parties);
        }
        final int slots = session.processTable().slotCount();
        final long length = PARTICIPANTS_OFFSET + 4L * slots;
        final long offset = session.allocate(length);
        session.buffer().putInt((int)offset + PARTIES_OFFSET, parties);
        session.buffer().putInt((int)offset + SLOTS_OFFSET, slots);
        return session.directory().add(ObjectKind.BARRIER, name, 0, offset, length, -1, parties, 0);
    }

    private void register()
    {
        final int slot = CurrentSlot.get();
        if (slot >= 0 && slot < slots)
        {
            buffer.putIntVolatile(base + PARTICIPANTS_OFFSET + 4 * slot, table.generation(slot));
        }
    }

    public int parties()
    {
        return buffer.getInt(base + PARTIES_OFFSET);
    }

    /** Parties waiting in the current generation (Python's {@code n_waiting}). */
    public int nWaiting()
    {
        return (int)buffer.getLongVolatile(base + STATE_OFFSET);
    }

    public boolean isBroken()
    {
        return buffer.getIntVolatile(base + BROKEN_OFFSET) != 0;
    }

    /** Waits for all parties; returns this party's arrival index. */
    public int await()
    {
        return await(LockWord.FOREVER);
    }

    /** As {@link #await()}; when the time runs out the barrier breaks, as Python's. */
    public int await(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout + " " + unit);
        }
        return await(Math.max(1, unit.toNanos(timeout)));
    }

    private int await(final long timeoutNs)
    {
        final int parties = parties();
        while (true)
        {
            if (isBroken())
            {
                throw broken("it is broken; reset() it to use it again");
            }
            final long state = buffer.getLongVolatile(base + STATE_OFFSET);
            final int generation = (int)(state >>> 32);
            final int arrived = (int)state;
            if (arrived + 1 >= parties)
            {
                if (buffer.compareAndSetLong(base + STATE_OFFSET, state, (long)(generation + 1) << 32))
                {
                    return arrived;
                }
            }
            else if (buffer.compareAndSetLong(base + STATE_OFFSET, state, state + 1))
            {
                waitForGeneration(generation, timeoutNs);
                return arrived;
            }
        }
    }

    private void waitForGeneration(final int generation, final long timeoutNs)
    {
        final long start = System.nanoTime();
        long nextCheck = start + LockWord.LIVENESS_INTERVAL_NS;
        final BackoffIdleStrategy idle = LockWord.IDLE.get();
        idle.reset();
        boolean interrupted = false;
        buffer.getAndAddInt(base + WAITERS_OFFSET, 1);
        try
        {
            while (true)
            {
                if ((int)(buffer.getLongVolatile(base + STATE_OFFSET) >>> 32) != generation)
                {
                    if (buffer.getIntVolatile(base + BROKEN_GENERATION_OFFSET) == generation + 1)
                    {
                        throw broken("it broke while this party waited");
                    }
                    return;
                }
                final long now = System.nanoTime();
                if (now - nextCheck >= 0)
                {
                    nextCheck = now + LockWord.LIVENESS_INTERVAL_NS;
                    final int dead = deadParticipant();
                    if (dead >= 0)
                    {
                        breakGeneration(generation);
                        throw broken("the process in slot " + dead + " (pid " + table.pid(dead) +
                            "), a participant, died");
                    }
                }
                if (timeoutNs > 0 && now - start >= timeoutNs)
                {
                    breakGeneration(generation);
                    throw broken("this party timed out");
                }
                if (Thread.interrupted())
                {
                    interrupted = true;
                }
                idle.idle();
            }
        }
        finally
        {
            buffer.getAndAddInt(base + WAITERS_OFFSET, -1);
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A participant slot whose process died (now forgotten), or -1. */
    private int deadParticipant()
    {
        final int self = CurrentSlot.get();
        for (int slot = 0; slot < slots; slot++)
        {
            final int at = base + PARTICIPANTS_OFFSET + 4 * slot;
            final int generation = buffer.getIntVolatile(at);
            if (generation == 0 || slot == self)
            {
                continue;
            }
            if (generation != table.generation(slot) || !table.isAlive(slot))
            {
                buffer.compareAndSetInt(at, generation, 0);
                return slot;
            }
        }
        return -1;
    }

    /** Breaks the waiters of {@code generation} and the barrier. */
    private void breakGeneration(final int generation)
    {
        buffer.putIntVolatile(base + BROKEN_OFFSET, 1);
        while (true)
        {
            final long state = buffer.getLongVolatile(base + STATE_OFFSET);
            if ((int)(state >>> 32) != generation)
            {
                return;
            }
            buffer.putIntVolatile(base + BROKEN_GENERATION_OFFSET, generation + 1);
            if (buffer.compareAndSetLong(base + STATE_OFFSET, state, (long)(generation + 1) << 32))
            {
                return;
            }
        }
    }

    /** Puts the barrier in the broken state: waiting parties, and later ones, get BrokenBarrierError. */
    public void abort()
    {
        final long state = buffer.getLongVolatile(base + STATE_OFFSET);
        breakGeneration((int)(state >>> 32));
    }

    /** Returns the barrier to its initial state; parties waiting now get BrokenBarrierError. */
    public void reset()
    {
        final long state = buffer.getLongVolatile(base + STATE_OFFSET);
        if ((int)state > 0)
        {
            breakGeneration((int)(state >>> 32));
        }
        buffer.putIntVolatile(base + BROKEN_OFFSET, 0);
        register();
    }

    private BrokenBarrierError broken(final String why)
    {
        return new BrokenBarrierError("barrier '" + name() + "' (" + parties() + " parties) is broken: " + why);
    }

    @Override
    public String toString()
    {
        return "Barrier[" + name() + ", parties=" + parties() + ", waiting=" + nWaiting() +
            (isBroken() ? ", broken" : "") + "]";
    }

    static void describe(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        final AtomicBuffer buffer = session.buffer();
        final int base = (int)entry.offset();
        if (entry.length() < PARTICIPANTS_OFFSET)
        {
            return;
        }
        out.put("parties", buffer.getInt(base + PARTIES_OFFSET));
        out.put("waiting", (int)buffer.getLongVolatile(base + STATE_OFFSET));
        out.put("generation", (int)(buffer.getLongVolatile(base + STATE_OFFSET) >>> 32));
        out.put("broken", buffer.getIntVolatile(base + BROKEN_OFFSET) != 0);
    }
}
