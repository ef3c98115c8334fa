package mp4j.queues;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.JoinableQueue}: a {@link Queue} that counts unfinished tasks; every put adds
 * one, {@link #taskDone} removes one, {@link #join} waits until none is left.
 */
public final class JoinableQueue extends Queue implements SharedJoinableQueue
{
    private static final long serialVersionUID = 1L;

    /** An unbounded joinable queue in the current session: Python's {@code JoinableQueue()}. */
    public JoinableQueue()
    {
        this(0);
    }

    /**
     * A joinable queue of at most {@code maxsize} values in the current session: Python's
     * {@code JoinableQueue(maxsize)}.
     *
     * @param maxsize the most values it holds; 0 is unbounded.
     * @throws IllegalArgumentException when {@code maxsize} is negative.
     */
    public JoinableQueue(final int maxsize)
    {
        this(Session.current(), QueueCore.allocate(Session.current(), ObjectKind.JOINABLE_QUEUE, null, maxsize,
            QueueLayout.DEFAULT_CAPACITY));
    }

    /**
     * A joinable queue in {@code session}, which need not be the current one.
     *
     * @param session  the session whose file holds it.
     * @param name     the name {@code launcher inspect} shows; null for a generated one.
     * @param maxsize  the most values it holds; 0 is unbounded.
     * @param capacity ring bytes (rounded up to a power of two); a value takes its encoding plus 8 bytes, aligned
     *                 to 8, so 8-byte longs take 24. What does not fit goes to the queue's spill files.
     * @return the new queue.
     * @throws IllegalArgumentException when {@code maxsize} is negative.
     */
    public static JoinableQueue create(final Session session, final String name, final int maxsize, final int capacity)
    {
        return new JoinableQueue(session, QueueCore.allocate(session, ObjectKind.JOINABLE_QUEUE, name, maxsize,
            capacity));
    }

    /**
     * Attaches to an existing joinable queue of {@code session}, as a worker does with one it was passed (a reference
     * travels, not the bytes).
     *
     * @param session the session whose file holds it.
     * @param entry   its entry in the session's object directory.
     */
    public JoinableQueue(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
    }

    @Override
    public void put(final Object value) throws InterruptedException
    {
        core.put(value, true, -1, true);
    }

    @Override
    public void put(final Object value, final boolean block, final long timeoutMillis) throws InterruptedException
    {
        core.put(value, block, nanos(block, timeoutMillis, "put"), true);
    }

    @Override
    public void putNowait(final Object value)
    {
        try
        {
            core.put(value, false, 0, true);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new Full("interrupted putting on queue '" + name() + "'");
        }
    }

    /**
     * One task taken from the queue is done.
     *
     * @throws IllegalStateException when called more times than items were put (Python's ValueError).
     */
    public void taskDone()
    {
        core.taskDone();
    }

    /** Waits until every item put has been taken and marked done. */
    public void join() throws InterruptedException
    {
        core.join(-1);
    }

    /** As {@link #join()}, up to {@code timeoutMillis}; false when tasks were still unfinished then. */
    public boolean join(final long timeoutMillis) throws InterruptedException
    {
        return core.join(timeoutMillis < 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }

    /**
     * Items put and not yet marked done.
     *
     * @return the count; 0 when {@link #join()} would return at once.
     */
    public long unfinishedTasks()
    {
        return core.unfinished();
    }
}
