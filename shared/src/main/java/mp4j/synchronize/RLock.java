package mp4j.synchronize;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;

/**
 * Python's {@code multiprocessing.RLock}: a recursive lock owned by one thread of one process. The owner may
 * acquire it again (each acquire needs its release); only the owner may release it. Robust: see
 * {@link AbstractLock#ownerDied()}; a lock taken from a dead owner starts at depth 1.
 * <p>
 * Bytes: one {@link LockWord} (its {@code count} is the recursion depth).
 */
public final class RLock extends AbstractLock implements SharedRLock
{
    private static final long serialVersionUID = 1L;

    /** A new recursive lock in the current session. */
    public RLock()
    {
        this((String)null);
    }

    public RLock(final String name)
    {
        this(Session.current(), allocate(Session.current(), ObjectKind.RLOCK, name));
    }

    /** A new RLock in {@code session}, listed under {@code name} (null: a generated name). */
    public static RLock create(final Session session, final String name)
    {
        return new RLock(session, allocate(session, ObjectKind.RLOCK, name));
    }

    /** Attaches to an existing recursive lock (or to the lock of the object {@code entry} describes). */
    public RLock(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
    }

    @Override
    protected boolean acquire(final long timeoutNs)
    {
        final long me = word.me();
        if (word.owner() == me)
        {
            final int count = word.count();
            if (count == Integer.MAX_VALUE)
            {
                throw new IllegalStateException("RLock '" + name() + "' acquired " + count +
                    " times by one thread without release; recursion limit reached");
            }
            word.count(count + 1);
            return true;
        }
        if (word.acquire(me, timeoutNs) == LockWord.TIMED_OUT)
        {
            return false;
        }
        word.count(1);
        return true;
    }

    /**
     * Releases one level of the calling thread's hold.
     *
     * @throws IllegalStateException when the calling thread does not own it (Python: "cannot release
     *                               un-acquired lock").
     */
    @Override
    public void release()
    {
        final long me = word.me();
        final long owner = word.owner();
        if (owner != me)
        {
            throw new IllegalStateException("cannot release RLock '" + name() + "': it is " +
                describeOwner(owner) + ", not by this thread (slot " + LockWord.slotOf(me) + " thread " +
                LockWord.threadOf(me) + "); only the owner releases an RLock");
        }
        final int count = word.count() - 1;
        word.count(Math.max(count, 0));
        if (count <= 0)
        {
            word.release();
        }
    }

    /** True when the calling thread owns it. */
    public boolean isOwned()
    {
        return word.owner() == word.me();
    }

    /** The owner's recursion depth, 0 when free. */
    public int count()
    {
        return word.isLocked() ? word.count() : 0;
    }
}
