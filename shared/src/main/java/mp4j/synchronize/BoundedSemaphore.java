package mp4j.synchronize;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;

/**
 * Python's {@code multiprocessing.BoundedSemaphore}: a {@link Semaphore} whose value may not exceed its initial
 * value; one release too many throws {@link IllegalStateException} (Python's ValueError). Same bytes
 * ({@link SemaphoreLayout}).
 */
public final class BoundedSemaphore extends Semaphore
{
    private static final long serialVersionUID = 1L;

    /**
     * A bounded semaphore with {@code value} permits in the current session, as Python's
     * {@code BoundedSemaphore(value)}.
     *
     * @param value the initial permits and their bound, 0 or more.
     * @throws IllegalArgumentException when {@code value} is negative.
     */
    public BoundedSemaphore(final int value)
    {
        this(Session.current(), allocate(Session.current(), ObjectKind.BOUNDED_SEMAPHORE, null, value, value, true));
    }

    /** A bounded semaphore with one permit in the current session, as Python's {@code BoundedSemaphore()}. */
    public BoundedSemaphore()
    {
        this(1);
    }

    /**
     * Attaches to an existing bounded semaphore of {@code session}, as a worker does with one it was passed (a
     * reference travels, not the bytes).
     *
     * @param session the session whose file holds it.
     * @param entry   its entry in the session's object directory.
     * @throws IllegalArgumentException when the entry is not one of a bounded semaphore, or is corrupt.
     */
    public BoundedSemaphore(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
    }

    /**
     * A bounded semaphore in {@code session}, which need not be the current one.
     *
     * @param session the session whose file holds it.
     * @param name    the name it is listed under in {@code launcher inspect}; null for a generated one.
     * @param value   the initial permits and their bound, 0 or more.
     * @param robust  whether to give back the permits of a process that dies holding them.
     * @return the new bounded semaphore.
     * @throws IllegalArgumentException when {@code value} is negative.
     */
    public static BoundedSemaphore create(
        final Session session, final String name, final int value, final boolean robust)
    {
        return new BoundedSemaphore(session, allocate(session, ObjectKind.BOUNDED_SEMAPHORE, name, value, value, robust));
    }
}
