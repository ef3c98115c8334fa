package mp4j.synchronize;

import mp4j.session.CurrentSlot;
import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SharedObject;
import mp4j.util.WaitLoop;
import org.agrona.concurrent.AtomicBuffer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static mp4j.synchronize.SemaphoreLayout.BOUND_OFFSET;
import static mp4j.synchronize.SemaphoreLayout.FLAG_NOT_ROBUST;
import static mp4j.synchronize.SemaphoreLayout.HELD_ENTRY;
import static mp4j.synchronize.SemaphoreLayout.HELD_OFFSET;
import static mp4j.synchronize.SemaphoreLayout.RECOVERED_OFFSET;
import static mp4j.synchronize.SemaphoreLayout.SLOTS_OFFSET;
import static mp4j.synchronize.SemaphoreLayout.VALUE_OFFSET;
import static mp4j.synchronize.SemaphoreLayout.WAITERS_OFFSET;

/**
 * Python's {@code multiprocessing.Semaphore}: a counter of permits shared by the processes of a session.
 * Robust: the permits a process holds (acquired and not released by it) are counted per process slot, and
 * given back when that process dies, so no waiter blocks forever on a permit a dead process took. Its bytes:
 * {@link SemaphoreLayout}.
 * <p>
 * A permit released by a process holding none (a producer signalling a consumer) is a gift: it lowers nobody's
 * held count. So with {@code robust} (the default) a consumer that dies after acquiring such permits gives them
 * back; for a pure signalling counter make it with {@code robust=false}. Acquire takes the permit before
 * recording it, and release un-records before giving it back: a process killed between the two steps loses a
 * permit rather than ever granting one twice.
 */
public class Semaphore extends SharedObject implements SharedSemaphore
{
    private static final long serialVersionUID = 1L;

    protected final transient AtomicBuffer buffer;
    private final transient int base;
    private final transient int slots;
    private final transient ProcessTable table;
    private final transient boolean robust;
    private transient long lastRecoveryNs;
    private transient int cachedSlot = -1;
    private transient int cachedGeneration;
    private final transient Acquired acquired = this::release;

    /** A semaphore with {@code value} permits in the current session, as Python's {@code Semaphore(value)}. */
    public Semaphore(final int value)
    {
        this(Session.current(), allocate(Session.current(), ObjectKind.SEMAPHORE, null, value, Long.MAX_VALUE, true));
    }

    public Semaphore()
    {
        this(1);
    }

    /** Attaches to an existing semaphore. */
    public Semaphore(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
        this.buffer = session.buffer();
        this.base = (int)entry.offset();
        this.table = session.processTable();
        this.slots = buffer.getInt(base + SLOTS_OFFSET);
        if (!session.directory().isInBounds(entry) || (base & 7) != 0 || slots < 0 ||
            HELD_OFFSET + (long)HELD_ENTRY * slots > entry.length())
        {
            throw new IllegalArgumentException("semaphore '" + entry.name() + "' has a corrupt directory entry");
        }
        this.robust = (entry.flags() & FLAG_NOT_ROBUST) == 0;
    }

    /**
     * A semaphore in {@code session}.
     *
     * @param name   null for a generated name.
     * @param robust give back the permits of a process that dies holding them.
     */
    public static Semaphore create(final Session session, final String name, final int value, final boolean robust)
    {
        return new Semaphore(session, allocate(session, ObjectKind.SEMAPHORE, name, value, Long.MAX_VALUE, robust));
    }

    static DirectoryEntry allocate(
        final Session session, final ObjectKind kind, final String name, final long value, final long bound,
        final boolean robust)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("semaphore initial value must be >= 0, got " + value);
        }
        final int slots = session.processTable().slotCount();
        final long length = HELD_OFFSET + (long)HELD_ENTRY * slots;
        final long offset = session.allocate(length);
        final AtomicBuffer buffer = session.buffer();
        buffer.putLong((int)offset + VALUE_OFFSET, value);
        buffer.putLong((int)offset + BOUND_OFFSET, bound);
        buffer.putInt((int)offset + SLOTS_OFFSET, slots);
        return session.directory().add(kind, name, 0, offset, length, -1, value, robust ? 0 : FLAG_NOT_ROBUST);
    }

    /** Permits available now (Python's {@code get_value()}). */
    public final long getValue()
    {
        return buffer.getLongVolatile(base + VALUE_OFFSET);
    }

    public final int waiters()
    {
        return buffer.getIntVolatile(base + WAITERS_OFFSET);
    }

    /** Permits given back from dead holders so far. */
    public final int recovered()
    {
        return buffer.getIntVolatile(base + RECOVERED_OFFSET);
    }

    /** Permits the process in {@code slot} holds. */
    public final int heldBy(final int slot)
    {
        final long held = buffer.getLongVolatile(heldAt(slot));
        return (int)(held >>> 32) == table.generation(slot) ? (int)held : 0;
    }

    /** Blocks until a permit is taken. */
    public final void acquire()
    {
        acquire(LockWord.FOREVER);
    }

    public final boolean acquire(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout + " " + unit);
        }
        return acquire(Math.max(1, unit.toNanos(timeout)));
    }

    public final boolean acquire(final Duration timeout)
    {
        return acquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Takes a permit if one is free now (Python's {@code acquire(block=False)}). */
    public final boolean tryAcquire()
    {
        if (takePermit())
        {
            return true;
        }
        final long now = System.nanoTime();
        if (robust && now - lastRecoveryNs >= LockWord.LIVENESS_INTERVAL_NS)
        {
            lastRecoveryNs = now;
            if (recoverDeadHolders() > 0)
            {
                return takePermit();
            }
        }
        return false;
    }

    /** Acquires and returns a handle that releases on close, for try-with-resources. */
    public final Acquired acquired()
    {
        acquire();
        return acquired;
    }

    private boolean acquire(final long timeoutNs)
    {
        if (takePermit())
        {
            return true;
        }
        final WaitLoop wait = WaitLoop.ofThisThread()
            .begin(timeoutNs, robust ? LockWord.LIVENESS_INTERVAL_NS : 0, buffer, base + WAITERS_OFFSET);
        try
        {
            while (true)
            {
                if (takePermit())
                {
                    return true;
                }
                if (wait.checkDue())
                {
                    recoverDeadHolders();
                    continue;
                }
                if (wait.timedOut())
                {
                    return false;
                }
                wait.idleUninterruptibly();
            }
        }
        finally
        {
            wait.end();
        }
    }

    private boolean takePermit()
    {
        while (true)
        {
            final long value = buffer.getLongVolatile(base + VALUE_OFFSET);
            if (value <= 0)
            {
                return false;
            }
            if (buffer.compareAndSetLong(base + VALUE_OFFSET, value, value - 1))
            {
                if (robust)
                {
                    changeHeld(+1);
                }
                return true;
            }
        }
    }

    /** Releases one permit. */
    public void release()
    {
        final boolean wasHeld = robust && changeHeld(-1);
        while (true)
        {
            final long value = buffer.getLongVolatile(base + VALUE_OFFSET);
            if (value >= buffer.getLong(base + BOUND_OFFSET))
            {
                if (wasHeld)
                {
                    changeHeld(+1);
                }
                throw new IllegalStateException(getClass().getSimpleName() + " '" + name() +
                    "' released too many times: its value is already its bound " + value);
            }
            if (buffer.compareAndSetLong(base + VALUE_OFFSET, value, value + 1))
            {
                return;
            }
        }
    }

    /**
     * Adds {@code delta} to this process's held count (never below 0); gives back what a dead previous occupant
     * of the slot left.
     *
     * @return false when a release found nothing held by this process (a gift to others).
     */
    private boolean changeHeld(final int delta)
    {
        final int slot = CurrentSlot.get();
        if (slot != cachedSlot)
        {
            cachedGeneration = table.generation(slot);
            cachedSlot = slot;
        }
        final int generation = cachedGeneration;
        final int at = heldAt(slot);
        while (true)
        {
            final long held = buffer.getLongVolatile(at);
            int count = (int)held;
            final boolean stale = (int)(held >>> 32) != generation;
            if (stale)
            {
                count = 0;
            }
            if (count + delta < 0)
            {
                return false;
            }
            if (buffer.compareAndSetLong(at, held, ((long)generation << 32) | (count + delta)))
            {
                if (stale && (int)held > 0)
                {
                    giveBack((int)held);
                }
                return true;
            }
        }
    }

    private int heldAt(final int slot)
    {
        if (slot < 0 || slot >= slots)
        {
            throw new IndexOutOfBoundsException("process slot " + slot + " is outside 0.." + (slots - 1));
        }
        return base + HELD_OFFSET + HELD_ENTRY * slot;
    }

    /** Gives back the permits of processes that died holding them; returns how many. */
    public final int recoverDeadHolders()
    {
        int total = 0;
        final int self = CurrentSlot.get();
        for (int slot = 0; slot < slots; slot++)
        {
            final int at = heldAt(slot);
            final long held = buffer.getLongVolatile(at);
            final int count = (int)held;
            if (count <= 0 || slot == self)
            {
                continue;
            }
            final int generation = (int)(held >>> 32);
            final boolean dead = generation != table.generation(slot) || !table.isAlive(slot);
            if (dead && buffer.compareAndSetLong(at, held, (long)generation << 32))
            {
                giveBack(count);
                total += count;
            }
        }
        return total;
    }

    private void giveBack(final int count)
    {
        buffer.getAndAddLong(base + VALUE_OFFSET, count);
        buffer.getAndAddInt(base + RECOVERED_OFFSET, count);
    }
}
