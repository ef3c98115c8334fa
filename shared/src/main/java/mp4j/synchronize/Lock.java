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
 * Bytes: one {@link LockWord}, drawn by {@link LockWordLayout}.
 */
public final class Lock extends AbstractLock
{
    private static final long serialVersionUID = 1L;

    /** A new lock in the current session. */
    public Lock()
    {
        this((String)null);
    }

    /**
     * A new lock in the current session, listed under {@code name}.
     *
     * @param name the name shown by {@code launcher inspect}; null for a generated one ("Lock-7").
     * @throws mp4j.session.SessionFullException when the session file has no room left for it.
     */
    public Lock(final String name)
    {
        this(Session.current(), allocate(Session.current(), ObjectKind.LOCK, name));
    }

    /**
     * A new lock in {@code session}, which need not be the current one.
     *
     * @param session the session whose file holds it.
     * @param name    the name it is listed under in {@code launcher inspect}; null for a generated one.
     * @return the new lock.
     * @throws mp4j.session.SessionFullException when the session file has no room left for it.
     */
    public static Lock create(final Session session, final String name)
    {
        return new Lock(session, allocate(session, ObjectKind.LOCK, name));
    }

    /**
     * Attaches to an existing lock of {@code session}, as a worker does with one it was passed (a reference
     * travels, not the bytes), or to the lock of the object {@code entry} describes (a Value's, say).
     *
     * @param session the session whose file holds it.
     * @param entry   its entry in the session's object directory.
     * @throws IllegalArgumentException when the entry is not one of a lock, or is corrupt.
     */
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
        if (word.owner() == 0)
        {
            throw new IllegalStateException("Lock '" + name() + "' released too many times: it is not held");
        }
        // A release store, not a CAS: releasing twice for one acquire is the caller's bug either way, and the
        // store halves the cost of an uncontended acquire-release pair.
        word.release();
    }
}
