package mp4j.synchronize;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;

/**
 * Python's {@code multiprocessing.BoundedSemaphore}: a {@link Semaphore} whose value may not exceed its initial
 * value; one release too many throws {@link IllegalStateException} (Python's ValueError). Same bytes.
 */
public final class BoundedSemaphore extends Semaphore
{
    private static final long serialVersionUID = 1L;

    public BoundedSemaphore(final int value)
    {
        this(Session.current(), allocate(Session.current(), ObjectKind.BOUNDED_SEMAPHORE, null, value, value, true));
    }

    public BoundedSemaphore()
    {
        this(1);
    }

    public BoundedSemaphore(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
    }

    public static BoundedSemaphore create(
        final Session session, final String name, final int value, final boolean robust)
    {
        return new BoundedSemaphore(session, allocate(session, ObjectKind.BOUNDED_SEMAPHORE, name, value, value, robust));
    }
}
