package mp4j.synchronize;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.session.SharedObject;
import mp4j.util.WaitLoop;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static mp4j.synchronize.ConditionLayout.LENGTH;
import static mp4j.synchronize.ConditionLayout.LOCK_ENTRY_OFFSET;
import static mp4j.synchronize.ConditionLayout.LOCK_OFFSET;
import static mp4j.synchronize.ConditionLayout.NOTIFIED_OFFSET;
import static mp4j.synchronize.ConditionLayout.SIGNALS_OFFSET;
import static mp4j.synchronize.ConditionLayout.SLEEPERS_OFFSET;

/**
 * Python's {@code multiprocessing.Condition}: waiting for a notification while holding a lock (its own
 * {@link RLock}, or a Lock/RLock given). {@link #await} releases the lock entirely (every level of an RLock),
 * waits, and takes it back before returning. Its bytes: {@link ConditionLayout}.
 * <p>
 * A wake-up is not addressed to one sleeper: any sleeper takes it. So a sleeper that died or timed out can at
 * worst cause one spurious wake-up later (wait in a loop, or use {@link #waitFor}); no live sleeper misses a
 * notification on its account. The lock is robust: a notifier killed holding it does not block the sleepers.
 */
public final class Condition extends SharedObject implements SharedCondition
{
    private static final long serialVersionUID = 1L;

    private final transient AtomicBuffer buffer;
    private final transient int base;
    private final transient AbstractLock lock;

    /** A condition with its own RLock, in the current session. */
    public Condition()
    {
        this(Session.current(), allocate(Session.current(), null, null));
    }

    /** A condition on {@code lock}, as Python's {@code Condition(lock)}. */
    public Condition(final AbstractLock lock)
    {
        this(lock.session(), allocate(lock.session(), null, lock));
    }

    public Condition(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
        if (!session.directory().isInBounds(entry) || entry.length() < LENGTH || (entry.offset() & 7) != 0 ||
            !entry.hasLock())
        {
            throw new IllegalArgumentException("condition '" + entry.name() + "' has a corrupt directory entry");
        }
        this.buffer = session.buffer();
        this.base = (int)entry.offset();
        final int lockEntry = buffer.getInt(base + LOCK_ENTRY_OFFSET);
        if (lockEntry < 0)
        {
            this.lock = new RLock(session, entry);
        }
        else
        {
            final DirectoryEntry given = session.directory().entry(lockEntry);
            if (given == null || given.lockOffset() != entry.lockOffset())
            {
                throw new IllegalArgumentException("the lock of condition '" + entry.name() + "' is not in the directory");
            }
            this.lock = given.kind() == ObjectKind.RLOCK ? new RLock(session, given) : new Lock(session, given);
        }
    }

    /** @param lock null for its own RLock. */
    public static Condition create(final Session session, final String name, final AbstractLock lock)
    {
        return new Condition(session, allocate(session, name, lock));
    }

    private static DirectoryEntry allocate(final Session session, final String name, final AbstractLock lock)
    {
        if (lock != null && !lock.session().name().equals(session.name()))
        {
            throw new IllegalArgumentException("lock '" + lock.name() + "' belongs to another session");
        }
        final long offset = session.allocate(LENGTH);
        session.buffer().putInt((int)offset + LOCK_ENTRY_OFFSET, lock == null ? -1 : lock.entry().index());
        final long lockOffset = lock == null ? offset + LOCK_OFFSET : lock.entry().lockOffset();
        return session.directory().add(ObjectKind.CONDITION, name, 0, offset, LENGTH, lockOffset, 0, 0);
    }

    /** The lock the condition uses. */
    public AbstractLock getLock()
    {
        return lock;
    }

    public void acquire()
    {
        lock.acquire();
    }

    public boolean acquire(final long timeout, final TimeUnit unit)
    {
        return lock.acquire(timeout, unit);
    }

    public void release()
    {
        lock.release();
    }

    /** Acquires the lock, for try-with-resources ({@code with cond:}). */
    public Acquired acquired()
    {
        return lock.acquired();
    }

    /** Waits for a notification; the caller must hold the lock. */
    public void await()
    {
        await(LockWord.FOREVER);
    }

    /**
     * Waits at most {@code timeout} for a notification; the caller must hold the lock, and holds it again on
     * return.
     *
     * @return false when the time ran out.
     */
    public boolean await(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout + " " + unit);
        }
        return await(Math.max(1, unit.toNanos(timeout)));
    }

    /**
     * Waits until {@code predicate} holds, as Python's {@code wait_for(predicate)}: checks it, then waits for a
     * notification and checks it again, under the lock; the caller must hold the lock.
     */
    public void waitFor(final BooleanSupplier predicate)
    {
        while (!predicate.getAsBoolean())
        {
            await(LockWord.FOREVER);
        }
    }

    /** Waits until {@code predicate} holds or the time is up (Python's {@code wait_for}); returns the predicate. */
    public boolean waitFor(final BooleanSupplier predicate, final long timeout, final TimeUnit unit)
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        boolean result = predicate.getAsBoolean();
        while (!result)
        {
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                break;
            }
            await(left);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    private boolean await(final long timeoutNs)
    {
        final LockWord word = lock.word();
        final long me = word.me();
        if (word.owner() != me)
        {
            throw new IllegalStateException("cannot wait on condition '" + name() + "': its lock is not held by " +
                "this thread; acquire it first");
        }
        final boolean recursive = lock instanceof RLock;
        final int saved = recursive ? word.count() : 0;
        // A sleeper before the lock is released: a notify that follows the release sees it.
        final WaitLoop wait = WaitLoop.ofThisThread().begin(timeoutNs, 0, buffer, base + SLEEPERS_OFFSET);
        if (recursive)
        {
            word.count(0);
        }
        word.release();
        boolean woken = false;
        try
        {
            while (true)
            {
                final int signals = buffer.getIntVolatile(base + SIGNALS_OFFSET);
                if (signals > 0 && buffer.compareAndSetInt(base + SIGNALS_OFFSET, signals, signals - 1))
                {
                    woken = true;
                    break;
                }
                if (wait.timedOut())
                {
                    break;
                }
                wait.idleUninterruptibly();
            }
        }
        finally
        {
            // left only after taking a wake-up (or giving up): notify never hands one to nobody
            wait.end();
            word.acquire(me, LockWord.FOREVER);
            if (recursive)
            {
                word.count(saved);
            }
        }
        return woken;
    }

    /** Wakes up to {@code n} sleepers; the caller must hold the lock. */
    public void notify(final int n)
    {
        if (n < 0)
        {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (lock.word().owner() != lock.word().me())
        {
            throw new IllegalStateException("cannot notify on condition '" + name() + "': its lock is not held " +
                "by this thread; acquire it first");
        }
        while (true)
        {
            final int signals = buffer.getIntVolatile(base + SIGNALS_OFFSET);
            final int waiting = buffer.getIntVolatile(base + SLEEPERS_OFFSET) - signals;
            final int wake = Math.min(n, waiting);
            if (wake <= 0)
            {
                return;
            }
            if (buffer.compareAndSetInt(base + SIGNALS_OFFSET, signals, signals + wake))
            {
                buffer.getAndAddLong(base + NOTIFIED_OFFSET, wake);
                return;
            }
        }
    }

    /** Wakes one sleeper (Python's {@code notify()}). */
    public void signal()
    {
        notify(1);
    }

    /** Wakes every sleeper (Python's {@code notify_all()}). */
    public void signalAll()
    {
        notify(Integer.MAX_VALUE);
    }

    /** Threads waiting now. */
    public int sleepers()
    {
        return buffer.getIntVolatile(base + SLEEPERS_OFFSET);
    }
}
