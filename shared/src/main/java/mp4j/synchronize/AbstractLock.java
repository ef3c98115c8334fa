package mp4j.synchronize;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.session.SharedObject;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What {@link Lock} and {@link RLock} share: a robust {@link LockWord} in the session file, acquired from any
 * thread of any process of the session. When the holder's process dies, the next acquirer takes the lock within
 * a few tens of milliseconds and {@link #ownerDied()} tells it so.
 */
public abstract class AbstractLock extends SharedObject implements SharedLock
{
    private static final long serialVersionUID = 1L;

    protected final transient LockWord word;
    private final transient Acquired acquired = this::release;

    protected AbstractLock(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
        if (!entry.hasLock())
        {
            throw new IllegalArgumentException("directory entry '" + entry.name() + "' (" + entry.kind() +
                ") has no lock");
        }
        this.word = new LockWord(session, entry.lockOffset());
    }

    /** Allocates a free lock word in {@code session} and lists it under {@code name} (null: "Lock-7"). */
    protected static DirectoryEntry allocate(final Session session, final ObjectKind kind, final String name)
    {
        final long offset = session.allocate(LockWordLayout.LENGTH);
        return session.directory().add(kind, name, 0, offset, LockWordLayout.LENGTH, offset, 0, 0);
    }

    /** Blocks until this thread holds the lock. An interrupt does not end the wait; it stays set for after. */
    public final void acquire()
    {
        acquire(LockWord.FOREVER);
    }

    /**
     * Waits at most {@code timeout} for the lock, as Python's {@code acquire(timeout=...)}.
     *
     * @return true when acquired, false when the time ran out.
     */
    public final boolean acquire(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout + " " + unit +
                "; use acquire() to wait without a limit");
        }
        return acquire(Math.max(1, unit.toNanos(timeout)));
    }

    public final boolean acquire(final Duration timeout)
    {
        if (timeout.isNegative())
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout +
                "; use acquire() to wait without a limit");
        }
        return acquire(Math.max(1, saturatedNanos(timeout)));
    }

    /** Takes the lock if it can without waiting, as Python's {@code acquire(block=False)}. */
    public final boolean tryAcquire()
    {
        return acquire(0L);
    }

    /** Acquires and returns a handle whose {@code close()} releases: for try-with-resources. */
    public final Acquired acquired()
    {
        acquire();
        return acquired;
    }

    /** @param timeoutNs 0: try once; {@link LockWord#FOREVER}: no limit. */
    protected abstract boolean acquire(long timeoutNs);

    /** Releases the lock; see the subclass for who may. */
    public abstract void release();

    /**
     * True when the caller holds the lock because its previous owner died holding it (POSIX's EOWNERDEAD): the
     * data it guards may be half updated. Stays true until the lock is next acquired normally.
     */
    public final boolean ownerDied()
    {
        return word.ownerDied();
    }

    public final boolean isLocked()
    {
        return word.isLocked();
    }

    /** Threads of any process waiting for it now. */
    public final int waiters()
    {
        return word.waiters();
    }

    /** The flyweight, for objects built on this lock (Condition, a Value's synchronized wrapper). */
    public final LockWord word()
    {
        return word;
    }

    /** Owner's process slot, or -1 when free. */
    public final int ownerSlot()
    {
        return LockWord.slotOf(word.owner());
    }

    protected final String describeOwner(final long owner)
    {
        if (owner == 0)
        {
            return "not held";
        }
        final int slot = LockWord.slotOf(owner);
        return "held by process slot " + slot + (slot >= 0 && slot < session.processTable().slotCount() ?
            " (pid " + session.processTable().pid(slot) + ")" : "") + " thread " + LockWord.threadOf(owner);
    }

    private static long saturatedNanos(final Duration timeout)
    {
        try
        {
            return timeout.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "[" + name() + ", " + describeOwner(word.owner()) + "]";
    }
}
