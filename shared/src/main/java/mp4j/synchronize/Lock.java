package mp4j.synchronize;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;

/**
 * Python's {@code multiprocessing.Lock}: a non-recursive lock shared by the processes of a session. Any thread
 * of any process may release it, as in Python; a thread acquiring it twice waits for itself forever, as in
 * Python. Robust: see {@link AbstractLock#ownerDied()}.
 * <pre>{@code
 * Lock lock = new Lock();
 * try (var held = lock.acquired())
 * {
 *     // one process at a time
 * }
 * }</pre>
 * Bytes: one {@link LockWord}.
 */
public final class Lock extends AbstractLock
{
    private static final long serialVersionUID = 1L;

    /** A new lock in the current session. */
    public Lock()
    {
        this((String)null);
    }

    /** A new lock in the current session, listed under {@code name}. */
    public Lock(final String name)
    {
        this(Session.current(), allocate(Session.current(), ObjectKind.LOCK, name));
    }

    /** A new Lock in {@code session}, listed under {@code name} (null: a generated name). */
    public static Lock create(final Session session, final String name)
    {
        return new Lock(session, allocate(session, ObjectKind.LOCK, name));
    }

    /** Attaches to an existing lock (or to the lock of the object {@code entry} describes). */
    public Lock(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
    }

    @Override
    protected boolean acquire(final long timeoutNs)
    {
        return word.acquire(word.me(), timeoutNs) != LockWord.TIMED_OUT;
    }

    /**
     * Releases the lock, whoever holds it.
     *
     * @throws IllegalStateException when it is not held (Python's "released too many times").
     */
    @Override
    public void release()
    {
        while (true)
        {
            final long owner = word.owner();
            if (owner == 0)
            {
                throw new IllegalStateException("Lock '" + name() + "' released too many times: it is not held");
            }
            if (word.release(owner))
            {
                return;
            }
        }
    }
}
