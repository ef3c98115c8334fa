package mp4j.synchronize;

import mp4j.codec.SerialFilter;
import mp4j.codec.ValueCodec;
import mp4j.session.CurrentSlot;
import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SharedObject;
import mp4j.util.WaitLoop;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static mp4j.synchronize.BarrierLayout.BROKEN_GENERATION_OFFSET;
import static mp4j.synchronize.BarrierLayout.BROKEN_OFFSET;
import static mp4j.synchronize.BarrierLayout.PARTICIPANTS_OFFSET;
import static mp4j.synchronize.BarrierLayout.PARTICIPANT_ENTRY;
import static mp4j.synchronize.BarrierLayout.PARTIES_OFFSET;
import static mp4j.synchronize.BarrierLayout.SLOTS_OFFSET;
import static mp4j.synchronize.BarrierLayout.STATE_OFFSET;
import static mp4j.synchronize.BarrierLayout.TIMEOUT_MS_OFFSET;
import static mp4j.synchronize.BarrierLayout.WAITERS_OFFSET;

/**
 * Python's {@code multiprocessing.Barrier}: {@code parties} threads (of any processes) wait until all have
 * arrived, then all go on; {@link #await} returns each a different index, 0..parties-1, in arrival order.
 * <p>
 * Robust: every process that holds the barrier (it made it, or received it) is a participant, recorded by slot.
 * A waiter checks them every {@value LockWord#LIVENESS_INTERVAL_MS} ms: when a participant's process has died,
 * the barrier breaks and every waiter gets {@link BrokenBarrierError} instead of waiting forever for a party that
 * will never come. A process becomes a participant when it attaches (receives the barrier, before its target
 * runs): one killed before that cannot be told from one still starting, and is waited for. As in Python, a timeout or {@link #abort} breaks it too, and {@link #reset} makes it usable
 * again (and forgets dead participants).
 * <p>
 * As Python's {@code Barrier(parties, action, timeout)}: the {@code action}, if any, runs in the party that arrives
 * last (whatever its process), before any party goes on; if it raises, the barrier breaks, that party gets the
 * exception and the others {@link BrokenBarrierError}. The {@code timeout} is what {@link #await()} waits at most.
 * The action travels in the barrier's bytes, serialized, as a Process target does. Its bytes:
 * {@link BarrierLayout}.
 */
public final class Barrier extends SharedObject implements SharedBarrier
{
    private static final long serialVersionUID = 1L;

    /**
     * Under the one rule of {@link SerialFilter}, as a Process target and every value between processes: the action
     * is the program's own code, which the rule trusts; what it captures must be allowed as a value would.
     */
    private static final ValueCodec ACTION_CODEC = new ValueCodec();

    private final transient AtomicBuffer buffer;
    private final transient int base;
    private final transient int slots;
    private final transient ProcessTable table;
    private transient Action action;

    /**
     * What a barrier runs when all parties have arrived, as Python's {@code action}: a serializable Runnable (a
     * lambda given where this type is expected is one).
     */
    @FunctionalInterface
    public interface Action extends Runnable, Serializable
    {
    }

    /** A barrier for {@code parties} in the current session. */
    public Barrier(final int parties)
    {
        this(parties, null, null);
    }

    /**
     * Python's {@code Barrier(parties, action, timeout)}.
     *
     * @param action  run by the last party to arrive before the others go on; null for none.
     * @param timeout what {@link #await()} waits at most (at least 1 ms, under 24 days); null for no limit.
     */
    public Barrier(final int parties, final Action action, final Duration timeout)
    {
        this(Session.current(), allocate(Session.current(), null, parties, action, timeout));
    }

    public Barrier(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
        this.buffer = session.buffer();
        this.base = (int)entry.offset();
        this.table = session.processTable();
        this.slots = buffer.getInt(base + SLOTS_OFFSET);
        if (!session.directory().isInBounds(entry) || (base & 7) != 0 || slots < 0 ||
            PARTICIPANTS_OFFSET + (long)PARTICIPANT_ENTRY * slots > entry.length() ||
            buffer.getInt(base + PARTIES_OFFSET) < 1)
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
        return create(session, name, parties, null, null);
    }

    /** As {@link #Barrier(int, Action, Duration)}, in {@code session} under {@code name} (null: generated). */
    public static Barrier create(final Session session, final String name, final int parties, final Action action,
        final Duration timeout)
    {
        return new Barrier(session, allocate(session, name, parties, action, timeout));
    }

    private static DirectoryEntry allocate(final Session session, final String name, final int parties,
        final Action action, final Duration timeout)
    {
        if (parties < 1)
        {
            throw new IllegalArgumentException("a Barrier needs parties >= 1, got " + parties);
        }
        final int timeoutMs = timeoutMillis(timeout);
        final byte[] encoded = action == null ? new byte[0] : encode(action);
        final int slots = session.processTable().slotCount();
        final long length = PARTICIPANTS_OFFSET + (long)PARTICIPANT_ENTRY * slots + 4 + encoded.length;
        final long offset = session.allocate(length);
        final AtomicBuffer buffer = session.buffer();
        buffer.putInt((int)offset + PARTIES_OFFSET, parties);
        buffer.putInt((int)offset + SLOTS_OFFSET, slots);
        buffer.putInt((int)offset + TIMEOUT_MS_OFFSET, timeoutMs);
        final int actionAt = (int)offset + PARTICIPANTS_OFFSET + PARTICIPANT_ENTRY * slots;
        buffer.putInt(actionAt, encoded.length);
        buffer.putBytes(actionAt + 4, encoded);
        return session.directory().add(ObjectKind.BARRIER, name, 0, offset, length, -1, parties, 0);
    }

    private static int timeoutMillis(final Duration timeout)
    {
        if (timeout == null)
        {
            return 0;
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) >= 0)
        {
            throw new IllegalArgumentException("a Barrier's timeout must be between 1 ms and 24 days (or null for " +
                "none), got " + timeout);
        }
        return (int)Math.max(1, timeout.toMillis());
    }

    private static byte[] encode(final Action action)
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(256);
        final int length;
        try
        {
            length = ACTION_CODEC.encode(action, out, 0);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("a Barrier's action runs in whichever process arrives last, so it " +
                "must be serializable (a lambda typed Barrier.Action, capturing serializable values or shared " +
                "objects): " + ex.getMessage(), ex);
        }
        final byte[] bytes = new byte[length];
        out.getBytes(0, bytes);
        return bytes;
    }

    private void register()
    {
        final int slot = CurrentSlot.get();
        if (slot >= 0 && slot < slots)
        {
            buffer.putIntVolatile(base + PARTICIPANTS_OFFSET + PARTICIPANT_ENTRY * slot, table.generation(slot));
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

    /** Waits for all parties, at most the barrier's timeout if it has one; returns this party's arrival index. */
    public int await()
    {
        final int timeoutMs = buffer.getInt(base + TIMEOUT_MS_OFFSET);
        return await(timeoutMs > 0 ? TimeUnit.MILLISECONDS.toNanos(timeoutMs) : LockWord.FOREVER);
    }

    /** {@link #await()}'s default timeout, as Python's {@code timeout}; null for none. */
    public Duration timeout()
    {
        final int timeoutMs = buffer.getInt(base + TIMEOUT_MS_OFFSET);
        return timeoutMs > 0 ? Duration.ofMillis(timeoutMs) : null;
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
            if (arrived >= parties)
            {
                waitForGeneration(generation, timeoutNs); // a party too many, while the action runs: next round
            }
            else if (arrived + 1 == parties)
            {
                if (!hasAction())
                {
                    if (buffer.compareAndSetLong(base + STATE_OFFSET, state, (long)(generation + 1) << 32))
                    {
                        return arrived;
                    }
                }
                else if (buffer.compareAndSetLong(base + STATE_OFFSET, state, state + 1))
                {
                    runActionThenRelease(generation);
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

    private boolean hasAction()
    {
        final long actionAt = PARTICIPANTS_OFFSET + (long)PARTICIPANT_ENTRY * slots;
        return entry.length() >= actionAt + 4 && buffer.getInt(base + (int)actionAt) > 0;
    }

    /**
     * The last party: runs the action while the others still wait (state says all arrived), then lets them go.
     * An action that raises breaks the barrier, and the exception goes on from here, as Python's.
     */
    private void runActionThenRelease(final int generation)
    {
        try
        {
            action().run();
        }
        catch (final RuntimeException | Error ex)
        {
            breakGeneration(generation);
            throw ex;
        }
        final long all = ((long)generation << 32) | parties();
        if (!buffer.compareAndSetLong(base + STATE_OFFSET, all, (long)(generation + 1) << 32))
        {
            throw broken("it broke while its action ran (a party timed out, or one died)");
        }
    }

    private Action action()
    {
        if (action == null)
        {
            final int at = base + PARTICIPANTS_OFFSET + PARTICIPANT_ENTRY * slots;
            final int length = buffer.getInt(at);
            if (length <= 0 || at + 4L + length > base + entry.length())
            {
                throw new IllegalStateException("barrier '" + name() + "' has a corrupt action (" + length +
                    " bytes)");
            }
            try
            {
                action = (Action)ACTION_CODEC.decode(buffer, at + 4, length);
            }
            catch (final RuntimeException ex)
            {
                throw new IllegalStateException("the action of barrier '" + name() + "' cannot be read in this " +
                    "process: " + ex.getMessage(), ex);
            }
        }
        return action;
    }

    private void waitForGeneration(final int generation, final long timeoutNs)
    {
        final WaitLoop wait = WaitLoop.ofThisThread()
            .begin(timeoutNs, LockWord.LIVENESS_INTERVAL_NS, buffer, base + WAITERS_OFFSET);
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
                if (wait.checkDue())
                {
                    final int dead = deadParticipant();
                    if (dead >= 0)
                    {
                        breakGeneration(generation);
                        throw broken("the process in slot " + dead + " (pid " + table.pid(dead) +
                            "), a participant, died");
                    }
                }
                if (wait.timedOut())
                {
                    breakGeneration(generation);
                    throw broken("this party timed out");
                }
                wait.idleUninterruptibly();
            }
        }
        finally
        {
            wait.end();
        }
    }

    /** A participant slot whose process died (now forgotten), or -1. */
    private int deadParticipant()
    {
        final int self = CurrentSlot.get();
        for (int slot = 0; slot < slots; slot++)
        {
            final int at = base + PARTICIPANTS_OFFSET + PARTICIPANT_ENTRY * slot;
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
}
